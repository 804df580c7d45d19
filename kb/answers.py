"""Cited extractive answers: the units of the retrieved passages that answer each part of a question, or a plain refusal."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.answer_units import Unit, passage_units
from kb.councils import council_slug, councils_in
from kb.errors import InvalidInputError
from kb.lexical import STOPWORDS
from kb.questions import STRICT_KINDS, Intent, analyse, resolve_follow_up, split_parts
from kb.search import Hit
from kb.taxonomy import Term, load_taxonomy, normalise_quotes

# A floor on the evidence score (best cosine x question-word coverage) below which nothing is answered:
# passages this far from a question are about something else. Above it, whether a quoted unit
# addresses the question decides (README, "Answers"); the lowest answerable development question
# scores 0.21, everyday out-of-scope questions (capital of France, ibuprofen) under 0.12.
CONFIDENCE_THRESHOLD = 0.2  # the default of KB_REFUSAL_THRESHOLD (kb/settings.py)
UNKNOWN_NAME_PENALTY = 0.5  # evidence is halved when the question names a place or body no passage mentions
MAX_SENTENCES = 3  # units (sentences or lists) in one answer
REDUNDANT_COSINE = 0.9
MAX_SHOWN_PROMPT_WORDS = 15  # a longer question put to a speaker is left out of the quote (it still guides the choice)
CANDIDATE_PASSAGES = 5
PRIOR_WEIGHT = 0.2  # how much a passage's search rank lifts its sentences
NOT_COVERED = "The knowledge base does not cover this question. The nearest passages are listed below; they may not answer it."

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
    speaker: str | None = None  # who is speaking, for a transcript turn
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) character spans of `text` that the answer quotes


@dataclass(frozen=True)
class Answer:
    """The reply to a question: answer text with [n] markers, whether we stand by it, and the sources."""

    question: str
    answer: str
    confident: bool
    citations: list[Citation]
    search_query: str
    evidence: float
    kind: str = "general"  # what the question asks for: council, person, date, number, age, list, definition ...
    not_covered: list[str] = field(default_factory=list)  # parts of the question no passage answers
    corrections: list[str] = field(default_factory=list)  # misspelt names read as others ("famly safegarding → ...")


def citation_for(hit: Hit, n: int) -> Citation:
    """The citation [n] of a retrieved passage (every field but n comes from the hit)."""
    return Citation(n=n, **{f.name: getattr(hit, f.name) for f in fields(Citation) if f.name not in ("n", "highlights")})


def quote_spans(text: str, lines: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where each quoted line stands in the passage `text`, as character spans.

    A line is found word for word, whatever lies between the words (list markers, line breaks and
    punctuation are reformatted when quoted); a line not found is left out.
    """
    spans = []
    for line in lines:
        words = _WORD.findall(line)
        if not words:
            continue
        match = re.search(r"\W+".join(re.escape(w) for w in words), text)
        if match:
            end = match.end()
            while end < len(text) and text[end] in ".!?:;,)’”\"'":  # the line's closing punctuation
                end += 1
            spans.append((match.start(), end))
    return tuple(sorted(set(spans)))


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
    """The search query for a follow-up: the question read with what earlier user turns were about."""
    return resolve_follow_up(question, [t.content for t in history if t.role == "user"]).search_query


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
    penalty = UNKNOWN_NAME_PENALTY if unknown else 1.0
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


@dataclass(frozen=True)
class Judged:
    """A unit weighed against one part of a question."""

    unit: Unit
    score: float
    passes: bool
    show_heading: bool
    failure: str  # why it cannot answer ("" when it passes)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b(?:1[89]\d\d|20\d\d)s?\b|\b(?:{_MONTHS})\b|\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?\d{{4}}", re.I)
