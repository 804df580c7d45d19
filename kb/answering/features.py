"""What a unit holds for a question, as plain functions: the kind of answer (a date, a figure, a council), the
names and words of the question, and the feature vector the answer model weighs."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kb.answering.question import ROLE_WORDS, SPELLING_CUTOFF, Intent
from kb.answering.units import LABEL, NAVIGATION, Unit, is_heading_like, row_cells
from kb.caching import memoised
from kb.councils import council_name, council_slug, councils_in, load_councils
from kb.lexical import STOPWORDS
from kb.taxonomy import Term, load_taxonomy, normalise_quotes, stands_for
from kb.word_vectors import WordSpace

_WORD = re.compile(r"\w+")
_LOWER_WORD = re.compile(r"[a-z][a-z'-]+")  # the words of a lowercased text, for closeness


def stem(word: str) -> str:
    """A crude prefix stem, enough to match 'adopters' with 'adopting' in a coverage check."""
    return word[: max(4, len(word) - 3)] if len(word) > 5 else word


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEARS = r"\b(?:1[89]\d\d|20\d\d)s?\b"  # "2019", "1990s"
_DATE = re.compile(rf"{_YEARS}|\b(?:{_MONTHS})\b|\b(?:spring|summer|autumn|winter)\s+(?:of\s+)?\d{{4}}", re.I)
_MONTH = re.compile(rf"\b(?:{_MONTHS})\b", re.I)
_MONTH_NAME = re.compile(rf"\b(?:{_MONTHS})\b")  # as a date writes it: not the verb "may"
_MONTH_AND_YEAR = re.compile(rf"\b(?:{_MONTHS})\b,?(?:\s+({_YEARS}))?", re.I)  # the year written after a month, if any
_YEAR = re.compile(_YEARS)
_NUMBER_WORDS = (  # not "one" or "once": mostly not figures ("one team", "prepare one")
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|"
    "million|millions|billion|half|third|quarter|dozen|dozens|twice"
)
# A figure that is not a year ("12", "3.5%", "per cent", "twelve"), after what may not stand before it.
_FIGURE_BODY = rf"(?!(?:1[89]\d\d|20\d\d)\b)\d+(?:[.,]\d+)?(?:\s*%|\b)|%|\bper\s?cent\b|\b(?:{_NUMBER_WORDS})\b"
_NUMBER = re.compile(rf"(?<![\d.]){_FIGURE_BODY}|£\s?\d", re.I)
# A time given relative to something, or the condition that sets it: "within six weeks", "before any letter is sent".
_RELATIVE_TIME = re.compile(
    r"\b(?:within|after|before|by|until|every|each|once|when|whenever|as soon as|at least|no later than)\b"
    r"|\b(?:day|week|month|year|fortnight)s?\b",
    re.I,
)
_PERCENT = re.compile(r"%|\bper\s?cent\b|\b(?:half|third|quarter|fifth|proportion)\b", re.I)
_AGE_PATTERN = (
    r"\baged?\s+(?:between\s+|from\s+|up\s+to\s+)?\d+|\bages\s+\d+|\b\d+\s*(?:-|–|to)\s*\d+[ -]?(?:years?|yrs?)\b|"
    r"\b\d+\s*(?:years?|yrs?)[ -]old\b|\b(?:under|over)[ -]\d+s?\b|"
    # a person's age told as their story tells it: "since she was 11", "when he turned 16"
    r"\b(?:he|she|they|I|we|you)\s+(?:was|were|is|are|turned|reached)\s+\d{1,2}\b(?!\s*(?:%|per|years? ago|\.\d))"
)
_AGE = re.compile(_AGE_PATTERN, re.I)
_YEAR_RANGE = re.compile(r"\b(19|20)(\d\d)\s*[-–/]\s*(\d\d)\b")  # "2016-17": the century, the year, the next year
# What is not a count of things: an age or age range, a financial year's second half ("2016-17"), a day of a month,
# a duration ("six-month pilot") and a sum of money.
_NOT_A_COUNT = re.compile(
    r"\baged?\s+(?:between\s+|from\s+|up\s+to\s+)?\d+(?:\s*(?:-|–|to|and)\s*\d+)?|"
    rf"{_AGE_PATTERN}|"
    rf"{_YEAR_RANGE.pattern}|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b|"
    rf"\b(?:\d+|{_NUMBER_WORDS})[\s-](?:hour|day|week|month|year)s?\b|"
    r"£\s?\d[\d,.]*(?:\s*(?:m|bn|k|million|billion)\b)?",
    re.I,
)
MODEL_NAMES = frozenset(t.name for t in load_taxonomy().models.values())
_PURPOSE = re.compile(
    r"\b(?:aims?|goals?|purpose|objectives?|designed to|in order to|so that|seeks? to|intended to|helps?|guides?|to guide|"
    r"to help|to support|to build|to develop|to reduce|to enable|to ensure)\b",
    re.I,
)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:[ \t]+[A-Z][a-z'’]+)+\b")  # on one line: names do not run across list items
_REASON = re.compile(
    r"\b(?:because|so that|due to|as a result|in order to|anxi\w+|concern\w*|worr\w+|risk|means that|since)\b", re.I
)
# A clause's numbering: "2.2 Social workers ...", "3. What ...", "b) ..."; not the figure that opens "38 children had ...".
_CLAUSE_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2})*(?=\s+[A-Z])|[a-z][.)])\s+(?=\S)")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
_ENUMERATION = re.compile(r"\w[^,.;:]*,[^.;:]*\b(?:and|or)\b")  # "A, B and C" in one sentence
COVERAGE_IN_CONTEXT = 0.6  # a question word found around a unit (its paragraph, heading) rather than in it


def has_kind(kind: str, text: str, intent: Intent) -> bool:
    """Does a text hold the kind of answer a question asks for (a date for "when", a figure for "how many" ...)?"""
    if kind == "person" and intent.named_role:
        return _names_role_holder(text, intent.text, intent.named_role)
    councils, excluded = (intent.councils, intent.excluded) if kind == "council" else (frozenset(), frozenset())
    # "Which month in 2023 ...?": a month written with another year ("March 2024") does not answer it.
    years = frozenset(_YEAR.findall(intent.text)) if intent.wants_month else frozenset()
    counted = kind == "number" and intent.counts_things
    return _holds_kind(kind, text, intent.percent, intent.wants_month, intent.wants_year, councils, excluded, years, counted)


# Words in a run of capitals that make it a body or a role, not a person's name: "Domestic Abuse Commissioner",
# "University of Birmingham", "Keeping Families Together Team".
_NOT_A_PERSON = re.compile(
    r"\b(?:council|university|college|team|service|services|trust|board|panel|partnership|programme|project|act|"
    rf"office|department|group|unit|hub|centre|institute|foundation|families|children|{ROLE_WORDS})\b",
    re.I,
)


ROLE_HOLDER_CHARS = 40  # how near its role a name stands: "The lead inspector, Julie Knight," "Cathy Ashley, chief executive"


@memoised
def _names_role_holder(text: str, question: str, role: str) -> bool:
    """For "Who was the lead inspector ...?": does the text name a person beside the role asked about? A run of capitals
    made of the question's own words or of a role's or a body's words is not a person's name."""
    asked = {w.lower() for w in re.findall(r"[\w'’-]+", question)}
    text = _CLAUSE_NUMBER.sub("", text)
    # "the deputy director at the time, Saleem Tariq" names a deputy, not the director asked about.
    lesser = set() if _LESSER_RANK.search(f"{role} ") else {m.end() for m in _LESSER_RANK.finditer(text)}
    roles = [
        m.span() for m in re.finditer(rf"\b{re.escape(stem(role.split()[-1]))}\w*", text, re.I) if m.start() not in lesser
    ]
    taxonomy = load_taxonomy()
    for match in _PERSON.finditer(text):
        # "Mayor Chris Cooke", "Domestic Abuse Commissioner": a name is what follows a role's or a body's words.
        cut = max((m.end() for m in _NOT_A_PERSON.finditer(match.group(0))), default=0)
        words = [w for w in match.group(0)[cut:].split() if w.lower() not in STOPWORDS]
        name = " ".join(words)
        if len(words) < 2 or all(w.lower() in asked for w in words):
            continue
        if any(t.mentioned_in(name) for t in taxonomy.models.values()) or councils_in(name):
            continue
        if any(_in_apposition(text, match.start() + cut, match.end(), r) for r in roles):
            return True
    return False


_LESSER_RANK = re.compile(r"\b(?:deputy|assistant|vice|associate)[\s-]+", re.I)  # a rank below the role it qualifies
_NOT_APPOSITION = re.compile(r"[.;:!?]|\b(?:to|and|or|from|with|by|such|as|than|who|which)\b", re.I)


def _in_apposition(text: str, start: int, end: int, role: tuple[int, int]) -> bool:
    """Does a name (text[start:end]) stand beside the role word (text[role[0]:role[1]]) as its holder: "The lead
    inspector, Julie Knight", "Priya Shah, Director of ...", "Mayor Chris Cooke"; not "leaders such as Josh McAlister
    ... to Directors"."""
    gap = text[end : role[0]] if role[0] >= end else text[role[1] : start]
    return len(gap) <= ROLE_HOLDER_CHARS and not _NOT_APPOSITION.search(gap)


