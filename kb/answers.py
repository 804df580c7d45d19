"""Cited extractive answers: verbatim sentences from retrieved passages, or a plain refusal."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from kb.chunking import quotable_sentences
from kb.errors import InvalidInputError
from kb.lexical import STOPWORDS
from kb.search import Hit
from kb.taxonomy import load_taxonomy, normalise_quotes

# Calibrated on ../shared/eval/dev_questions.jsonl plus eval/out_of_scope.jsonl with
# `kb eval --calibrate` (README, "Refusing"): the evidence score below which we refuse.
CONFIDENCE_THRESHOLD = 0.3413
MAX_SENTENCES = 3
CANDIDATE_PASSAGES = 5
OVERLAP_WEIGHT = 0.4
PRIOR_WEIGHT = 0.2  # how much a passage's search rank lifts its sentences
NOT_COVERED = "The knowledge base does not cover this question. The nearest passages are listed below; they may not answer it."

_ANAPHORA = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there)\b", re.IGNORECASE)
_FOLLOW_UP_OPENING = re.compile(r"^\s*(and|also|what about|how about|so|but)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Turn:
    """One earlier message in a conversation."""

    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Citation:
    """What an [n] marker points at."""

    n: int
    chunk_id: int
    doc_id: str
    title: str
    doc_type: str
    date: str | None
    section: str
    page: int | None
    text: str
    score: float


@dataclass(frozen=True)
class Answer:
    """The reply to a question: answer text with [n] markers, whether we stand by it, and the sources."""

    question: str
    answer: str
    confident: bool
    citations: list[Citation]
    search_query: str
    evidence: float
    kind: str = "passage"


def read_history(path: Path) -> list[Turn]:
    """Earlier turns from a JSON file: a list of {"role": "user"|"assistant", "content": "..."}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        turns = [Turn(role=str(t["role"]), content=str(t["content"])) for t in data]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(
            f'{path}: expected a JSON list of {{"role": "user"|"assistant", "content": "..."}} ({exc})'
        ) from None
    bad = [t.role for t in turns if t.role not in ("user", "assistant")]
    if bad:
        raise InvalidInputError(f"{path}: unknown role {bad[0]!r}; expected 'user' or 'assistant'")
    return turns


def contextualise(question: str, history: Sequence[Turn]) -> str:
    """The search query for a follow-up: the question plus what earlier turns were about.

    A question that names no model or authority and refers back ("it", "they", "And ...") inherits
    the programme entities of the latest user turn that named any, or that turn's words otherwise.
    """
    taxonomy = load_taxonomy()
    terms = [*taxonomy.models.values(), *taxonomy.authorities.values()]
    text = normalise_quotes(question)
    if any(t.mentioned_in(text) for t in terms):
        return question
    refers_back = _ANAPHORA.search(text) or _FOLLOW_UP_OPENING.search(text) or len(_WORD.findall(text)) <= 4
    if not refers_back:
        return question
    for turn in reversed([t for t in history if t.role == "user"]):
        named = [t.name for t in terms if t.mentioned_in(normalise_quotes(turn.content))]
        if named:
            return f"{question} ({', '.join(named)})"
    previous = [t.content for t in history if t.role == "user"]
    return f"{question} ({previous[-1]})" if previous else question


def unknown_names(question: str, corpus_mentions: Callable[[str], bool]) -> list[str]:
    """Capitalised words inside the question (places, people, programmes) the corpus never mentions.

    A question about Wales or Scotland is not answered by passages about English councils, however
    similar the rest of its wording is.
    """
    words = _WORD.findall(normalise_quotes(question))
    names = [w for w in words[1:] if w[:1].isupper() and w.lower() not in STOPWORDS and not w.isdigit()]
    return [n for n in dict.fromkeys(names) if not corpus_mentions(n)]


