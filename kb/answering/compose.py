"""Composing a cited answer: the units of the retrieved passages that the answer model judges to answer each part of
a question, quoted with their sources, or a refusal that says what is missing."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np

from kb.answering.features import (
    FEATURE_NAMES,
    Mentions,
    Pair,
    complete_rows,
    content_words,
    feature_matrix,
    has_kind,
    has_no_verb,
    pair,
)
from kb.answering.model import LIKELY, AnswerModel, gates_shut, load_model
from kb.answering.question import SPELLING_CUTOFF, STRICT_KINDS, Intent, analyse, split_parts
from kb.answering.refusal import CONFIDENCE_THRESHOLD, absent_names, evidence_score, missing_from, refusal_text
from kb.answering.units import Unit, passage_units
from kb.councils import council_slug, councils_in
from kb.model import is_whole_word_piece
from kb.search import Hit
from kb.word_vectors import WordSpace

_SAME_WORD_PREFIX = 4  # letters two forms of one word share ("resigned", "resignation")
CANDIDATE_PASSAGES = 8  # passages whose units are weighed (the search fetches at least this many)
MAX_UNITS = 3  # units (sentences or lists) in one answer
REDUNDANT_COSINE = 0.9
SAME_SENTENCE_COSINE = 0.99  # the same sentence, quoted by two units (overlapping passages, a list and its item)
MAX_SHOWN_PROMPT_WORDS = 15  # a longer question put to a speaker is left out of the quote (it still guides the choice)
LIST_CONTINUATION_PASSAGES = 3
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")


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
    source_label: str = ""  # the publication's kind and date: "Evaluation report · July 2020"
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
    # What was searched for, when the conversation (a follow-up) or a correction made it differ from the question typed.
    searched_for: str | None = None
    # The question reports a present risk to someone: the answer is the safeguarding response, with no quotes.
    safeguarding: bool = False
    # Abbreviations the answer uses, with what they stand for (the taxonomy's glossary): ("MASH", "Multi-Agency ...").
    terms: list[tuple[str, str]] = field(default_factory=list)


def citation_for(hit: Hit, n: int) -> Citation:
    """The citation [n] of a retrieved passage (every field but n comes from the hit)."""
    return Citation(n=n, **{f.name: getattr(hit, f.name) for f in fields(Citation) if f.name not in ("n", "highlights")})


def quote_spans(text: str, lines: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where each quoted line stands in the passage `text`, as character spans.

    A line is found word for word, whatever lies between the words (list markers, line breaks and
    punctuation are reformatted when quoted); a line not found is left out.
    """
    tokens = list(_WORD.finditer(text))
    starts: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        starts.setdefault(token.group(), []).append(i)
    spans = []
    for line in lines:
        words = _WORD.findall(line)
        # The line's words, one after another among the passage's words (only non-word characters between them).
        first = next((i for i in starts.get(words[0], []) if _follows(tokens, i, words)), None) if words else None
        if first is not None:
            end = tokens[first + len(words) - 1].end()
            while end < len(text) and text[end] in ".!?:;,)’”\"'":  # the line's closing punctuation
                end += 1
            spans.append((tokens[first].start(), end))
    return tuple(sorted(set(spans)))


def _follows(tokens: list[re.Match[str]], first: int, words: list[str]) -> bool:
    return first + len(words) <= len(tokens) and all(tokens[first + k].group() == w for k, w in enumerate(words))


@dataclass(frozen=True)
class Candidates:
    """What an answer is chosen from: the passages read, their units, and each part of the question against each unit."""

    search_query: str
    passages: list[Hit]  # the retrieved passages read, then any read on from them (a list that runs on)
    units: list[Unit]
    intents: list[Intent]
    pairs: list[list[Pair]]  # per part of the question, one pair per unit
    vectors: list[np.ndarray]  # per passage, its sentence vectors
    evidence: float


@dataclass(frozen=True)
class Choice:
    """A unit chosen to answer a part of the question."""

    part: int
    unit: Unit
    probability: float
    show_heading: bool