@memoised
def _holds_kind(
    kind: str,
    text: str,
    percent: bool,
    wants_month: bool,
    wants_year: bool,
    councils: frozenset[str],
    excluded: frozenset[str],
    years: frozenset[str] = frozenset(),
    counted: bool = False,
) -> bool:
    """has_kind on what of the question it reads (units are asked again and again within an answer)."""
    text = _CLAUSE_NUMBER.sub("", text)  # "2.2 Social workers ...", "3. What the hub offers": a numbering, not a figure
    if kind == "date" and wants_month and years:
        return any(m.group(1) in years or not m.group(1) for m in _MONTH_AND_YEAR.finditer(text))
    if kind == "date":
        return bool((_MONTH if wants_month else _YEAR if wants_year else _DATE).search(text))
    if kind == "time":
        return bool(_DATE.search(text) or _RELATIVE_TIME.search(text))
    if kind == "number" and counted:
        # "How many young people ...?" asks for a count: an age, a date, a duration or a sum of money is not one.
        return bool(_NUMBER.search(_NOT_A_COUNT.sub(" ", text)))
    if kind == "number":
        return bool(_PERCENT.search(text)) if percent else bool(_NUMBER.search(text))
    if kind == "age":
        return bool(_AGE.search(text))
    if kind == "council":
        return bool(councils_in(text) - councils - excluded) or bool(
            councils_in(text) & excluded and councils_in(text) - excluded
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
class NameCheck:
    """How one name of the question is recognised: a model's aliases, a council's names, or its words."""

    name: str
    model: Term | None = None
    councils: frozenset[str] = frozenset()
    rarest: frozenset[str] = frozenset()  # spellings of the name's rarest word
    words: tuple[frozenset[str], ...] = ()  # spellings of each of its words
    spelled_out: re.Pattern[str] | None = None  # an abbreviation's words: "Department for Education" for "DfE"
    # A place not on the list of councils that the passages call "<Place> Council" ("Harrowfield Borough Council"):
    # found by its words like any name, but what the question is about, as a listed council is.
    place: bool = False

    def found_in(self, text: str, words: frozenset[str]) -> bool:
        if self.model is not None:
            return self.model.mentioned_in(text)
        if self.councils:
            return bool(self.councils & councils_in(text))
        if self.spelled_out is not None and self.spelled_out.search(text):
            return True
        return bool(self.rarest & words) and 2 * sum(1 for w in self.words if w & words) >= len(self.words)


_ABBREVIATION = re.compile(r"^[A-Z](?:[a-z]?[A-Z])+s?$")  # "RCSLT", "DfE", "FGCs"; not "McAllister"
_LINKING = r"(?:of|and|for|the|in|on|to|&)"


@memoised
def spelled_out(name: str) -> re.Pattern[str] | None:
    """For an abbreviation of three letters or more ("RCSLT", "DfE", "FGCs"), words whose initials spell it, linking
    words allowed between them ("Royal College of Speech and Language Therapists", "family group conferences"),
    or what the taxonomy's glossary says it stands for."""
    if not _ABBREVIATION.match(name):
        return None
    letters = name.removesuffix("s")
    if len(letters) < 3:
        return None
    words = [rf"{re.escape(c)}[\w'’-]*" for c in letters.lower()]
    initials = r"\b" + rf"[\W_]+(?:{_LINKING}[\W_]+)*?".join(words) + r"\b"
    meaning = load_taxonomy().glossary.get(letters)
    forms = [initials] + ([re.escape(stands_for(meaning))] if meaning else [])
    return re.compile("|".join(forms), re.I)


class Mentions:
    """Whether a text mentions the names of a question: models and councils by their names, other names
    by their rarest word and half of their words, allowing for variant spellings ("MacAlister", "McAllister")."""

    def __init__(self, intent: Intent, vocabulary: set[str], word_weight: Callable[[str], float]) -> None:
        taxonomy = load_taxonomy()
        self._seen: dict[str, list[str]] = {}
        self.checks: list[NameCheck] = []
        for entity in intent.entities:
            model = next((t for t in taxonomy.models.values() if t.name == entity), None)
            councils = frozenset(councils_in(entity))
            words = [w for w in re.findall(r"\w+", entity.lower()) if w not in STOPWORDS and len(w) > 2]
            if model is not None or councils:
                self.checks.append(NameCheck(entity, model=model, councils=councils))
            elif words:
                self.checks.append(
                    NameCheck(
                        entity,
                        rarest=self._forms(max(words, key=word_weight), vocabulary),
                        words=tuple(self._forms(w, vocabulary) for w in words),
                        spelled_out=spelled_out(entity),
                        place=council_slug(entity) in intent.councils,
                    )
                )

    @staticmethod
    def _forms(word: str, vocabulary: set[str]) -> frozenset[str]:
        close = difflib.get_close_matches(word, vocabulary, n=8, cutoff=SPELLING_CUTOFF) if len(word) >= 5 else []
        return frozenset({word, *close})

    def missing(self, text: str) -> list[str]:
        """The names `text` does not mention (each text is checked once per question: features ask again)."""
        if text not in self._seen:
            words = _words_of(text)
            self._seen[text] = [check.name for check in self.checks if not check.found_in(text, words)]
        return self._seen[text]


@memoised
def _models_in(text: str) -> frozenset[str]:
    return frozenset(t.name for t in load_taxonomy().models.values() if t.mentioned_in(normalise_quotes(text)))


def _places_named(intent: Intent, text: str) -> frozenset[str]:
    """The councils the question asks about that are on no list but that the text names by their place ("Harrowfield",
    which the passages call "Harrowfield Borough Council")."""
    unlisted = intent.councils - load_councils().councils.keys()
    return frozenset(c for c in unlisted if re.search(rf"\b{re.escape(council_name(c))}\b", text, re.I))


def about_another(intent: Intent, text: str) -> bool:
    """Does the unit name another council or model than the one the question asks about, and not that one?"""
    if intent.kind == "council":
        return False
    named = councils_in(text) | _places_named(intent, text)
    if intent.councils and named and not (named & intent.councils):
        return True
    asked_models = {m for m in intent.entities if m in MODEL_NAMES}
    stated = _models_in(text)
    return bool(asked_models and stated and not (stated & asked_models))


@memoised
def _words_of(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


@memoised
def _question_pairs(question: str) -> tuple[tuple[str, str], ...]:
    """Each pair of adjacent content words of a question, as the stems they start with."""
    words = [w for w in _WORD.findall(normalise_quotes(question).lower()) if w not in STOPWORDS]
    return tuple(dict.fromkeys((stem(a), stem(b)) for a, b in zip(words, words[1:], strict=False)))


def _side_by_side(tokens: list[str], a: str, b: str) -> bool:
    """A word starting with `a`, then one starting with `b`, with up to two short words (of 1-4 letters) between
    ("difference for the kinship carers")."""
    for i, token in enumerate(tokens):
        if token.startswith(a):
            for j in range(i + 1, min(i + 4, len(tokens))):
                if tokens[j].startswith(b):
                    return True
                if len(tokens[j]) > 4:
                    break
    return False


def names_other_models_too(intent: Intent, text: str) -> bool:
    """Does the unit name, beside the model asked about, other models as well?"""
    asked_models = {m for m in intent.entities if m in MODEL_NAMES}
    return bool(asked_models) and bool(_models_in(text) - asked_models)


def phrase_share(question: str, text: str) -> float:
    """The share of the question's adjacent content-word pairs that stand side by side in the text too."""
    pairs = _question_pairs(question)
    if not pairs:
        return 0.0
    lowered = normalise_quotes(text).lower()
    present = [(a, b) for a, b in pairs if a in lowered and b in lowered]  # most pairs are not there at all
    tokens = _WORD.findall(lowered) if present else []
    return sum(1 for a, b in present if _side_by_side(tokens, a, b)) / len(pairs)


def focus_coverage(
    intent: Intent,
    text: str,
    context: str,
    word_weight: Callable[[str], float],
    *,
    ordinal: bool = False,
    elsewise: Callable[[str], float] = lambda _: 0.0,
) -> float:
    """The IDF-weighted share of a question's focus words in a text (or, for less, in its context); a word in
    neither counts for `elsewise(word)` of its weight."""
    # The fourth item of a list is what "the fourth strand" asks for, whatever the item's words.
    focus = [w for w in intent.focus if not (ordinal and w in intent.ordinal_words)]
    if not focus:
        return 1.0
    text, context = text.lower(), context.lower()
    total = found = 0.0
    for word in focus:
        weight = word_weight(word)
        root = stem(word)
        total += weight
        found += weight if root in text else COVERAGE_IN_CONTEXT * weight if root in context else elsewise(word) * weight
    return found / total if total else 1.0


# Link labels and file notes of saved web pages: "What is family safeguarding (PDF 16.1mb)".
_LINK_LABEL = re.compile(
    r"\((?:pdf|docx?|xlsx?|pptx?|csv)\b[^)]*\)|\b\d+(?:\.\d+)?\s?[km]b\b|\bopens in a new\b|https?://|\bwww\."
    # An address written without its scheme: "leeds.gov.uk/residents/family-valued".
    r"|\w\.(?:gov|org|co|ac|nhs|com|net|sch|police)(?:\.uk)?/\S",
    re.I,
)
# "NetCare (2017) Leeds Family Valued Evaluation Report", "Forrester, D. et al. (2017) ...": an entry of a list of
# references (the authors' initials may stand before its year), which names a publication rather than saying anything
# about it.
_REFERENCE_ENTRY = re.compile(r"^(?:(?:[^.()\n]|(?<=\b[A-Z])\.|(?<=\bal)\.){0,80}\s)?\((?:19|20)\d\d[a-z]?\)\s*[A-Z\d]")
# A document's own particulars, quoted from its metadata block or cover table: never an answer.
_METADATA_LINE = re.compile(
    r"^(?:report title|title|authors?|report author|date(?: of (?:report|meeting|publication))?|published|publication date|"
    r"(?:last )?updated|reading time|contact(?: officer)?|e-?mail|tel(?:ephone)?|phone|wards?(?: affected)?|classification|"
    r"status|reference|ref|version|category|tags?|key decision|decision maker|sources?|references|further reading)\s*[:|]",
    re.I,
)
# A page's dateline standing alone, with no colon: "Published 12 March 2024 Last updated 3 June 2024", "Page last
# reviewed: 2 May 2024". (A dateline joined to the sentence after it is a unit of its own: "Published March 2024 The
# report ...".)
_DATELINE_ALONE = re.compile(
    rf"^(?:\s*(?:first |last |page last |next )?(?:published|updated|reviewed|posted|review due)(?: on)?:?\s*"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\s+\d{{4}}[.,;|]?)+\s*$",
    re.I,
)
_VERB_LIKE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could|should|must|may|\w+ed|\w+s)\b", re.I
)
_LABEL_VALUE = re.compile(rf"{LABEL}:\s*\S")  # "Sample size: 51,000", a table row


