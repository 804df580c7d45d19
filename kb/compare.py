"""Comparing the three models on one question: each model's best cited answer, side by side."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.answering.compose import Citation
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


def _model_answer(kb: KnowledgeBase, asked: str, model_id: str, name: str, snap: IndexReader) -> ModelAnswer:
    answer = ask(kb, asked, k=COMPARE_PASSAGES, filters=Filters(model=(model_id,)), snap=snap)
    text = answer.answer if answer.confident else f"The knowledge base has nothing on this for {name}."
    return ModelAnswer(name, text, answer.confident, answer.citations if answer.confident else [])