def read_candidates(
    intents: list[Intent],
    hits: Sequence[Hit],
    *,
    sentence_vectors: Callable[[Sequence[Hit]], list[np.ndarray]],
    query_vector: np.ndarray,
    search_query: str,
    evidence: float,
    word_weight: Callable[[str], float] = lambda _: 1.0,
    unknown: Sequence[str] = (),
    prompts: Callable[[Sequence[Hit]], list[str]] | None = None,
    subjects: Callable[[Sequence[Hit]], list[str]] | None = None,
    following: Callable[[Hit, int], list[Hit]] | None = None,
    known_word: Callable[[str], bool] | None = None,
) -> Candidates:
    """Cut the top passages into units and pair each part of the question (`intents`) with each unit.

    A question's word that no passage uses ("reunifcation") is read as the units' word closest in spelling, if one is
    close: as the rarest word of all it would otherwise outweigh every word that can be found. A word close to none
    stays as typed: that no passage uses it is what says the question is about something else."""
    top = list(hits[:CANDIDATE_PASSAGES])
    top += _list_continuation(top, intents, following)
    vectors = sentence_vectors(top)
    asked = prompts(top) if prompts else [""] * len(top)
    about = subjects(top) if subjects else [""] * len(top)
    units = [u for i, hit in enumerate(top) for u in passage_units(hit, i, prompt=asked[i], subject=about[i])]
    relevance = [_relevance(u, vectors, top, query_vector.ravel()) for u in units]
    # Names vary in spelling ("MacAlister", "McAllister"): the capitalised words around the units are their spellings.
    # (A paragraph's units share its context: each distinct text is read once.)
    texts = {part for u in units for part in (u.text, u.context)}
    vocabulary = {w.lower() for text in texts for w in _CAPITALISED.findall(text)}
    weights: dict[str, float] = {}

    def cached_weight(word: str) -> float:
        if word not in weights:
            weights[word] = word_weight(word)
        return weights[word]

    # A place the question names that the passages call "<Place> Council" is a council too ("Marlow Vale").
    named_in_passages = frozenset(c for u in units for c in councils_in(u.text))
    intents = [_with_passage_councils(intent, named_in_passages) for intent in intents]
    words = WordSpace((u.text for u in units), content_words)
    if known_word is not None:
        intents = [_respelled(intent, units, known_word) for intent in intents]
    pairs = []
    for intent in intents:
        mentions = Mentions(intent, vocabulary, cached_weight)
        pairs.append(
            [
                pair(
                    intent,
                    unit,
                    relevance=r,
                    passage_rank=unit.passage,
                    passage_cosine=float(top[unit.passage].dense_score or 0.0),
                    mentions=mentions,
                    word_weight=cached_weight,
                    evidence=evidence,
                    unknown_names=len(unknown),
                    words=words,
                )
                for unit, r in zip(units, relevance, strict=True)
            ]
        )
    return Candidates(search_query, top, units, intents, pairs, vectors, evidence)


def _respelled(intent: Intent, units: Sequence[Unit], known_word: Callable[[str], bool]) -> Intent:
    """The intent with its focus words that no passage uses replaced by the units' word closest in spelling, if one
    is close (for an English word, one of its own forms)."""
    unknown = [word for word in intent.focus if not known_word(word)]  # each word looked up once
    if not unknown:
        return intent
    spellings = sorted({w for u in units for w in content_words(u.text)})
    respelled = {}
    for word in unknown:
        close = difflib.get_close_matches(word, spellings, n=1, cutoff=SPELLING_CUTOFF)
        # A word of the model's own vocabulary is English as typed: it is read as another form of itself
        # ("professions" as "professionals"), never as another word ("ring" as "bring").
        if close and (not is_whole_word_piece(word) or close[0][:_SAME_WORD_PREFIX] == word[:_SAME_WORD_PREFIX]):
            respelled[word] = close[0]
    return replace(intent, focus=tuple(dict.fromkeys(respelled.get(word, word) for word in intent.focus)))


def _relevance(unit: Unit, vectors: list[np.ndarray], passages: list[Hit], query: np.ndarray) -> float:
    """The cosine of the unit's closest sentence to the question (its passage's, a little less, when it has none)."""
    matrix = vectors[unit.passage]
    ids = [v for v in unit.vectors if v < len(matrix)]
    return float(np.max(matrix[ids] @ query)) if ids else float(passages[unit.passage].dense_score or 0.0) - 0.1