@dataclass(frozen=True)
class Pair:
    """A question (one part of it) and one unit that might answer it, with what retrieval said of the unit."""

    intent: Intent
    unit: Unit
    relevance: float  # cosine between the question and the unit's closest sentence
    passage_rank: int  # 0 for the top passage
    passage_cosine: float
    mentions: Mentions
    word_weight: Callable[[str], float]
    evidence: float  # how well the retrieved passages as a whole support the question
    unknown_names: int  # names in the question that no passage of the knowledge base mentions
    around: str = field(default="")  # what gives the unit its subject (set by `pair`)
    words: WordSpace | None = None  # the candidate units' word vectors, shared by an answer's pairs


def pair(intent: Intent, unit: Unit, **signals: object) -> Pair:
    """A Pair, with `around`: a list is about its lead-in and heading (and the names in a list of names),
    a sentence about its paragraph, heading and title."""
    around = f"{unit.scope} {unit.text if unit.names_list else ''}" if unit.is_list else f"{unit.text} {unit.context}"
    return Pair(intent=intent, unit=unit, around=around, **signals)  # type: ignore[arg-type]


def cosine_to_question(p: Pair) -> float:
    """How close the unit's closest sentence is to the question in embedding space."""
    return p.relevance


def passage_rank_prior(p: Pair) -> float:
    """1 for a unit of the top passage, 1/2 for the second ..."""
    return 1.0 / (1 + p.passage_rank)