_NUMBER_WORDS = (  # not "one" or "once": mostly not figures ("one team", "prepare one")
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|"
    "million|millions|billion|half|third|quarter|dozen|dozens|twice"
)
_NUMBER = re.compile(
    rf"(?<![\d.])(?!(?:1[89]\d\d|20\d\d)\b)\d+(?:[.,]\d+)?(?:\s*%|\b)|%|\bper\s?cent\b|£\s?\d|\b(?:{_NUMBER_WORDS})\b", re.I
)
# A time given relative to something, or the condition that sets it: "within six weeks", "before any letter is sent".
_RELATIVE_TIME = re.compile(
    r"\b(?:within|after|before|by|until|every|each|once|when|whenever|as soon as|at least|no later than)\b"
    r"|\b(?:day|week|month|year|fortnight)s?\b",
    re.I,
)
_DURATION = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS}|a|one)\s+(?:\w+\s+)?(?:day|week|month|year|fortnight|hour)s?\b", re.I)
_PERCENT = re.compile(r"%|\bper\s?cent\b|\b(?:half|third|quarter|fifth|proportion)\b", re.I)
_AGE = re.compile(
    r"\baged?\s+(?:between\s+|from\s+|up\s+to\s+)?\d+|\bages\s+\d+|\b\d+\s*(?:-|–|to)\s*\d+[ -]?(?:years?|yrs?)\b|"
    r"\b\d+\s*(?:years?|yrs?)[ -]old\b|\b(?:under|over)[ -]\d+s?\b",
    re.I,
)
MODEL_NAMES = frozenset(t.name for t in load_taxonomy().models.values())
_PURPOSE = re.compile(
    r"\b(?:aims?|goals?|purpose|objectives?|designed to|in order to|so that|seeks? to|intended to|helps?|guides?|to guide|"
    r"to help|to support|to build|to develop|to reduce|to enable|to ensure)\b",
    re.I,
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’]+)+\b")
_REASON = re.compile(
    r"\b(?:because|so that|due to|as a result|in order to|anxi\w+|concern\w*|worr\w+|risk|means that|since)\b", re.I
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
_ENUMERATION = re.compile(r"\w[^,.;:]*,[^.;:]*\b(?:and|or)\b")  # "A, B and C" in one sentence
COVERAGE_IN_CONTEXT = 0.6  # a question word found around a unit (its paragraph, heading) rather than in it
# A unit addresses the question when it holds this share of the question's focus words (IDF-weighted),
# or a smaller share while its embedding is this close to the question's (README, "Answers").
MIN_COVERAGE = 0.35
LOW_COVERAGE = 0.1
SUPPORTED_RELEVANCE = 0.4
COVERAGE_WEIGHT = 0.5
KIND_WEIGHT = 0.25
LIST_WEIGHT = 0.15
COUNCIL_LIST_WEIGHT = 0.1
MAX_COUNTED_COUNCILS = 4
ENTITY_WEIGHT = 0.1
PAIR_WEIGHT = 0.02  # a sentence with the one after it that refers back to it, over the sentence alone
LIST_CONTINUATION_PASSAGES = 3
PHRASE_WEIGHT = 0.2  # question word pairs that the unit holds side by side ("model-specific")
EXTRA_UNIT_MARGIN = 0.1  # further units are quoted only if they score this close to the best one


def _has_kind(kind: str, text: str, intent: Intent) -> bool:
    if kind == "date":
        return bool(_DATE.search(text))
    if kind == "time":
        return bool(_DATE.search(text) or _RELATIVE_TIME.search(text))
    if kind == "number":
        return bool(_PERCENT.search(text)) if intent.percent else bool(_NUMBER.search(text))
    if kind == "age":
        return bool(_AGE.search(text))
    if kind == "council":
        return bool(councils_in(text) - intent.councils - intent.excluded) or bool(
            councils_in(text) & intent.excluded and councils_in(text) - intent.excluded
        )
    if kind == "person":
        taxonomy = load_taxonomy()
        return any(
            not any(t.mentioned_in(m.group(0)) for t in taxonomy.models.values()) and not councils_in(m.group(0))
            for m in _PERSON.finditer(text)
        )
    if kind == "reason":
        return bool(_REASON.search(text))
    if kind == "purpose":
        return bool(_PURPOSE.search(text))
    return True


@dataclass(frozen=True)
class _NameCheck:
    """How one name of the question is recognised: a model's aliases, a council's names, or its words."""

    name: str
    model: Term | None = None
    councils: frozenset[str] = frozenset()
    rarest: frozenset[str] = frozenset()  # spellings of the name's rarest word
    words: tuple[frozenset[str], ...] = ()  # spellings of each of its words

    def found_in(self, text: str, words: frozenset[str]) -> bool:
        if self.model is not None:
            return self.model.mentioned_in(text)
        if self.councils:
            return bool(self.councils & councils_in(text))
        return bool(self.rarest & words) and 2 * sum(1 for w in self.words if w & words) >= len(self.words)


class _Mentions:
    """Whether a text mentions the names of a question: models and councils by their names, other names
    by their rarest word and half of their words, allowing for variant spellings ("MacAlister", "McAllister")."""

    def __init__(self, intent: Intent, vocabulary: set[str], word_weight: Callable[[str], float]) -> None:
        taxonomy = load_taxonomy()
        self.checks: list[_NameCheck] = []
        for entity in intent.entities:
            model = next((t for t in taxonomy.models.values() if t.name == entity), None)
            councils = frozenset(councils_in(entity))
            words = [w for w in re.findall(r"\w+", entity.lower()) if w not in STOPWORDS and len(w) > 2]
            if model is not None or councils:
                self.checks.append(_NameCheck(entity, model=model, councils=councils))
            elif words:
                self.checks.append(
                    _NameCheck(
                        entity,
                        rarest=self._forms(max(words, key=word_weight), vocabulary),
                        words=tuple(self._forms(w, vocabulary) for w in words),
                    )
                )

    @staticmethod
    def _forms(word: str, vocabulary: set[str]) -> frozenset[str]:
        close = difflib.get_close_matches(word, vocabulary, n=8, cutoff=0.8) if len(word) >= 5 else []
        return frozenset({word, *close})

    def missing(self, text: str) -> list[str]:
        """The names `text` does not mention."""
        words = _words_of(text)
        return [check.name for check in self.checks if not check.found_in(text, words)]


@lru_cache(maxsize=8192)
def _models_in(text: str) -> frozenset[str]:
    return frozenset(t.name for t in load_taxonomy().models.values() if t.mentioned_in(normalise_quotes(text)))


def _about_another(intent: Intent, text: str) -> bool:
    """Does the unit name another council or model than the one the question asks about, and not that one?"""
    if intent.kind == "council":
        return False
    named = councils_in(text)
    if intent.councils and named and not (named & intent.councils):
        return True
    asked_models = {m for m in intent.entities if m in MODEL_NAMES}
    stated = _models_in(text)
    return bool(asked_models and stated and not (stated & asked_models))


@lru_cache(maxsize=8192)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


@lru_cache(maxsize=1024)
def _question_pairs(question: str) -> tuple[re.Pattern[str], ...]:
    """Each pair of adjacent content words of a question, as a pattern finding them side by side."""
    words = [w for w in re.findall(r"\w+", normalise_quotes(question).lower()) if w not in STOPWORDS]
    pairs = dict.fromkeys((_stem(a), _stem(b)) for a, b in zip(words, words[1:], strict=False))
    # Side by side, or with up to two short words between ("difference for the kinship carers").
    return tuple(re.compile(rf"\b{re.escape(a)}\w*(?:\W+\w{{1,4}}){{0,2}}\W+{re.escape(b)}") for a, b in pairs)


def _names_other_models_too(intent: Intent, text: str) -> bool:
    """Does the unit name, beside the model asked about, other models as well?"""
    asked_models = {m for m in intent.entities if m in MODEL_NAMES}
    return bool(asked_models) and bool(_models_in(text) - asked_models)


def _phrase_share(question: str, text: str) -> float:
    """The share of the question's adjacent content-word pairs that stand side by side in the text too."""
    patterns = _question_pairs(question)
    if not patterns:
        return 0.0
    lowered = normalise_quotes(text).lower()
    return sum(1 for p in patterns if p.search(lowered)) / len(patterns)


def focus_coverage(
    intent: Intent, text: str, context: str, word_weight: Callable[[str], float], *, ordinal_item: bool = False
) -> float:
    """The IDF-weighted share of a question's focus words in a text (or, for less, in its context)."""
    # The fourth item of a list is what "the fourth strand" asks for, whatever the item's words.
    focus = [w for w in intent.focus if not (ordinal_item and w in intent.ordinal_words)]
    if not focus:
        return 1.0
    text, context = text.lower(), context.lower()
    total = found = 0.0
    for word in focus:
        weight = word_weight(word)
        stem = _stem(word)
        total += weight
        found += weight if stem in text else COVERAGE_IN_CONTEXT * weight if stem in context else 0.0
    return found / total if total else 1.0


def _judge(
    unit: Unit, relevance: float, intent: Intent, mentions: _Mentions, word_weight: Callable[[str], float], prior: float
) -> Judged:
    show_heading = False
    visible = unit.text
    # A "time" may be a list of conditions ("when should ...?"); a date or a figure is one sentence's.
    if unit.is_list and intent.kind in ("date", "number", "age") and not intent.wants_list:
        return Judged(unit, -1.0, False, False, "a date or a figure is quoted from the sentence that states it")
    if unit.lead_in and intent.kind != "number":
        return Judged(unit, -1.0, False, False, "a lead-in answers only how many things follow it")
    # A list is about what its lead-in and heading say (and, for a list of names, the names in it).
    around = f"{unit.scope} {unit.text if unit.names_list else ''}" if unit.is_list else f"{unit.text} {unit.context}"
    missing = mentions.missing(around)
    kind_ok = _has_kind(intent.kind, visible, intent)
    # A heading gives a sentence its answer only with a real value: "After the meeting" is a section's name.
    heading_kind = intent.kind if intent.kind != "time" else "date"
    if not kind_ok and unit.heading and not unit.is_list and _has_kind(heading_kind, unit.heading, intent):
        show_heading, kind_ok, visible = True, True, f"{unit.heading} {unit.text}"
    if missing and unit.heading and not unit.is_list and not mentions.missing(f"{unit.heading} {unit.text}"):
        show_heading = True
    # A heading such as "Family Safeguarding: Hertfordshire County Council" pairs the question's subject with
    # the answer it asks for: the relation the question words ("designed", "leads") is the heading's.
    heading_answers = (
        show_heading and intent.kind in STRICT_KINDS and bool(mentions.checks) and not mentions.missing(unit.heading)
    )
    ordinal_item = intent.ordinal is not None and unit.item_number == intent.ordinal
    coverage = focus_coverage(intent, visible, unit.context, word_weight, ordinal_item=ordinal_item)
    if unit.opens_turn:
        # The first words of a reply answer the question put to the speaker: a question asked in other
        # words is often that question again ("What made the biggest difference for kinship carers?").
        coverage = max(coverage, focus_coverage(intent, unit.prompt, "", word_weight))
    score = relevance + COVERAGE_WEIGHT * coverage + prior
    if mentions.checks:
        # Names the unit states itself, not only its surroundings.
        score += ENTITY_WEIGHT * (1 - len(mentions.missing(visible)) / len(mentions.checks))
    phrases = _phrase_share(intent.text, visible)
    if unit.opens_turn:
        phrases = max(phrases, _phrase_share(intent.text, unit.prompt))
    score += PHRASE_WEIGHT * phrases
    if _about_another(intent, visible):
        score -= 2 * ENTITY_WEIGHT
    elif _names_other_models_too(intent, visible):
        score -= ENTITY_WEIGHT  # a sentence about all three models says little about the one asked about
    if unit.opens_turn:
        score += KIND_WEIGHT / 2  # the first thing said after a question is the most direct answer to it
    if kind_ok and intent.kind != "general":
        score += KIND_WEIGHT
        if intent.kind == "time" and not (_DATE.search(visible) or _DURATION.search(visible)):
            score -= KIND_WEIGHT / 2  # a condition ("after the meeting") answers "when" less surely than "within six weeks"
    if intent.wants_list and (unit.is_list or _ENUMERATION.search(visible)):
        score += LIST_WEIGHT
    if intent.kind == "council" and intent.wants_list:
        # "Which councils ...?": a unit that names several of them answers better than one naming one.
        score += COUNCIL_LIST_WEIGHT * min(MAX_COUNTED_COUNCILS, max(0, len(councils_in(visible) - intent.councils) - 1))
    if len(unit.vectors) > 1 and not unit.is_list:
        score += PAIR_WEIGHT
    if ordinal_item:
        score += KIND_WEIGHT
    failure = ""
    if missing:
        failure = f"none of the passages found mentions {' and '.join(missing)}"
    elif intent.measure and _stem(intent.measure) not in visible.lower():
        failure = f"no passage found gives a figure for {intent.measure}"
    elif intent.kind in STRICT_KINDS and not kind_ok:
        failure = f"the passages found give no {_KIND_NAMES[intent.kind]} for it"
    elif coverage < MIN_COVERAGE and not (coverage >= LOW_COVERAGE and relevance >= SUPPORTED_RELEVANCE) and not heading_answers:
        failure = "no passage found speaks to what it asks"
    return Judged(unit, score, not failure, show_heading, failure)


_KIND_NAMES = {"date": "date", "time": "time", "number": "figure", "age": "age", "council": "council"}


def _render(judged: Judged, n: int) -> str:
    unit = judged.unit
    lines = list(unit.lines)
    if judged.show_heading:
        lines[0] = f"{unit.heading} — {lines[0]}"
    if unit.speaker:
        lines[0] = f"{unit.speaker}: {lines[0]}"
    if unit.prompt and len(unit.prompt.split()) <= MAX_SHOWN_PROMPT_WORDS:
        lines[0] = f"Asked “{unit.prompt}”, {lines[0]}"
    return "\n".join(lines) + f" [{n}]"


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
    context: str = "",
    asked: str | None = None,
    prompts: Callable[[Sequence[Hit]], list[str]] | None = None,
    following: Callable[[Hit, int], list[Hit]] | None = None,
) -> Answer:
    """Quote the units of the top passages that answer each part of the question, or refuse plainly.

    Each part is answered by a unit that mentions whatever the part names, holds the kind of answer it
    asks for (a date for "when", a figure for "how many", another council for "which council") and
    speaks to its words; a part no unit answers is named as not covered.
    """
    search_query = search_query or question
    asked = asked or question
    evidence = evidence_score(hits, search_query, unknown=unknown)
    citations = [citation_for(h, i + 1) for i, h in enumerate(hits)]
    intents = [analyse(part, context=context) for part in split_parts(question)]
    kind = "list" if intents[0].wants_list and intents[0].kind not in STRICT_KINDS else intents[0].kind

    def refuse(reason: str) -> Answer:
        text = NOT_COVERED if not reason else f"{NOT_COVERED.split('.')[0]}: {reason}. {NOT_COVERED.split('. ', 1)[1]}"
        return Answer(asked, text, False, citations, search_query, round(evidence, 4), kind)

    if not hits:
        return refuse("")
    if evidence < threshold:
        return refuse("")
    top = list(hits[:CANDIDATE_PASSAGES])
    top += _list_continuation(top, intents, following)
    if len(top) > len(hits[:CANDIDATE_PASSAGES]):
        extra = top[len(hits[:CANDIDATE_PASSAGES]) :]
        citations += [citation_for(h, len(citations) + i + 1) for i, h in enumerate(extra)]
    vectors_by_hit = sentence_vectors(top)
    questions_asked = prompts(top) if prompts else [""] * len(top)
    units = [u for i, hit in enumerate(top) for u in passage_units(hit, i, prompt=questions_asked[i])]
    query = query_vector.ravel()
    relevance = []
    for unit in units:
        matrix = vectors_by_hit[unit.passage]
        ids = [v for v in unit.vectors if v < len(matrix)]
        relevance.append(float(np.max(matrix[ids] @ query)) if ids else float(top[unit.passage].dense_score or 0.0) - 0.1)
    # Names vary in spelling ("MacAlister", "McAllister"): the capitalised words around the units are their spellings.
    vocabulary = {w.lower() for u in units for w in _CAPITALISED.findall(f"{u.text} {u.context}")}
    weights: dict[str, float] = {}

    def cached_weight(word: str) -> float:
        if word not in weights:
            weights[word] = word_weight(word)
        return weights[word]

    chosen: list[Judged] = []
    not_covered: list[str] = []
    failures: list[str] = []
    # A place the question names that the passages call "<Place> Council" is a council too ("Marlow Vale").
    named_in_passages = frozenset(c for u in units for c in councils_in(u.text))
    intents = [_with_passage_councils(intent, named_in_passages) for intent in intents]
    for intent in intents:
        mentions = _Mentions(intent, vocabulary, cached_weight)
        judged = sorted(
            (
                _judge(
                    u, r, intent, mentions, cached_weight, PRIOR_WEIGHT * (CANDIDATE_PASSAGES - u.passage) / CANDIDATE_PASSAGES
                )
                for u, r in zip(units, relevance, strict=True)
            ),
            key=lambda j: -j.score,
        )
        passing = [j for j in judged if j.passes]
        if not passing:
            not_covered.append(intent.text)
            failures.append(_closest_failure(judged))
            continue
        best = passing[0]
        picked = [best]
        for candidate in passing[1:]:
            if best.unit.is_list and not candidate.unit.is_list:
                continue  # a list answers on its own; only another list may join it
            if len(picked) >= MAX_SENTENCES - (1 if best.unit.is_list else 0) or candidate.score < best.score - EXTRA_UNIT_MARGIN:
                break
            if any(_overlaps(candidate.unit, p.unit) for p in picked + chosen):
                continue
            if _redundant(candidate.unit, picked + chosen, vectors_by_hit):
                continue
            picked.append(candidate)
        chosen.extend(p for p in picked if not any(p.unit == c.unit for c in chosen))
    if not chosen:
        return refuse(failures[0] if len(intents) == 1 else "")
    chosen.sort(key=lambda j: (j.unit.passage, j.unit.position))
    shown: set[tuple[int, str]] = set()  # a heading is shown once per passage
    for index, quoted in enumerate(chosen):
        if quoted.show_heading and (quoted.unit.passage, quoted.unit.heading) in shown:
            chosen[index] = replace(quoted, show_heading=False)
        shown.add((quoted.unit.passage, quoted.unit.heading))
    numbers = [_citation_number(j.unit.passage, len(hits[:CANDIDATE_PASSAGES]), len(hits)) for j in chosen]
    pieces = [_render(j, n) for j, n in zip(chosen, numbers, strict=True)]
    quoted_lines: dict[int, list[str]] = {}
    for j, n in zip(chosen, numbers, strict=True):
        quoted_lines.setdefault(n, []).extend(j.unit.lines)
    citations = [replace(c, highlights=quote_spans(c.text, quoted_lines.get(c.n, []))) for c in citations]
    multiline = any("\n" in p for p in pieces)
    text = ("\n\n" if multiline else " ").join(pieces)
    if not_covered:
        text += (
            "\n\nThe knowledge base does not cover this part of the question: " + "; ".join(f"“{p}”" for p in not_covered) + "."
        )
    return Answer(asked, text, True, citations, search_query, round(evidence, 4), kind, not_covered)


