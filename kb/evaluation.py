"""Evaluating retrieval, answers and refusal on question sets (hit@k, MRR@10, answers that contain the fact)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.answering.conversation import Turn
from kb.answering.refusal import CONFIDENCE_THRESHOLD
from kb.errors import InvalidInputError
from kb.knowledge_base import KnowledgeBase, ask
from kb.store import IndexReader

MRR_DEPTH = 10
_MARKER = re.compile(r"\s*\[\d+\]")


@dataclass(frozen=True)
class EvalQuestion:
    """A question; with phrases it is answerable (a hit and the answer should contain one, or all with
    `all`), without it should be refused. `history` makes it a follow-up; `source` is the file's name."""

    id: str
    q: str
    phrases: tuple[str, ...] = ()
    all: bool = False
    history: tuple[Turn, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class QuestionResult:
    """How one question went."""

    id: str
    q: str
    source: str
    answerable: bool
    rank: int | None  # rank of the first passage containing a phrase, within the top 10
    confident: bool
    evidence: float
    answer: str
    answer_kind: str
    contains_fact: bool | None  # answerable only: does the confident answer's text contain the phrase(s)?
    missing: list[str]  # the phrases the answer lacks (answerable only)


@dataclass(frozen=True)
class SetFigures:
    """The figures over one question set (or all of them)."""

    name: str
    questions: int
    answerable: int
    hit_at_1: float
    hit_at_k: float
    mrr_at_10: float
    answers_with_fact: int
    answer_accuracy: float  # answers_with_fact / answerable
    wrongly_refused: list[str]
    unanswerable: int
    wrongly_answered: list[str]


@dataclass(frozen=True)
class EvalReport:
    """The figures over all question sets, per set, and the per-question results behind them."""

    questions: int
    answerable: int
    hit_at_1: float
    hit_at_k: float
    k: int
    mrr_at_10: float
    answers_with_fact: int
    answer_accuracy: float
    wrongly_refused: list[str]
    wrongly_answered: list[str]
    sets: list[SetFigures]
    results: list[QuestionResult]


def _records(path: Path, expected: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSONL file; a line that is not an object is named."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise InvalidInputError(f"{path}:{number}: expected {expected}, got: {exc}") from None
        if not isinstance(data, dict):
            raise InvalidInputError(f"{path}:{number}: expected {expected}, got: {line.strip()[:80]}")
        yield number, data


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSONL question file, saying which line is wrong and how."""
    expected = '{"id": ..., "q": ..., "phrase": [...], "all": bool, "history": [...]} (all but id and q optional)'
    questions = []
    for number, data in _records(path, expected):
        try:
            phrases = data.get("phrase") or []
            if isinstance(phrases, str):
                phrases = [phrases]
            history = tuple(Turn(role=str(t["role"]), content=str(t["content"])) for t in data.get("history") or [])
            if any(t.role not in ("user", "assistant") for t in history):
                raise ValueError("history roles must be 'user' or 'assistant'")
            questions.append(
                EvalQuestion(
                    id=str(data["id"]),
                    q=str(data["q"]),
                    phrases=tuple(str(p) for p in phrases),
                    all=bool(data.get("all", False)),
                    history=history,
                    source=path.name,
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidInputError(f"{path}:{number}: expected {expected}, got an error: {exc}") from None
    return questions


def normalise_for_match(text: str) -> str:
    """Case-folded, whitespace collapsed, curly apostrophes and quotes straight: how phrases are compared."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


def missing_phrases(text: str, phrases: Sequence[str], *, require_all: bool) -> list[str]:
    """The phrases `text` does not contain: all of them unless one is enough (`require_all` False)."""
    haystack = normalise_for_match(_MARKER.sub("", text))
    missing = [p for p in phrases if normalise_for_match(p) not in haystack]
    if not require_all and len(missing) < len(phrases):
        return []
    return missing


def evaluate(
    kb: KnowledgeBase, questions: list[EvalQuestion], *, k: int = 5, threshold: float = CONFIDENCE_THRESHOLD
) -> EvalReport:
    """Run every question through search and ask; rank is judged on the top 10 passages, answers on their text."""
    with kb.snapshot() as snap:  # the whole run reads one generation
        results = [_evaluate_one(kb, question, k=k, threshold=threshold, snap=snap) for question in questions]
    overall = _figures("all", results, k)
    sources = list(dict.fromkeys(r.source for r in results))
    return EvalReport(
        questions=overall.questions,
        answerable=overall.answerable,
        hit_at_1=overall.hit_at_1,
        hit_at_k=overall.hit_at_k,
        k=k,
        mrr_at_10=overall.mrr_at_10,
        answers_with_fact=overall.answers_with_fact,
        answer_accuracy=overall.answer_accuracy,
        wrongly_refused=overall.wrongly_refused,
        wrongly_answered=overall.wrongly_answered,
        sets=[_figures(s, [r for r in results if r.source == s], k) for s in sources] if len(sources) > 1 else [],
        results=results,
    )


def _evaluate_one(kb: KnowledgeBase, question: EvalQuestion, *, k: int, threshold: float, snap: IndexReader) -> QuestionResult:
    """One question: where its passage ranks, and whether the answer contains the fact (or refuses)."""
    answer = ask(kb, question.q, k=k, threshold=threshold, history=question.history, snap=snap)
    # Retrieval is judged on what the answer searched for: the question read as meant (spelling, a follow-up's
    # context), as a reader's search is.
    hits = kb.search(answer.search_query, k=MRR_DEPTH, snap=snap)
    rank = None
    if question.phrases:
        wanted = [normalise_for_match(p) for p in question.phrases]
        rank = next((h.rank for h in hits if any(w in normalise_for_match(h.text) for w in wanted)), None)
    missing = missing_phrases(answer.answer, question.phrases, require_all=question.all) if question.phrases else []
    contains = (answer.confident and not missing) if question.phrases else None
    return QuestionResult(
        id=question.id,
        q=question.q,
        source=question.source,
        answerable=bool(question.phrases),
        rank=rank,
        confident=answer.confident,
        evidence=answer.evidence,
        answer=answer.answer,
        answer_kind=answer.kind,
        contains_fact=contains,
        missing=missing,
    )


def _figures(name: str, results: list[QuestionResult], k: int) -> SetFigures:
    answerable = [r for r in results if r.answerable]
    n = max(len(answerable), 1)
    with_fact = sum(1 for r in answerable if r.contains_fact)
    return SetFigures(
        name=name,
        questions=len(results),
        answerable=len(answerable),
        hit_at_1=round(sum(1 for r in answerable if r.rank == 1) / n, 4),
        hit_at_k=round(sum(1 for r in answerable if r.rank and r.rank <= k) / n, 4),
        mrr_at_10=round(sum(1 / r.rank for r in answerable if r.rank) / n, 4),
        answers_with_fact=with_fact,
        answer_accuracy=round(with_fact / n, 4),
        wrongly_refused=[r.id for r in answerable if not r.confident],
        unanswerable=len(results) - len(answerable),
        wrongly_answered=[r.id for r in results if not r.answerable and r.confident],
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


PEER_DEPTH = 3  # councils judged per topic


@dataclass(frozen=True)
class PeerQuestion:
    """A topic and the councils that should appear among the first three peers for it."""

    id: str
    topic: str
    councils: tuple[str, ...]


@dataclass(frozen=True)
class PeerResult:
    """How one topic went: the first councils found, and which expected ones they include."""

    id: str
    topic: str
    found: list[str]
    expected: list[str]
    precision_at_3: float
    recall_at_3: float


@dataclass(frozen=True)
class PeerReport:
    """Precision@3 and recall@3 of peer finding, averaged over topics; and the places right in the first three of
    all the places the expected councils can fill (min(3, expected) per topic)."""

    topics: int
    precision_at_3: float
    recall_at_3: float
    results: list[PeerResult]
    places_right: int = 0
    places: int = 0


def is_peer_file(path: Path) -> bool:
    """Does a JSONL file hold peer topics ({"topic", "councils"}) rather than questions?"""
    first = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()), "")
    try:
        return "topic" in json.loads(first)
    except ValueError:
        return False


def load_peer_questions(path: Path) -> list[PeerQuestion]:
    """Read a JSONL file of {"id", "topic", "councils": [council ids]}, saying which line is wrong and how."""
    expected = '{"id": ..., "topic": ..., "councils": [...]}'
    questions = []
    for number, data in _records(path, expected):
        try:
            councils = tuple(_council_id(str(c)) for c in data["councils"])
            questions.append(PeerQuestion(str(data["id"]), str(data["topic"]), councils))
        except (KeyError, TypeError) as exc:
            raise InvalidInputError(f"{path}:{number}: expected {expected}, got: {exc}") from None
    return questions


def _council_id(name: str) -> str:
    """A council as a peer file gives it, an id ("redcar-and-cleveland") or a name ("Redcar and Cleveland"), as its id."""
    from kb.councils import council_slug, councils_in

    found = councils_in(name) or councils_in(f"{name} Council")
    return next(iter(found)) if len(found) == 1 else council_slug(name)


def evaluate_peers(kb: KnowledgeBase, questions: list[PeerQuestion]) -> PeerReport:
    """For each topic: precision@3 (the share of the councils shown in the first three that are expected;
    a topic with fewer than three councils found is judged on those) and recall@3 (the share of the
    expected councils among the first three)."""
    from kb.peers import find_peers

    results = []
    with kb.snapshot() as snap:
        found_by_topic = {q.id: [c.id for c in find_peers(kb, q.topic, snap=snap).councils[:PEER_DEPTH]] for q in questions}
    for question in questions:
        found = found_by_topic[question.id]
        hits = sum(1 for c in found if c in question.councils)
        results.append(
            PeerResult(
                id=question.id,
                topic=question.topic,
                found=found,
                expected=list(question.councils),
                precision_at_3=round(hits / len(found), 4) if found else 0.0,
                recall_at_3=round(hits / len(question.councils), 4),
            )
        )
    n = max(len(results), 1)
    return PeerReport(
        topics=len(results),
        precision_at_3=round(sum(r.precision_at_3 for r in results) / n, 4),
        recall_at_3=round(sum(r.recall_at_3 for r in results) / n, 4),
        results=results,
        places_right=sum(sum(1 for c in r.found if c in r.expected) for r in results),
        places=sum(min(PEER_DEPTH, len(r.expected)) for r in results),
    )