def choose_units(
    candidates: Candidates, matrices: Sequence[np.ndarray], model: AnswerModel
) -> tuple[list[Choice], list[int], list[str]]:
    """Per part of the question, the most probable unit (and close runners-up) if the part is answered at all.

    Returns the choices, the parts no unit answers, and for each such part what its closest unit lacked."""
    chosen: list[Choice] = []
    not_covered: list[int] = []
    reasons: list[str] = []
    for part, (pairs, matrix) in enumerate(zip(candidates.pairs, matrices, strict=True)):
        probs = model.probabilities(matrix)
        order = np.argsort(-probs, kind="stable")
        if not len(order) or model.answerability(matrix, probs) < model.threshold:
            not_covered.append(part)
            reasons.append(missing_from(pairs[_closest(pairs, matrix, model)], pairs) if len(order) else "")
            continue
        top = _list_of_asked_size(pairs, probs, _whole_list(pairs, probs, int(order[0])))
        best = pairs[top]
        picked = [Choice(part, best.unit, float(probs[top]), _shows_heading(best))]
        for index in order[1:]:
            unit, probability = pairs[index].unit, float(probs[index])
            # Runners-up close to the best are quoted too (gated units have probability 0).
            if probability <= 0.0 or probability < picked[0].probability - model.extra_margin:
                break
            if len(picked) >= MAX_UNITS - (1 if best.unit.is_list else 0):
                break
            if best.unit.is_list and not unit.is_list:
                continue  # a list answers on its own; only another list may join it
            if unit.lead_in:
                continue  # a sentence that introduces a list says nothing of its own beside the best answer
            if any(_overlaps(unit, c.unit) for c in picked + chosen):
                continue
            if _redundant(unit, picked + chosen, candidates.vectors):
                continue
            picked.append(Choice(part, unit, probability, _shows_heading(pairs[index])))
        chosen.extend(c for c in picked if not any(c.unit == o.unit for o in chosen))
    # A part answered by what another part's quote already says is covered ("How much is the DfE investing and
    # how many councils?": "£84 million ... to support 18 local authorities" answers both).
    answered_too = [p for p in not_covered if _quoted_answers(candidates.pairs[p], matrices[p], chosen, model)]
    for part in answered_too:
        reasons.pop(not_covered.index(part))
        not_covered.remove(part)
    return chosen, not_covered, reasons


def _whole_list(pairs: list[Pair], probs: np.ndarray, best: int) -> int:
    """The best unit, or the likely list that holds it when it is a fragment: an item such as "financial
    information;" answers only in part what its list answers ("What sort of information goes on the form?")."""
    item = pairs[best].unit
    if item.is_list or not has_no_verb(pairs[best]):
        return best
    return _likeliest_list(pairs, probs, best, lambda unit: unit.passage == item.passage and item.text in unit.text)


def _list_of_asked_size(pairs: list[Pair], probs: np.ndarray, best: int) -> int:
    """The best unit, or a likely list of as many items as the question asks for ("What are the three reforms ...?"
    answered by the three reforms, not by a sentence that speaks of them)."""
    wanted = pairs[best].intent.items_asked
    if not wanted or (pairs[best].unit.is_list and pairs[best].unit.items == wanted):
        return best
    return _likeliest_list(pairs, probs, best, lambda unit: unit.items == wanted)


def _likeliest_list(pairs: list[Pair], probs: np.ndarray, best: int, fits: Callable[[Unit], bool]) -> int:
    """The most probable list unit that `fits` and is likely itself (p >= LIKELY); `best` when there is none."""
    lists = [i for i, p in enumerate(pairs) if p.unit.is_list and fits(p.unit) and probs[i] >= LIKELY]
    return max(lists, key=lambda i: probs[i], default=best)


def _quoted_answers(pairs: list[Pair], matrix: np.ndarray, chosen: list[Choice], model: AnswerModel) -> bool:
    """Does a unit already chosen pass this part's gates and stand as a likely answer to it?"""
    quoted = {id(c.unit) for c in chosen}
    rows = [i for i, p in enumerate(pairs) if id(p.unit) in quoted]
    if not rows:
        return False
    probabilities = model.probabilities(matrix[rows])
    return bool(probabilities.max() >= LIKELY)