def _with_passage_councils(intent: Intent, councils: frozenset[str]) -> Intent:
    """The intent with the names of the question that the passages show to be councils added to its councils."""
    found: set[str] = set()
    for entity in intent.entities:
        slug = council_slug(entity)
        if slug in councils and slug not in intent.councils:
            found.add(slug)
    return replace(intent, councils=intent.councils | found) if found else intent


def _closest_failure(judged: Sequence[Judged]) -> str:
    """Why the unit that came closest failed: it named everything but lacked the kind of answer, or the words."""
    order = ("no passage found speaks", "no passage found gives a figure", "the passages found give no", "none of the passages")
    failures = [j.failure for j in judged if j.failure and not j.failure.startswith(("a list", "a lead-in", "a date or"))]
    for prefix in order:
        match = next((f for f in failures if f.startswith(prefix)), None)
        if match:
            return match
    return ""


def _citation_number(passage: int, candidates: int, retrieved: int) -> int:
    """Citations list the retrieved passages first, then passages read on from them (a list's next items)."""
    return passage + 1 if passage < candidates else retrieved + passage - candidates + 1


def _list_continuation(top: list[Hit], intents: list[Intent], following: Callable[[Hit, int], list[Hit]] | None) -> list[Hit]:
    """For "the fourth strand", the passages after a list that stops short of that item in the retrieved ones."""
    wanted = [i.ordinal for i in intents if i.ordinal]
    if not wanted or following is None:
        return []
    items = [(i, u) for i, hit in enumerate(top) for u in passage_units(hit, i) if u.item_number is not None]
    if not items or any(u.item_number == n for _, u in items for n in wanted):
        return []
    seen = {h.chunk_id for h in top}
    extra: list[Hit] = []
    for passage in dict.fromkeys(i for i, _ in items):
        for hit in following(top[passage], LIST_CONTINUATION_PASSAGES):
            if hit.chunk_id not in seen:
                seen.add(hit.chunk_id)
                extra.append(hit)
    return extra


def _overlaps(a: Unit, b: Unit) -> bool:
    """Two units of one passage that share text (a list and one of its items, a sentence twice)."""
    if a.passage != b.passage:
        return a.text == b.text
    return a.text in b.text or b.text in a.text


def _redundant(unit: Unit, picked: Sequence[Judged], vectors_by_hit: list[np.ndarray]) -> bool:
    """Does a unit say what a chosen one says (overlapping passages repeat sentences)?"""
    for other in picked:
        if other.unit.text == unit.text:
            return True
        mine = [vectors_by_hit[unit.passage][v] for v in unit.vectors if v < len(vectors_by_hit[unit.passage])]
        theirs = [
            vectors_by_hit[other.unit.passage][v] for v in other.unit.vectors if v < len(vectors_by_hit[other.unit.passage])
        ]
        if mine and theirs and max(float(a @ b) for a in mine for b in theirs) > REDUNDANT_COSINE:
            return True
    return False
