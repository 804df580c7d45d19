"""The answer model: which unit answers a question, and whether the best one answers it well enough to be said.

Two logistic regressions fitted by `scripts/train_answer_model.py` on the labelled questions of the development
library: the first weighs each (question, unit) pair's features (does this unit hold the answer?), the second
weighs the best unit's features with how it stands against the others (is the question answered at all?).
Their weights, the feature names, the threshold and the data they were fitted on live in `model.json` beside
this file. Nothing is fitted at import or at query time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kb.answering.features import FEATURE_NAMES
from kb.errors import KBError

MODEL_PATH = Path(__file__).with_name("model.json")
LIKELY = 0.3  # a unit this probable counts as a likely answer among the others
# What the second regression reads: how the best unit stands among the others, then the best unit's own features.
ANSWERABILITY_FEATURES: tuple[str, ...] = (
    "best_probability",
    "second_probability",
    "likely_units",
    "eligible_units",
    *(f"best_{name}" for name in FEATURE_NAMES),
)


@dataclass(frozen=True)
class Logistic:
    """Standardised features times weights, through a logistic."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def __call__(self, matrix: np.ndarray) -> np.ndarray:
        z = ((matrix - self.mean) / self.scale) @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Logistic:
        arrays = [np.array(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
        return cls(mean=arrays[0], scale=arrays[1], weights=arrays[2], bias=float(data["bias"]))


@dataclass(frozen=True)
class AnswerModel:
    """The unit model, the answerability model and the settings chosen with them."""

    units: Logistic
    answerable: Logistic
    threshold: float  # a part whose best unit's answerability is below this is not covered
    extra_margin: float  # further units are quoted when this close to the best one
    # Features that must be 0 for a unit to answer at all: a unit without the date a "when" asks for, or
    # that never mentions the council asked about, is a near miss however close its words.
    gates: tuple[str, ...] = ()
    fitted_on: str = ""

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """The probability that each unit (a row of FEATURE_NAMES) holds the answer; 0 for a unit a gate shuts."""
        if matrix.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        return np.where(eligible(matrix, self.gates), self.units(matrix), 0.0)

    def answerability(self, matrix: np.ndarray, probabilities: np.ndarray) -> float:
        """How likely the best unit answers the question well enough to be quoted (0 when no unit is eligible)."""
        if not len(probabilities) or probabilities.max() <= 0.0:
            return 0.0
        return float(self.answerable(answerability_row(matrix, probabilities)[None, :])[0])

    def to_json(self) -> dict[str, Any]:
        """The model as stored in model.json."""
        return {
            "features": list(FEATURE_NAMES),
            "units": self.units.to_json(),
            "answerable": self.answerable.to_json(),
            "threshold": round(self.threshold, 4),
            "extra_margin": round(self.extra_margin, 4),
            "gates": list(self.gates),
            "fitted_on": self.fitted_on,
        }


def gates_shut(matrix: np.ndarray, gates: tuple[str, ...]) -> np.ndarray:
    """How many gates shut each row (a gate shuts a row whose gate feature is above 0)."""
    columns = [FEATURE_NAMES.index(g) for g in gates]
    return np.asarray((matrix[:, columns] > 0).sum(axis=1))


def eligible(matrix: np.ndarray, gates: tuple[str, ...]) -> np.ndarray:
    """Which rows pass every gate."""
    return gates_shut(matrix, gates) == 0


def answerability_row(matrix: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """The second regression's input: the best and second probabilities, how many units are likely or eligible,
    and the best unit's features (columns as ANSWERABILITY_FEATURES)."""
    order = np.argsort(-probabilities, kind="stable")
    second = probabilities[order[1]] if len(order) > 1 else 0.0
    standing = [probabilities[order[0]], second, (probabilities > LIKELY).sum() / 10, (probabilities > 0).sum() / 20]
    return np.concatenate([np.array(standing, dtype=np.float64), matrix[order[0]].astype(np.float64)])


def model_from_json(data: dict[str, Any]) -> AnswerModel:
    """An AnswerModel from its stored form; a model fitted on other features than this code computes is refused."""
    if tuple(data.get("features", ())) != FEATURE_NAMES:
        raise KBError(
            "kb/answering/model.json was fitted on other features than kb/answering/features.py computes; "
            "rebuild it with `python scripts/train_answer_model.py --write`"
        )
    return AnswerModel(
        units=Logistic.from_json(data["units"]),
        answerable=Logistic.from_json(data["answerable"]),
        threshold=float(data["threshold"]),
        extra_margin=float(data["extra_margin"]),
        gates=tuple(str(g) for g in data.get("gates", [])),
        fitted_on=str(data.get("fitted_on", "")),
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> AnswerModel:
    """The bundled answer model."""
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))