def evidence_score(hits: Sequence[Hit], question: str, *, unknown: Sequence[str] = ()) -> float:
    """How well the best passage supports the question: its cosine, scaled by how many of the
    question's content words the top passages contain, and halved when the question names
    something the corpus never mentions."""
    if not hits:
        return 0.0
    penalty = 0.5 if unknown else 1.0
    dense = max((h.dense_score or 0.0) for h in hits[:CANDIDATE_PASSAGES])
    words = {w for w in _WORD.findall(question.lower()) if w not in STOPWORDS and len(w) > 2}
    if not words:
        return dense * penalty
    passages = " ".join(h.text for h in hits[:CANDIDATE_PASSAGES]).lower()
    covered = sum(1 for w in words if _stem(w) in passages)
    return dense * (0.5 + 0.5 * covered / len(words)) * penalty


def _stem(word: str) -> str:
    """A crude prefix stem, enough to match 'adopters' with 'adopting' in a coverage check."""
    return word[: max(4, len(word) - 3)] if len(word) > 5 else word


def compose_answer(
    question: str,
    hits: Sequence[Hit],
    *,
    sentence_vectors: Callable[[Sequence[Hit]], list[np.ndarray]],
    query_vector: np.ndarray,
    search_query: str | None = None,
    word_weight: Callable[[str], float] = lambda _: 1.0,
    unknown: Sequence[str] = (),
    threshold: float = CONFIDENCE_THRESHOLD,
) -> Answer:
    """Pick up to three relevant, non-repeating sentences from the top passages and cite them."""
    evidence = evidence_score(hits, search_query or question, unknown=unknown)
    shared = [f.name for f in fields(Citation) if f.name != "n"]  # every other field comes from the hit
    citations = [Citation(n=i + 1, **{name: getattr(h, name) for name in shared}) for i, h in enumerate(hits)]
    if not hits or evidence < threshold:
        return Answer(question, NOT_COVERED, False, citations, search_query or question, round(evidence, 4))
    top = list(hits[:CANDIDATE_PASSAGES])
    candidates: list[tuple[int, str]] = []
    matrices: list[np.ndarray] = []
    for i, (hit, vectors_of_hit) in enumerate(zip(top, sentence_vectors(top), strict=True)):
        quotes = quotable_sentences(hit.text, section=hit.section, speaker=hit.speaker)
        candidates.extend((i, quote) for quote, _ in quotes)
        matrices.append(vectors_of_hit)
    if not candidates:
        return Answer(question, NOT_COVERED, False, citations, search_query or question, round(evidence, 4))
    vectors = np.vstack(matrices).astype(np.float32)
    relevance = vectors @ query_vector.ravel()
    # Passages ranked higher by the hybrid search lend their sentences a little weight.
    prior = np.array([PRIOR_WEIGHT * (CANDIDATE_PASSAGES - i) / CANDIDATE_PASSAGES for i, _ in candidates])
    # Word overlap with the question complements the embedding, which blurs names and numbers;
    # rare words count for more (a name that every passage repeats tells sentences apart poorly).
    words = {w for w in _WORD.findall((search_query or question).lower()) if w not in STOPWORDS and len(w) > 2}
    weights = {_stem(w): word_weight(w) for w in words}
    total = sum(weights.values()) or 1.0
    overlap = np.array([sum(v for w, v in weights.items() if w in sentence.lower()) / total for _, sentence in candidates])
    scores = relevance + prior + OVERLAP_WEIGHT * overlap
    chosen: list[int] = []
    for _ in range(MAX_SENTENCES):
        best, best_value = -1, -1e9
        for j in range(len(candidates)):
            if j in chosen:
                continue
            redundancy = max((float(vectors[j] @ vectors[c]) for c in chosen), default=0.0)
            value = 0.7 * scores[j] - 0.3 * redundancy  # maximal marginal relevance
            if value > best_value:
                best, best_value = j, value
        if best < 0 or (chosen and scores[best] < scores[chosen[0]] - 0.1):
            break
        chosen.append(best)
    # Quoted in reading order (passage rank, then position), so "It ..." follows the sentence it refers to.
    text = " ".join(f"{candidates[j][1]} [{candidates[j][0] + 1}]" for j in sorted(chosen))
    return Answer(question, text, True, citations, search_query or question, round(evidence, 4))
