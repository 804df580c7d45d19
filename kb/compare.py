"""Comparing the three models on one question: each model's best cited answer, side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.answering.compose import Citation
from kb.answering.features import is_link_or_menu
from kb.knowledge_base import KnowledgeBase, ask, validate_query
from kb.search import Filters
from kb.store import IndexReader
from kb.taxonomy import load_taxonomy

COMPARE_PASSAGES = 3  # passages cited per model
_ANY_MODEL = re.compile(
    r"\b(?:each|every|the|a|this|that|their|your)\s+(?:of the\s+)?(?:three\s+)?(?:models?|approach(?:es)?)\b", re.I
)


def question_about(question: str, model: str) -> str:
    """The question asked of one model: "How does each model involve families?" -> "How does Family Valued ..."."""
    if _ANY_MODEL.search(question):
        return _ANY_MODEL.sub(model, question, count=1)
    stripped = question.rstrip(" ?")
    return f"{stripped} in {model}?"


@dataclass(frozen=True)
class ModelAnswer:
    """One model's answer to the question, or a plain statement that the knowledge base has nothing on it."""

    model: str
    answer: str
    confident: bool
    citations: list[Citation]


@dataclass(frozen=True)
class Comparison:
    """A question answered for each model."""

    question: str
    models: list[ModelAnswer]


def compare_models(kb: KnowledgeBase, question: str) -> Comparison:
    """Ask the question of each model in turn: "each model" becomes the model's name, and only passages
    about that model are searched, so the answer has to name it. A model whose passages do not answer
    says so in one line instead of showing the nearest passages.
    """
    question = validate_query(question)
    models = []
    with kb.snapshot() as snap:  # the three answers read one generation
        for model_id, model in load_taxonomy().models.items():
            asked = question_about(question, model.name)
            models.append(_model_answer(kb, asked, model_id, model.name, snap))
    return Comparison(question, models)


_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could|should|must|may|\w+ed|\w+s)\b", re.I
)
_PART = re.compile(r"(.*?(?:\[\d+\])+)", re.S)  # a quoted part of an answer with the markers that cite it


def is_furniture(part: str) -> bool:
    """A part of an answer that quotes a page's furniture, not what it says: a menu or link label, a metadata line,
    a reference entry, or a short verbless line under one ("Best practice feature on Family Valued.")."""
    for line in (line.strip().removeprefix("- ") for line in part.splitlines()):
        if line and is_link_or_menu(line):
            return True
    words = part.split()
    return not part.lstrip().startswith("-") and "\n" not in part.strip() and len(words) < 12 and not _VERB.search(part)


def without_furniture(answer: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The answer without the parts that quote furniture, and the citations still cited."""
    parts = _PART.findall(answer)
    rest = answer[sum(len(p) for p in parts) :]
    kept: list[str] = []
    dropped: set[str] = set()
    for part in parts:
        words, markers = re.sub(r"\[\d+\]", "", part), set(re.findall(r"\[(\d+)\]", part))
        # A short line right after a dropped one, from the same passage, is the rest of that entry.
        if is_furniture(words) or (markers <= dropped and len(words.split()) < 12):
            dropped |= markers
            continue
        dropped = set()
        kept.append(part)
    text = ("".join(kept) + (rest if kept else "")).strip()
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    return text, [c for c in citations if c.n in cited]


def _model_answer(kb: KnowledgeBase, asked: str, model_id: str, name: str, snap: IndexReader) -> ModelAnswer:
    answer = ask(kb, asked, k=COMPARE_PASSAGES, filters=Filters(model=(model_id,)), snap=snap)
    text, citations = without_furniture(answer.answer, answer.citations) if answer.confident else ("", [])
    if not text:
        return ModelAnswer(name, f"The knowledge base has nothing on this for {name}.", False, [])
    return ModelAnswer(name, text, True, citations)