def passage_cosine(p: Pair) -> float:
    """How close the unit's whole passage is to the question."""
    return p.passage_cosine


def focus_in_unit(p: Pair) -> float:
    """IDF-weighted share of the question's focus words in the unit itself."""
    return focus_coverage(p.intent, p.unit.text, "", p.word_weight, ordinal=ordinal_item(p) > 0)


def focus_related_in_unit(p: Pair) -> float:
    """The IDF-weighted share of the question's focus words in the unit, a word the unit puts otherwise counting
    as much as it is related to the unit's closest word ("begin" and "started", kb/word_vectors.py)."""
    space = p.words or WordSpace([p.unit.text], content_words)
    lowered = p.unit.text.lower()
    related = space.closeness_of((w for w in p.intent.focus if stem(w) not in lowered), p.unit.text)
    return focus_coverage(p.intent, p.unit.text, "", p.word_weight, elsewise=lambda w: related.get(w, 0.0))


@memoised
def content_words(text: str) -> tuple[str, ...]:
    """A unit's words that may stand for a question's word: not stopwords, three letters or more, lowercased."""
    return tuple(sorted({w for w in _LOWER_WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2}))


def focus_around_unit(p: Pair) -> float:
    """The same share, counting (for less) words found in the unit's paragraph, heading and title; the first words
    of a reply answer the question put to the speaker, so that question's words count for them too."""
    around = focus_coverage(p.intent, p.unit.text, p.unit.context, p.word_weight, ordinal=ordinal_item(p) > 0)
    return max(around, focus_in_prompt(p))


