"""Evaluating retrieval and refusal on a question set (hit@k, MRR@10, wrong refusals and answers)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kb.answers import CONFIDENCE_THRESHOLD
from kb.errors import InvalidInputError
from kb.knowledge_base import KnowledgeBase, ask

MRR_DEPTH = 10


@dataclass(frozen=True)
class EvalQuestion:
    """A question; with phrases it is answerable (a hit contains one), without it should be refused."""

    id: str
    q: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionResult:
    """How one question went."""

    id: str
    q: str
    answerable: bool
    rank: int | None  # rank of the first passage containing a phrase, within the top 10
    confident: bool
    evidence: float


@dataclass(frozen=True)
class EvalReport:
    """The figures over a question set, and the per-question results behind them."""

    questions: int
    answerable: int
    hit_at_1: float
    hit_at_k: float
    k: int
    mrr_at_10: float
    wrongly_refused: list[str]
    wrongly_answered: list[str]
    results: list[QuestionResult]


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL question file, saying which line is wrong and how."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            phrases = data.get("phrase") or []
            questions.append(EvalQuestion(id=str(data["id"]), q=str(data["q"]), phrases=tuple(str(p) for p in phrases)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidInputError(
                f'{path}:{number}: expected {{"id": ..., "q": ..., "phrase": [...]}} (phrase optional), got an error: {exc}'
            ) from None
    return questions


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def evaluate(
    kb: KnowledgeBase, questions: list[EvalQuestion], *, k: int = 5, threshold: float = CONFIDENCE_THRESHOLD
) -> EvalReport:
    """Run every question through search and ask; rank is judged on the top 10 passages."""
    results = []
    for question in questions:
        hits = kb.search(question.q, k=MRR_DEPTH)
        rank = None
        if question.phrases:
            wanted = [_squash(p) for p in question.phrases]
            rank = next((h.rank for h in hits if any(w in _squash(h.text) for w in wanted)), None)
        answer = ask(kb, question.q, k=k, threshold=threshold)
        results.append(QuestionResult(question.id, question.q, bool(question.phrases), rank, answer.confident, answer.evidence))
    answerable = [r for r in results if r.answerable]
    n = max(len(answerable), 1)
    return EvalReport(
        questions=len(results),
        answerable=len(answerable),
        hit_at_1=round(sum(1 for r in answerable if r.rank == 1) / n, 4),
        hit_at_k=round(sum(1 for r in answerable if r.rank and r.rank <= k) / n, 4),
        k=k,
        mrr_at_10=round(sum(1 / r.rank for r in answerable if r.rank) / n, 4),
        wrongly_refused=[r.id for r in answerable if not r.confident],
        wrongly_answered=[r.id for r in results if not r.answerable and r.confident],
        results=results,
    )


def calibrate_threshold(results: list[QuestionResult]) -> float:
    """The refusal threshold that makes fewest mistakes, placed midway in the widest safe gap.

    Mistakes are counted with a wrong answer weighing twice a wrong refusal: in social care a
    confident wrong answer does more harm than an honest "not covered".
    """
    scores = sorted({r.evidence for r in results})
    cuts = [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)] or scores
    best: tuple[float, float] = (float("inf"), 0.0)
    for cut in cuts:
        refused = sum(1 for r in results if r.answerable and r.evidence < cut)
        answered = sum(1 for r in results if not r.answerable and r.evidence >= cut)
        cost = refused + 2 * answered
        if cost < best[0]:
            best = (cost, cut)
    return round(best[1], 4)