def _closest(pairs: list[Pair], matrix: np.ndarray, model: AnswerModel) -> int:
    """The unit that came closest to answering: one about what the question names, then with fewest gates shut,
    then the most probable (what it lacks is what the refusal says)."""
    # How many gates shut each unit, not just the first that did, and whether it names what the question names.
    complete_rows(pairs, matrix, list(range(len(pairs))), (*model.gates, "names_missing_around"))
    names = matrix[:, FEATURE_NAMES.index("names_missing_around")]
    shut = gates_shut(matrix, model.gates)
    # The units tied first on names and gates are weighed by their probability: their skipped features are needed.
    tied = np.flatnonzero((names == names.min()) & (shut == shut[names == names.min()].min()))
    complete_rows(pairs, matrix, [int(row) for row in tied])
    return int(tied[np.argsort(-model.units(matrix[tied]), kind="stable")[0]])


def _shows_heading(p: Pair) -> bool:
    """Is the unit quoted after its heading? When the heading holds what the unit lacks: the date, the figure,
    or the name the question asks about ("Family Safeguarding: Hertfordshire County Council")."""
    unit, intent = p.unit, p.intent
    if not unit.heading or unit.is_list:
        return False
    heading_kind = intent.kind if intent.kind != "time" else "date"
    lacking = intent.strict and not has_kind(intent.kind, unit.text, intent)
    if lacking and has_kind(heading_kind, unit.heading, intent):
        return True
    return bool(p.mentions.missing(unit.text)) and not p.mentions.missing(f"{unit.heading} {unit.text}")


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
    subjects: Callable[[Sequence[Hit]], list[str]] | None = None,
    following: Callable[[Hit, int], list[Hit]] | None = None,
    known_word: Callable[[str], bool] | None = None,
    cited: int = 5,
    model: AnswerModel | None = None,
    trace: list[Candidates] | None = None,
) -> Answer:
    """Quote the units of the top passages that answer each part of the question, or refuse plainly.

    The answer model weighs every unit against each part of the question; a part whose best unit is not
    probable enough is named as not covered, and a question none of whose parts is answered is refused
    with what the closest passage lacked. `cited` passages are listed as sources, and any other quoted.
    """
    search_query = search_query or question
    asked = asked or question
    model = model or load_model()
    intents = [analyse(part, context=context) for part in split_parts(question)]
    kind = "list" if intents[0].wants_list and intents[0].kind not in STRICT_KINDS else intents[0].kind
    evidence = evidence_score(hits, search_query, unknown=unknown)
    listed = [citation_for(h, i + 1) for i, h in enumerate(hits[:cited])]

    def refuse(reason: str) -> Answer:
        return Answer(asked, refusal_text(reason), False, listed, search_query, round(evidence, 4), kind)

    if not hits or evidence < threshold:
        return refuse("")
    absent = absent_names(unknown, (h.text for h in hits[:CANDIDATE_PASSAGES]))
    if absent:
        return refuse(f"none of its publications mentions {' or '.join(absent)}")
    candidates = read_candidates(
        intents,
        hits,
        sentence_vectors=sentence_vectors,
        query_vector=query_vector,
        search_query=search_query,
        evidence=evidence,
        word_weight=word_weight,
        unknown=unknown,
        prompts=prompts,
        subjects=subjects,
        following=following,
        known_word=known_word,
    )
    if trace is not None:
        trace.append(candidates)
    matrices = [feature_matrix(pairs, model.gates) for pairs in candidates.pairs]
    chosen, not_covered, reasons = choose_units(candidates, matrices, model)
    if not chosen:
        return refuse(reasons[0] if len(reasons) == 1 else "")
    return _render_answer(asked, candidates, chosen, [candidates.intents[i].text for i in not_covered], listed, kind=kind)