def focus_in_prompt(p: Pair) -> float:
    """For the first words of a transcript reply: the share of focus words in the question put to the speaker."""
    return focus_coverage(p.intent, p.unit.prompt, "", p.word_weight) if p.unit.opens_turn else 0.0


_CLAUSE_BREAK = re.compile(r";|\s[–—-]\s")


def words_across_clauses(p: Pair) -> float:
    """How much more of the question (its focus words and names) the unit holds than its best clause does: a
    sentence listing "Rochdale's Ofsted judgement; Coventry's reunification work" matches "Ofsted, reunification,
    Rochdale" only across its clauses. A table row's clauses are its cells, each read with the row's label
    ("Warrington — Went live: 1 April 2021"): the label is what every cell is about."""
    clauses = row_cells(p.unit.text) or [c for c in _CLAUSE_BREAK.split(p.unit.text) if c.strip()]
    if len(clauses) < 2 or p.unit.is_list:
        return 0.0
    return _question_words_in(p, p.unit.text) - max(_question_words_in(p, c) for c in clauses)


def _question_words_in(p: Pair, text: str) -> float:
    """The share of the question's focus words (by weight) and names (each as much as an average focus word) in `text`."""
    focus = focus_coverage(p.intent, text, "", p.word_weight)
    names = len(p.mentions.checks)
    if not names:
        return focus
    found = names - len(p.mentions.missing(text))
    words = max(len(p.intent.focus), 1)
    return (focus * words + found) / (words + names)


def question_pairs_side_by_side(p: Pair) -> float:
    """The share of the question's adjacent word pairs that stand side by side in the unit (or, for the first
    words of a reply, in the question put to the speaker)."""
    prompt = phrase_share(p.intent.text, p.unit.prompt) if p.unit.opens_turn else 0.0
    return max(phrase_share(p.intent.text, p.unit.text), prompt)


def names_missing_around(p: Pair) -> float:
    """The share of the question's names (models, councils, people) that neither the unit nor its surroundings mention."""
    if not p.mentions.checks:
        return 0.0
    return len(_missing_around(p)) / len(p.mentions.checks)


def subject_missing_around(p: Pair) -> float:
    """1 when the unit and its surroundings leave out a council or model the question names, or every name it
    names: what the question is about. A lesser name left out ("Pathways", "Ofsted") only weighs against the unit."""
    if not p.mentions.checks:
        return 0.0
    missing = _missing_around(p)
    subject = any(c.name in missing and (c.model is not None or c.councils or c.place) for c in p.mentions.checks)
    return float(subject or len(missing) == len(p.mentions.checks))


def _missing_around(p: Pair) -> set[str]:
    """The question's names that neither the unit nor its surroundings mention."""
    # The unit and its surroundings are looked up apart: the surroundings are shared by the units of a paragraph,
    # so their names are found once (a name is mentioned when either part mentions it).
    unit = p.unit
    # A list is about what its lead-in, headings and title say (its full section path among them), and a list of
    # names also about the names it lists.
    parts = (f"{unit.scope} {unit.context}", unit.text if unit.names_list else "") if unit.is_list else (unit.text, unit.context)
    missing = set(p.mentions.missing(parts[0])).intersection(p.mentions.missing(parts[1]))
    # A name a follow-up takes from earlier turns need not be repeated ("The study also found ..."), unless the unit
    # is about another council or model in its place ("Family Safeguarding adopters" for "which councils adopted it?").
    around = " ".join(parts)
    missing -= {c.name for c in p.mentions.checks if c.name in p.intent.inherited and not _named_otherwise(c, around)}
    return missing


def _named_otherwise(check: NameCheck, text: str) -> bool:
    """Does `text` name another model than the model `check` looks for, or another council than its councils?"""
    if check.model is not None:
        return bool(_models_in(text) - {check.model.name})
    return bool(check.councils and set(councils_in(text)) - check.councils)


def names_missing_in_unit(p: Pair) -> float:
    """The share of the question's names that the unit itself does not state."""
    return len(p.mentions.missing(p.unit.text)) / len(p.mentions.checks) if p.mentions.checks else 0.0


def states_asked_kind(p: Pair) -> float:
    """The unit (or its heading) holds the kind of answer asked for: a date, a figure, an age, a council, a person ..."""
    if p.intent.kind == "general":
        return 0.0
    if has_kind(p.intent.kind, p.unit.text, p.intent):
        return 1.0
    heading_kind = p.intent.kind if p.intent.kind != "time" else "date"
    if not (p.unit.heading and has_kind(heading_kind, p.unit.heading, p.intent)):
        return 0.0
    # A heading such as "Family Safeguarding: Hertfordshire County Council" pairs the question's subject with the
    # answer it asks for: it answers as fully as the unit would.
    return 1.0 if p.mentions.checks and not p.mentions.missing(p.unit.heading) else 0.5


def lacks_strict_kind(p: Pair) -> float:
    """A question for a date, time, figure, age or council, and a unit without one."""
    return float(p.intent.strict and states_asked_kind(p) == 0.0)


