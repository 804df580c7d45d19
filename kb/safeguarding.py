"""Safeguarding concerns: a question that reports a present risk to a child or adult gets the safeguarding
response (kb/taxonomy.yaml, `safeguarding`) instead of quotes, and is never stored.

A logistic regression over the question's embedding and six plain features of its wording (is it asked as
a question, does it name a publication, is it hypothetical, does it say "now", is it in the first person,
does it give an age) weighs how likely the text reports a live concern. Its weights live in
safeguarding_model.json, fitted by scripts/train_safeguarding.py, which prints the cross-validated figures.
The threshold is set low: a missed disclosure is the worse error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from kb.taxonomy import TAXONOMY_PATH

MODEL_PATH = Path(__file__).with_name("safeguarding_model.json")

_ASKED = re.compile(
    r"^\s*(?:what|how|which|who|when|where|why|does|do|did|is|are|can|could|should|has|have|was|were|according|in the)\b",
    re.IGNORECASE,
)
_PUBLICATION = re.compile(
    r"\b(?:evaluation|report|case study|story|publication|guidance|programme|research|training|journal|transcript"
    r"|webinar|model|councils?)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(r"\b(?:if|when|whenever) (?:a|an|the|someone|they)\b", re.IGNORECASE)
_NOW = re.compile(
    r"\b(?:just|tonight|right now|today|this morning|now|last night|yesterday|currently|at the moment|this week)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|my|me|we|our|i'm|im|i've)\b", re.IGNORECASE)
_AGE = re.compile(r"\b\d+\s*(?:year|yr)s?[\s-]*old\b|\b\d+\s*yo\b|\baged \d+\b|\bI'?m \d+\b", re.IGNORECASE)


def asked_as_a_question(text: str) -> bool:
    """Opens with a question word ("What ...", "How does ...", "In the ..."), as questions about practice do."""
    return bool(_ASKED.search(text))


def names_a_publication(text: str) -> bool:
    """Names a publication, the programme or research ("the evaluation", "the case study", "councils")."""
    return bool(_PUBLICATION.search(text))


def is_hypothetical(text: str) -> bool:
    """Puts a case as a supposition ("if a child ...", "when someone ...")."""
    return bool(_HYPOTHETICAL.search(text))


def says_now(text: str) -> bool:
    """Places something in the present ("just", "tonight", "right now", "this morning")."""
    return bool(_NOW.search(text))


def in_the_first_person(text: str) -> bool:
    """Speaks as I, my, we or our."""
    return bool(_FIRST_PERSON.search(text))


def gives_an_age(text: str) -> bool:
    """Gives someone's age ("a 9 year old", "I'm 11", "aged 14")."""
    return bool(_AGE.search(text))


WORDING_FEATURES: tuple[Callable[[str], bool], ...] = (
    asked_as_a_question,
    names_a_publication,
    is_hypothetical,
    says_now,
    in_the_first_person,
    gives_an_age,
)


def wording_row(text: str) -> np.ndarray:
    """The six wording features of a text, as 0/1."""
    return np.array([float(f(text)) for f in WORDING_FEATURES], dtype=np.float32)


@dataclass(frozen=True)
class ConcernModel:
    """Weights over [embedding, wording_weight * wording features]; `threshold` on the probability."""

    coef: np.ndarray
    intercept: float
    wording_weight: float
    threshold: float
    fitted_on: str = ""

    def probability(self, text: str, vector: np.ndarray) -> float:
        """How likely `text` (embedded as `vector`) reports a present risk to someone."""
        row = np.concatenate([np.asarray(vector, dtype=np.float32), self.wording_weight * wording_row(text)])
        return float(1.0 / (1.0 + np.exp(-(row @ self.coef + self.intercept))))

    def is_concern(self, text: str, vector: np.ndarray) -> bool:
        """Does `text` report a present risk (its probability at or over the threshold)?"""
        return self.probability(text, vector) >= self.threshold


@lru_cache(maxsize=1)
def load_concern_model(path: Path = MODEL_PATH) -> ConcernModel:
    """The fitted model (safeguarding_model.json)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return ConcernModel(
        coef=np.array(data["coef"], dtype=np.float32),
        intercept=float(data["intercept"]),
        wording_weight=float(data["wording_weight"]),
        threshold=float(data["threshold"]),
        fitted_on=str(data.get("fitted_on", "")),
    )


@dataclass(frozen=True)
class SafeguardingResponse:
    """The fixed reply to a safeguarding concern, as the deployment words it (kb/taxonomy.yaml)."""

    title: str
    steps: tuple[str, ...]

    @property
    def text(self) -> str:
        """The reply as plain text: the title, then each step on its own line."""
        return "\n".join([self.title, *(f"- {step}" for step in self.steps)])


@lru_cache
def load_response(path: Path = TAXONOMY_PATH) -> SafeguardingResponse:
    """The safeguarding response of the taxonomy file (`safeguarding:` its title and steps)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["safeguarding"]
    return SafeguardingResponse(
        title=str(data["title"]).strip(),
        steps=tuple(str(step).strip() for step in data["steps"]),
    )