def _render_answer(
    asked: str, candidates: Candidates, chosen: list[Choice], not_covered: list[str], listed: list[Citation], *, kind: str
) -> Answer:
    """The answer text with [n] markers, the sources (retrieved ones, then others quoted) and their highlights."""
    chosen = in_answer_order(chosen)
    shown: set[tuple[int, str]] = set()  # a heading is shown once per passage
    for index, choice in enumerate(chosen):
        if choice.show_heading and (choice.unit.passage, choice.unit.heading) in shown:
            chosen[index] = replace(choice, show_heading=False)
        shown.add((choice.unit.passage, choice.unit.heading))
    citations = list(listed)
    numbers: dict[int, int] = {}
    for choice in chosen:
        passage = choice.unit.passage
        if passage < len(listed):
            numbers[passage] = passage + 1
        elif passage not in numbers:
            numbers[passage] = len(citations) + 1
            citations.append(citation_for(candidates.passages[passage], numbers[passage]))
    pieces = [render_choice(c, numbers[c.unit.passage]) for c in chosen]
    quoted_lines: dict[int, list[str]] = {}
    for choice in chosen:
        quoted_lines.setdefault(numbers[choice.unit.passage], []).extend(choice.unit.lines)
    citations = [replace(c, highlights=quote_spans(c.text, quoted_lines.get(c.n, []))) for c in citations]
    text = ("\n\n" if any("\n" in p for p in pieces) else " ").join(pieces)
    if not_covered:
        parts = "; ".join(f"“{p}”" for p in not_covered)
        text += f"\n\nThe knowledge base does not cover this part of the question: {parts}."
    return Answer(asked, text, True, citations, candidates.search_query, round(candidates.evidence, 4), kind, not_covered)


def in_answer_order(chosen: list[Choice]) -> list[Choice]:
    """The quotes as the answer shows them: each part's in turn, the passage of its likeliest quote first, then its
    other passages by their likeliest quote; within a passage, in reading order (sentences of one paragraph read on
    from each other). A runner-up never stands before the answer it accompanies."""
    first_part: dict[int, int] = {}
    likeliest: dict[int, float] = {}
    for choice in chosen:
        passage = choice.unit.passage
        first_part[passage] = min(first_part.get(passage, choice.part), choice.part)
        likeliest[passage] = max(likeliest.get(passage, 0.0), choice.probability)
    return sorted(chosen, key=lambda c: (first_part[c.unit.passage], -likeliest[c.unit.passage], c.unit.passage, c.unit.position))


def render_choice(choice: Choice, n: int) -> str:
    """One chosen unit as the answer quotes it: after its speaker, the question put to them, or its heading."""
    unit = choice.unit
    lines = list(unit.lines)
    if choice.show_heading:
        lines[0] = f"{unit.heading} — {lines[0]}"
    if unit.speaker:
        lines[0] = f"{unit.speaker}: {lines[0]}"
    if unit.prompt and len(unit.prompt.split()) <= MAX_SHOWN_PROMPT_WORDS:
        lines[0] = f"Asked “{unit.prompt}”, {lines[0]}"
    return "\n".join(lines) + f" [{n}]"


def _with_passage_councils(intent: Intent, councils: frozenset[str]) -> Intent:
    """The intent with the names of the question that the passages show to be councils added to its councils."""
    found: set[str] = set()
    for entity in intent.entities:
        slug = council_slug(entity)
        if slug in councils and slug not in intent.councils:
            found.add(slug)
    return replace(intent, councils=intent.councils | found) if found else intent


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


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _redundant(unit: Unit, picked: Sequence[Choice], vectors_by_hit: list[np.ndarray]) -> bool:
    """Does a unit say what a chosen one says (overlapping passages repeat sentences)? Two units with other
    figures never do, however alike their words ("referred: 36.2%", "not referred: 44.8%")."""
    figures = set(_FIGURE.findall(unit.text))
    for other in picked:
        if other.unit.text == unit.text:
            return True
        mine = [vectors_by_hit[unit.passage][v] for v in unit.vectors if v < len(vectors_by_hit[unit.passage])]
        theirs = [
            vectors_by_hit[other.unit.passage][v] for v in other.unit.vectors if v < len(vectors_by_hit[other.unit.passage])
        ]
        closest = max((float(a @ b) for a in mine for b in theirs), default=0.0)
        if closest > SAME_SENTENCE_COSINE or (closest > REDUNDANT_COSINE and figures == set(_FIGURE.findall(other.unit.text))):
            return True
    return False