def names_asked_noun(p: Pair) -> float:
    """For "what was the theme of ...", the unit says "theme" (1), its heading or a list's lead-in does (0.25);
    0.5 when the question asks for no noun."""
    if not p.intent.asked:
        return 0.5
    root = stem(p.intent.asked)
    if root in f"{p.unit.header} {p.unit.text}".lower():
        return 1.0
    return 0.25 if root in f"{p.unit.heading} {p.unit.scope}".lower() else 0.0


def names_the_measure(p: Pair) -> float:
    """For "how many sessions", the unit says "sessions" (1), or the question names no measure (0.5)."""
    if not p.intent.measure:
        return 0.5
    return float(stem(p.intent.measure) in f"{p.unit.header} {p.unit.text}".lower())


# Measures that any figure of the right kind answers: "what share", "what number" ask for the figure itself.
GENERIC_MEASURES = frozenset("number amount percentage proportion share rate ratio total figure count size".split())
# Measures of money: any sum answers them ("how much funding": "£3.1m", "up to £2 million").
MONEY_MEASURES = frozenset(
    "money funding funds grant grants cost costs budget spend spending investment price fee pay paid bonus allowance charge "
    "rent wage worth".split()
)
SUM = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|m|bn|k)\b|\b(?:million|billion)\b", re.I)


def figure_of_measure(p: Pair) -> float:
    """For "how many beds", a figure bound to the measure: "12 beds", "beds: 12", "a caseload of 12" (1); a
    figure and the measure apart (0.5); no measure asked, or a generic one ("what share") (1 when a figure is there)."""
    intent = p.intent
    if intent.kind != "number":
        return 0.0
    text = _CLAUSE_NUMBER.sub("", p.unit.text)
    if not intent.measure or intent.measure in GENERIC_MEASURES:
        return float(has_kind("number", text, intent))
    if intent.measure in MONEY_MEASURES:
        return float(bool(SUM.search(text)))
    near, named, counted_later = _measure_patterns(intent.measure.lower())
    if near.search(text) or counted_later.search(text):
        return 1.0
    counts = has_kind("number", text, intent) and bool(_COUNT.search(text))  # a figure, not a sum of money
    if p.unit.header and named.search(p.unit.header) and counts:
        return 1.0  # a table row under a header that names the measure: "Children in care" over "End of March 2024 | 627"
    if _OF_THEM.search(text) and named.search(p.unit.context):
        return 1.0  # "For 1.6 million of them, ...": a count of what the sentence before names ("2.1 million children")
    if intent.measure.lower() in PERSON_MEASURES:
        return 0.0  # people are named in nearly every unit: only a figure beside them counts them
    return 0.5 if named.search(text) and counts else 0.0


# Measures that count people of any kind: "how many people did Leeds train" is answered by "6,500 social workers".
PERSON_MEASURES = frozenset("people persons individuals kids staff workers practitioners professionals".split())
_PERSON_NOUNS = (
    "people|persons|individuals|kids|children|child|young|adults|adolescents|teenagers|families|parents|carers|"
    "staff|workers|practitioners|professionals|managers|leaders|officers|employees|volunteers|students|learners|"
    "pupils|participants|attendees|delegates|representatives|residents|members|trainees|recruits"
)
_OF_THEM = re.compile(rf"(?:{_FIGURE_BODY})\s+(?:million\s+|thousand\s+)?of\s+(?:them|those|these)\b", re.I)
# A count is not a sum of money: "how many children's homes" is not answered by "£3,000 a week" beside "home places".
_COUNT = re.compile(rf"(?<![£$€\d.,]){_FIGURE_BODY}", re.I)


def _measure_roots(measure: str) -> str:
    """What a measure is written as, as a pattern: its stem ("adopt" for "adopters"), the last word of what an
    abbreviation stands for ("conference" for "FGCs"), or any noun for people when it counts people."""
    if measure in PERSON_MEASURES:
        return rf"(?:{_PERSON_NOUNS})"
    words = [measure]
    meaning = load_taxonomy().glossary.get(measure.upper().removesuffix("S"))
    if meaning:
        words.append(stands_for(meaning).split()[-1].lower())
    return "(?:" + "|".join(re.escape(w.removesuffix("s")[: max(4, len(w) - 3)]) for w in words) + ")"


@memoised
def _measure_patterns(measure: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A count within three words of the measure (either side), the measure alone, and the measure counted by a
    figure further on in its clause: "put the number of children living in kinship care in England at 130,000"."""
    root = _measure_roots(measure)
    figure = _COUNT.pattern
    near = rf"(?:{figure})(?:[\W_]+[\w'’-]+){{0,3}}?[\W_]+{root}|\b{root}\w*(?:[\W_]+[\w'’-]+){{0,3}}?[\W_]+(?:{figure})"
    later = rf"\b(?:number|total|count)\s+of\s+(?:[\w'’-]+\s+){{0,2}}?{root}\w*\b[^.;:]*?(?:{figure})"
    return re.compile(near, re.I), re.compile(rf"\b{root}", re.I), re.compile(later, re.I)


def measure_without_figure(p: Pair) -> float:
    """A "how many beds" question and a unit with no figure near any mention of beds: the right topic without the figure."""
    return float(p.intent.kind == "number" and figure_of_measure(p) == 0.0)


def opens_with_asked_name(p: Pair) -> float:
    """The first council the unit names is one the question asks about: the unit is about it, not about another
    that it mentions on the way ("Eastwick began in April 2021, before Marlow Vale")."""
    if not p.intent.councils:
        return 0.5
    first = _first_council(p.unit.text)
    return 0.5 if first is None else float(first in p.intent.councils)


def _first_council(text: str) -> str | None:
    """The council named first in a text (by where its name starts)."""
    named = councils_in(text)
    if not named:
        return None
    lowered = text.lower()
    positions = {c: lowered.find(c.split("-")[0]) for c in named}
    return min(named, key=lambda c: positions[c] if positions[c] >= 0 else len(text))


def about_another_subject(p: Pair) -> float:
    """The unit names another council or model than the one asked about, and not that one."""
    return float(about_another(p.intent, p.unit.text))


def shares_with_other_models(p: Pair) -> float:
    """The unit names, beside the model asked about, the other models too (it says little about the one asked)."""
    return float(names_other_models_too(p.intent, p.unit.text))


def list_for_list_question(p: Pair) -> float:
    """A list (or an "A, B and C" sentence) for a question that asks for several things."""
    return float(p.intent.wants_list and (p.unit.is_list or bool(_ENUMERATION.search(p.unit.text))))


def list_for_single_fact(p: Pair) -> float:
    """A whole list for a question that asks for one date or figure."""
    return float(p.unit.is_list and p.intent.kind in ("date", "number", "age") and not p.intent.wants_list)


def is_lead_in(p: Pair) -> float:
    """A sentence ending with a colon: it introduces a list and rarely answers alone."""
    return float(p.unit.lead_in)


def lead_in_for_no_count(p: Pair) -> float:
    """A lead-in ("The hub offers three services:") for a question that does not ask how many: the list answers."""
    return float(p.unit.lead_in and p.intent.kind != "number")


def opens_reply(p: Pair) -> float:
    """The first sentence of a transcript reply to a question."""
    return float(p.unit.opens_turn)


def ordinal_item(p: Pair) -> float:
    """The item a question's ordinal asks for ("the fourth strand" and item 4)."""
    return float(p.intent.ordinal is not None and p.unit.item_number == p.intent.ordinal)


def councils_beyond_asked(p: Pair) -> float:
    """For "which councils", how many councils besides the ones asked about the unit names (up to 4, scaled to 1)."""
    if p.intent.kind != "council":
        return 0.0
    return min(4, len(councils_in(p.unit.text) - p.intent.councils)) / 4


def unit_length(p: Pair) -> float:
    """Words in the unit, on a log scale (a fragment says little; a long list says much)."""
    return math.log1p(len(_WORD.findall(p.unit.text))) / 5


def looks_like_link_or_menu(p: Pair) -> float:
    """A link label, file note, menu entry ("Download the report (PDF 1.2MB)"), metadata line ("Report title | ...")
    or reference entry ("NetCare (2017) Leeds Family Valued Evaluation Report")."""
    return _link_or_menu(p.unit.text.strip())


@memoised
def _link_or_menu(text: str) -> float:
    return float(is_link_or_menu(text))


def is_link_or_menu(text: str) -> bool:
    """Whether a line is a link label, file note, menu entry, metadata line or reference entry (a page's furniture,
    never an answer)."""
    if _LINK_LABEL.search(text) or NAVIGATION.search(text) or _METADATA_LINE.match(text) or _DATELINE_ALONE.match(text):
        return True
    # Line by line: each item of a list of references is an entry.
    return any(_REFERENCE_ENTRY.match(line.strip().removeprefix("- ")) for line in text.splitlines())


def looks_like_heading(p: Pair) -> float:
    """A heading or title standing alone, with no sentence in it."""
    headings = {h.casefold() for h in p.unit.context.split(" > ")}
    return float(is_heading_like(p.unit.text, headings) and not _LABEL_VALUE.match(p.unit.text))


def has_no_verb(p: Pair) -> float:
    """No verb-like word at all: a caption, a name, a fragment (but a "label: value" pair is kept apart)."""
    return float(not _VERB_LIKE.search(p.unit.text) and not _LABEL_VALUE.match(p.unit.text))


def label_value(p: Pair) -> float:
    """A "label: value" pair or table row ("Sample size: 51,000")."""
    return float(bool(_LABEL_VALUE.match(p.unit.text)))


# A figure as the question writes it, whatever follows it: "2022", "1,544", "11.6" in "£11.6m".
_FIGURE_IN_QUESTION = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
# Figures the answer need not repeat: how many items a list question asks for ("what are the 4 categories": a
# list of four), and a year the question asks about a time before or after ("rated before the 2021 inspection").
_NOT_REPEATED = re.compile(
    r"\b(?:the|these|those|its|their)\s+(\d{1,2})\s+[a-z]+s\b|\b(?:before|after|prior\s+to)\s+(?:the\s+|its\s+|their\s+)?(\d{4})\b",
    re.I,
)


_AGE_GIVEN = re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b|\baged (\d{1,2})\b", re.I)  # "a 12 year old", "aged 15"
_SMALL_RANGE = re.compile(r"(?<![\d,.])(\d{1,3})\s*(?:to|-|–)\s*(\d{1,3})(?![\d,.])")  # "11 to 15", "5-10"; not years


def question_figures_missing(p: Pair) -> float:
    """The share of the figures and years the question gives ("in 2022", "issue 6") that the unit and its
    surroundings do not: the right council in the wrong year is a near miss, not an answer."""
    text = p.intent.text
    # A financial or school year ("2016-17", "2016/17") is one figure, however the unit writes it ("2016 to 2017").
    years = _YEAR_RANGE.findall(text)
    text = _YEAR_RANGE.sub(" ", text)
    figures = set(_FIGURE_IN_QUESTION.findall(text)) - {f for m in _NOT_REPEATED.findall(text) for f in m}
    if p.intent.yes_no:
        # "Do I have to wait 24 hours before ...?": the quantity is the claim asked about, and the answer may deny it
        # ("Do not wait a set number of hours"); a year still sets what the question is about.
        figures = {f for f in figures if _YEAR.fullmatch(f)}
    if not figures and not years:
        return 0.0
    around = f"{p.unit.text} {p.unit.context}"
    ranges = [rf"\b{first}{second}\s*(?:[-–/]|to)\s*(?:{first})?{last}\b" for first, second, last in years]
    missing_ranges = sum(not re.search(r, around) for r in ranges)
    if not figures:
        return missing_ranges / len(ranges)
    # A date without a year ("Wednesday 15 September") is in the year its document is dated (the 2021 programme).
    partial_date = _MONTH_NAME.search(p.unit.text) and not _YEAR.search(p.unit.text)
    dated = {p.unit.year} if p.unit.year and partial_date else set()
    missing = [f for f in figures if f not in dated and not re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d])", around)]
    # An age within an age range the unit gives is there: "a 12 year old" in "11 to 15 — Weekly allowance: £212".
    ages = {a or b for a, b in _AGE_GIVEN.findall(text)}
    spans = [(int(a), int(b)) for a, b in _SMALL_RANGE.findall(around)]
    missing = [f for f in missing if not (f in ages and any(a <= int(f) <= b for a, b in spans))]
    return (len(missing) + missing_ranges) / (len(figures) + len(ranges))


def rarest_focus_word_missing(p: Pair) -> float:
    """The question's most specific word (by inverse document frequency) is neither in the unit nor around it."""
    focus = [w for w in p.intent.focus if w not in p.intent.ordinal_words]
    if not focus:
        return 0.0
    rarest = stem(max(focus, key=p.word_weight))
    return float(rarest not in f"{p.unit.text} {p.unit.context}".lower())


def retrieval_evidence(p: Pair) -> float:
    """How well the retrieved passages as a whole support the question (the same for every unit)."""
    return p.evidence


def unknown_name_asked(p: Pair) -> float:
    """The question names something no passage of the knowledge base mentions."""
    return float(p.unknown_names > 0)


def general_question(p: Pair) -> float:
    """The question asks for no particular kind of answer (a description, a how)."""
    return float(p.intent.kind == "general")


FEATURES: tuple[Callable[[Pair], float], ...] = (
    cosine_to_question,
    passage_rank_prior,
    passage_cosine,
    focus_in_unit,
    focus_around_unit,
    focus_in_prompt,
    focus_related_in_unit,
    question_pairs_side_by_side,
    words_across_clauses,
    names_missing_around,
    subject_missing_around,
    names_missing_in_unit,
    states_asked_kind,
    lacks_strict_kind,
    names_the_measure,
    names_asked_noun,
    figure_of_measure,
    measure_without_figure,
    opens_with_asked_name,
    about_another_subject,
    shares_with_other_models,
    list_for_list_question,
    list_for_single_fact,
    is_lead_in,
    lead_in_for_no_count,
    opens_reply,
    ordinal_item,
    councils_beyond_asked,
    unit_length,
    looks_like_link_or_menu,
    looks_like_heading,
    has_no_verb,
    label_value,
    question_figures_missing,
    rarest_focus_word_missing,
    retrieval_evidence,
    unknown_name_asked,
    general_question,
)
# Features measured against the best unit of the same question: "as close as the closest one" matters more than a cosine.
RELATIVE = ("cosine_to_question", "focus_around_unit", "question_pairs_side_by_side")
FEATURE_NAMES: tuple[str, ...] = tuple(f.__name__ for f in FEATURES) + tuple(f"{name}_below_best" for name in RELATIVE)


def feature_matrix(pairs: list[Pair], gates: tuple[str, ...] = ()) -> np.ndarray:
    """One row per pair (one part of a question against each candidate unit), columns as FEATURE_NAMES.

    With the answer model's `gates`, a unit the first of them shuts gets only the features others are measured against
    (RELATIVE) and the gates up to that one: its probability is 0 whatever the rest say, so the rest are NaN until
    `complete_rows` works them out (for the refusal, which says what the closest unit lacked). About half the units
    of the library questions are shut."""
    if not pairs:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    base = np.full((len(pairs), len(FEATURES)), np.nan, dtype=np.float32)
    relative, gated = [_COLUMN[name] for name in RELATIVE], [_COLUMN[name] for name in gates]
    rest = [i for i in range(len(FEATURES)) if i not in relative and i not in gated]
    for row, p in enumerate(pairs):
        for column in relative:
            base[row, column] = FEATURES[column](p)
        shut = False
        for column in gated:
            base[row, column] = FEATURES[column](p)
            if base[row, column] > 0:
                shut = True
                break
        if not shut:
            for column in rest:
                base[row, column] = FEATURES[column](p)
    below = base[:, relative].max(axis=0, keepdims=True) - base[:, relative]
    return np.hstack([base, below]).astype(np.float32)


_COLUMN = {f.__name__: i for i, f in enumerate(FEATURES)}


def complete_rows(pairs: list[Pair], matrix: np.ndarray, rows: list[int], features: tuple[str, ...] = ()) -> None:
    """Fill in the features (all, or those named) that `feature_matrix` left out (NaN) for `rows`, in place."""
    columns = np.array([_COLUMN[name] for name in features] if features else range(len(FEATURES)), dtype=np.intp)
    # Only the cells left out are visited: a refusal asks this of every unit, and most cells are already there.
    indices = np.asarray(rows, dtype=np.intp)
    for r, c in zip(*np.nonzero(np.isnan(matrix[np.ix_(indices, columns)])), strict=True):
        row, column = int(indices[r]), int(columns[c])
        matrix[row, column] = FEATURES[column](pairs[row])
