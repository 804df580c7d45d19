"""Understanding a question: what kind of answer it wants, whom it is about, and its words that matter."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from kb.councils import councils_in, load_councils
from kb.lexical import STOPWORDS
from kb.taxonomy import load_taxonomy, normalise_quotes

AnswerKind = Literal[
    "council", "person", "date", "time", "number", "age", "list", "definition", "reason", "purpose", "general"
]
# Kinds whose absence from a passage means it cannot answer the question (no date for "when" ...).
STRICT_KINDS: frozenset[str] = frozenset({"council", "date", "time", "number", "age"})
_LEADING_CONJUNCTION = re.compile(r"^\s*(?:and|so|but|also|then|ok(?:ay)?|well)\b[,\s]+(?=\w)", re.I)
# "How many ...?" counts things: "how many days / times / pounds" are answered by durations and sums as well.
_HOW_MANY = re.compile(r"\bhow many\b(?!\s+(?:times|days|weeks|months|years|hours|minutes|pounds)\b)", re.I)
# A question answered yes or no: it opens with an auxiliary verb ("Do I have to ...?", "And is it ...?").
_YES_NO = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?(?:do|does|did|is|are|was|were|can|could|should|must|will|would|has|have|had)\b", re.I
)
# "When should / is / do ...?" asks for a time or a condition ("within six weeks", "before any letter"),
# not a date; "when did / was ...?" asks for a date.
_PROCEDURAL_WHEN = re.compile(r"^\s*when\s+(?:should|must|can|could|do|does|is|are|would|will|may|might)\b", re.I)
# "When is the trial expected to finish?", "When will the duty come into force?": a date that is planned, not a procedure.
_SCHEDULED = re.compile(r"\b(?:expected|due|scheduled|planned|set|going|likely)\s+to\b|^\s*when\s+will\b", re.I)
_WORD = re.compile(r"[\w'’&-]+")
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
MAX_SEARCH_CHARS = 1000  # as long as a typed question may be (kb.knowledge_base.MAX_QUERY_CHARS)
SPELLING_CUTOFF = 0.8  # difflib's ratio from which a word is read as another spelling of a passage's word
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
}  # fmt: skip
# Nouns that make "what is the X" a question about a figure.
_MEASURES = (
    r"number|amount|percentage|proportion|share|rate|ratio|cost|costs|budget|funding|salary|pay|turnover|size|"
    r"total|figure|count|spend|spending|price|fee|length|duration"
)
# "How much was the retention bonus?", "How much does Ofsted charge?": a sum of money is asked for.
_SUM_ASKED = re.compile(r"\bhow much\b.*?\b(bonus|allowance|charge|rent|wage|worth|paid)\b", re.I)
_COUNCIL_NOUNS = r"(?:local )?(?:councils?|authorit(?:y|ies)|LAs?|boroughs?)"
_AIM_VERBS = r"(?:trying|try|aim(?:ing)?|seek(?:ing)?|hop(?:e|ing)|want(?:ing)?|intend(?:ed|ing)?|meant|designed)"
_AUXILIARIES = "is|are|was|were|do|does|did|has|have|had|can|could|should|would|will|must|might"
# Roles people hold: "Which cabinet member ...?", "Which permanent leaders ...?".
_PERSON_ROLES = (
    r"members?|councillors?|ministers?|directors?|leaders?|officers?|inspectors?|chairs?|mayors?|secretar(?:y|ies)"
    r"|researchers?|professors?|commissioners?"
)
# A role named with "the": "Who is the registered manager ...?", "Who's their chief exec?" (a role's words are no
# person's name either: "Domestic Abuse Commissioner").
ROLE_WORDS = rf"{_PERSON_ROLES}|managers?|heads?|lecturers?|investigators?|practitioners?|co-?ordinators?|chief exec\w*"
# "Who was the lead inspector ...?", "Who's their chief exec?", "What is the name of the coordinator who ...?": a person
# holding a role is asked for by name, and the role alone ("a newly appointed Advanced Practitioner") does not answer.
_NAMED_ROLE = re.compile(
    r"^\s*(?:who(?:'s|’s|\s+(?:is|was|are|were))|what(?:'s|’s|\s+(?:is|was))\s+the\s+names?\s+of)\s+"
    rf"(?:the\s+|an?\s+|their\s+|its\s+|[\w-]+(?:'s|’s)\s+)?((?:[\w'’-]+\s+){{0,4}}?(?:{ROLE_WORDS}))\b"
    r"(?!.*\b(?:for|with|to|about)\s*\??\s*$)",
    re.I,
)
_KIND_RULES: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    ("age", re.compile(r"\bhow old\b|\bwhat ages?\b|\bage (?:range|group)\b|\baged\b", re.I)),
    (
        "date",
        re.compile(
            r"^\s*(?:since |until |by )?when\b"
            r"|\b(?:what|which|in which|on which|on what) (?:exact |precise )?(?:year|date|month|day)\b"
            # A query typed as keywords that ends on the date it wants ("ashcombe family safeguarding start date").
            r"|\bdates?\s*\??\s*$"
            r"|\b(?:what|which) (?:two|three|four|five|\d) (?:years|dates|months|days)\b"
            r"|\bhow long ago\b",
            re.I,
        ),
    ),
    # "How soon / how quickly should ...?" asks for a time or the condition that sets it, as "when should" does.
    ("time", re.compile(r"\bhow (?:soon|quickly)\b", re.I)),
    (
        "number",
        re.compile(
            r"\bhow (?:many|much|long|often|far|big|large)\b"
            rf"|\bwhat (?:is |was |are |were )?(?:the )?(?:\w+ )?(?:{_MEASURES})\b",
            re.I,
        ),
    ),
    (
        "council",
        re.compile(
            rf"\b(?:(?:which|whose|name the|list (?:all |every |the )?)\s*(?:other |\w+ )?|what ){_COUNCIL_NOUNS}\b", re.I
        ),
    ),
    ("person", re.compile(r"^\s*(?:who|whom|whose)\b", re.I)),
    # "Which cabinet member spoke ...?", "Which permanent leaders did ...?": a person asked for by their role.
    ("person", re.compile(rf"\b(?:which|what)\s+(?:(?!(?:{_AUXILIARIES})\b)\w+\s+)?(?:{_PERSON_ROLES})\b", re.I)),
    # "What is X called?", "What is the name of ...?": a name is asked for (a person's, a service's, a hub's).
    ("person", re.compile(r"\bwhat (?:is|was|are|were) (?:the )?names? of\b|\bwhat (?:is|was|are|were) .+ called\b", re.I)),
    (
        "purpose",
        re.compile(
            rf"\b{_AIM_VERBS} to (?:achieve|do|accomplish|build)\b"
            r"|^\s*what (?:is|are|was|were) .+ (?:for|used for)\??$|\b(?:purpose|aims?|goals?|objectives?)\b",
            re.I,
        ),
    ),
    ("reason", re.compile(r"^\s*why\b|\bwhat (?:is|was|are|were) the reasons?\b", re.I)),
    (
        "definition",
        re.compile(
            r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?[\w'’ -]+\??$|\bwhat does .+ mean\b|\bdefin", re.I
        ),
    ),
)
_LIST_RULE = re.compile(
    r"^\s*(?:list|name)\b|\bwhat are the\b"
    r"|\b(?:which|what)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:local\s+|other\s+|main\s+|key\s+)?(?!(?:is|was|does|has)\b)\w+s\b(?<!ss)"
    # "What specialist areas do ...": a described plural, then the question's verb.
    rf"|\b(?:which|what)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?!(?:{_AUXILIARIES})\b)\w+\s+\w+s(?<!ss)\s+(?:{_AUXILIARIES}|\w+ed)\b"
    # "Which two Coventry teams ...": a number of things.
    r"|\b(?:which|what)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?!(?:per|%))"
    r"|\bwho are\b|\b(?:every|all the|each)\b|\bwhat (?:does|do|did|will) .+ (?:offer|include|provide|cover)\b",
    re.I,
)
# Verbs that end the counted noun phrase: "how many local authorities took part", "how many staff attended".
_PHRASE_VERBS = (
    r"did|do|does|is|are|was|were|has|have|had|will|can|could|would|should|took|take|takes|went|go|goes|got|get|gets|"
    r"came|come|comes|made|make|makes|held|hold|holds|saw|see|sees|gave|give|gives|left|leave|leaves|said|say|says|"
    r"became|become|work|works|live|lives|need|needs|spend|spends|spent|pay|pays|paid|cost|costs|\w{3,}ed"
)
_MEASURED = re.compile(
    rf"\bhow (?:many|much)\s+((?:(?!(?:{_PHRASE_VERBS})\b)[\w'’-]+\s*){{1,6}})"
    rf"|\b(?:what|which) (?:is|was|are|were) (?:the )?((?:\w+ )?(?:{_MEASURES}))\b",
    re.I,
)
_NOUN_PHRASE_END = re.compile(r"\b(?:of|in|for|on|at|per|to|by|with|from|that|who|which)\b")
_EXCLUDED = re.compile(
    r"\b(?:besides|apart from|other than|except(?: for)?|excluding|as well as|beyond)\s+([\w'’&-]+(?:\s+[A-Z][\w'’&-]*)*)"
)
# The phrase after "apart from", "instead of" ...: up to a comma, the question's verb or its end; a quotation whole.
_EXCLUDED_TOKEN = r"(?:'[^']*'|‘[^’]*’|\"[^\"]*\"|[^\s,?;'‘\"]+)"
_EXCLUDED_PHRASE = re.compile(
    rf"\b(?:besides|apart from|other than|except(?: for)?|excluding|instead of)\s+{_EXCLUDED_TOKEN}"
    rf"(?:\s+(?!(?:{_AUXILIARIES})\b){_EXCLUDED_TOKEN})*",
    re.I,
)
_TYPE_WORDS = frozenset(
    "what which who whom whose when where why how many much long old often list name every all each tell me please "
    "does did do is are was were kind type sort main key should could would might must "
    "besides apart except other than excluding "
    # Words that set a question's tone, not its subject ("When did it actually launch?").
    "actually really exactly just basically ever precisely".split()
)
# Verbs that frame a question rather than say what it is about ("What does X involve?", "Who leads X?").
LIGHT_VERBS = frozenset(
    "use used uses using lead leads led run runs involve involves involved mean means meant happen happens include includes "
    "included give gives gave get gets got take takes took make makes made say says said speak spoke spoken talk talked "
    "come came play plays played called call work works worked want wants need needs help helps describe described "
    "tell told know known find found go goes went see seen try trying tried achieve achieved bring brings brought "
    "set sets put puts keep keeps kept".split()
)
_KIND_NOUNS = frozenset("kinds types sorts".split())
_COUNCIL_WORDS = frozenset("council councils authority authorities local borough boroughs".split())
_PART_BREAK = re.compile(
    r"\s*(?:\?\s+|,?\s+and\s+(?=(?:how|what|when|where|who|whom|which|why|can|could|should|do|does|is|are)\b))", re.I
)
_COPULAS = r"(?:is|was|are|were)"
# The noun a "what/which" question asks for, before the word that ends its phrase: "What was the theme of ...",
# "Which supervision model was ...", "What kind of communication problems did ...".
_ASKED = re.compile(
    rf"^\s*(?:(?:and|so|but)\s+)?(?:what|which)(?:\s+{_COPULAS}\s+(?:the|an?)\s+|['’]s\s+(?:the|an?)\s+|\s+(?!(?:{_PHRASE_VERBS})\b))"
    r"(?:(?:kinds?|types?|sorts?)\s+of\s+)?(?:[\w'’-]+\s+){0,2}?([a-z][a-z-]+)\s+"
    rf"(?:of|for|in|on|at|per|that|which|behind|should|must|might|may|{_PHRASE_VERBS})\b",
    re.I,
)
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# "the three reforms", "six guiding principles", "Which two Coventry teams": things counted out, not a span of time.
_ITEMS_ASKED = re.compile(
    rf"\b({'|'.join(_COUNT_WORDS)}|\d{{1,2}})\s+(?:[\w'’-]+\s+)?"
    r"(?!(?:years|months|weeks|days|hours|minutes|times|pounds|people)\b)[a-z-]+s\b(?<!ss)",
    re.I,
)
_WHO_COUNCILS = re.compile(
    r"^\s*(?:who|whom|whose)\s+(?:(?:is|are|was|were)\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:councils?|authorit(?:y|ies))\b", re.I
)
_IT = re.compile(r"\bit\b", re.I)  # a thing asked about before: a model, when the question names only councils
_ANAPHORA = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|he|she|his|her|there)\b", re.I)


@dataclass(frozen=True)
class Intent:
    """What one question (or one part of it) asks for.

    `entities` are the names the answer must concern (models, councils, people, named things): a passage
    that never mentions them cannot answer. `focus` is the rest of the question's content words.
    """

    text: str
    kind: AnswerKind
    wants_list: bool
    entities: tuple[str, ...]
    councils: frozenset[str]  # council ids the question names (an answer about a council must name another)
    excluded: frozenset[str]  # council ids after "besides", "other than" ...
    focus: tuple[str, ...]
    ordinal: int | None
    measure: str | None = None  # what a "how many" question counts ("sessions", "funding", "turnover")
    ordinal_words: tuple[str, ...] = ()  # "fourth strand": what a list's fourth item stands for
    percent: bool = False  # a share is asked for ("what percentage", "what proportion")
    wants_month: bool = False  # "which month", "what date": a year alone does not answer it
    wants_year: bool = False  # "what year", "which year": a day and month alone ("28 June") do not answer it
    asked: str | None = None  # what a "what/which X" question asks for: "theme" in "What was the theme of the week?"
    inherited: frozenset[str] = frozenset()  # entities a follow-up takes from the earlier turns, not from its own words
    counts_things: bool = False  # "how many young people": a count, not an age, a date, a duration or a sum of money
    yes_no: bool = False  # "Did Leeds hold more than 600 conferences?": its figures are the claim asked about
    items_asked: int | None = None  # "What are the three reforms ...?": how many things the answer lists
    # "Who was the lead inspector ...?": the role ("lead inspector") whose holder's name, not the role, answers it
    named_role: str | None = None

    @property
    def strict(self) -> bool:
        """Only a unit holding the kind asked for can answer: a date, time, figure, age or council, or a role's holder."""
        return self.kind in STRICT_KINDS or self.named_role is not None


def content_words(text: str) -> list[str]:
    """Lower-case words of a text that carry meaning (no stopwords, no one- or two-letter words)."""
    return [w for w in re.findall(r"\w+", normalise_quotes(text).lower()) if w not in STOPWORDS and len(w) > 2]


def split_parts(question: str) -> list[str]:
    """The parts of a two-part question ("Which councils use X and how do I contact them?")."""
    parts = [p.strip(" ?,;") for p in _PART_BREAK.split(question.strip())]
    parts = [p for p in parts if len(content_words(p)) >= 1]
    return parts if len(parts) > 1 else [question.strip()]


# Capitalised words that name a time or a kind of body, not a particular one: "in September", "the Council".
_NOT_NAMES = frozenset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday council councils".split()
)
# The asker saying who they are before asking: "I work in a children's home in Suffolk - which part ...",
# "I'm a team manager in the East of England, what did ...". Their place is not what the answer must be about.
_ASKER_FRAME = re.compile(
    r"^\s*(?:i|we)(?:'m|’m| am|'re|’re| are| work| manage| lead| run)\b[^?]*?(?:\s[-–—]\s|[.;:]\s+|,\s+(?=(?:what|how|which|"
    r"who|when|where|why|does|do|is|are|can|could|should|would|will)\b))",
    re.I,
)


_NAME_LINKS = ("of", "and", "for", "&", "in", "on", "upon")  # "Department for Education", "Newcastle upon Tyne"


def _names(text: str) -> list[str]:
    """Runs of capitalised words that are not the first word of a sentence (people, places, programmes); months,
    days and a bare "Council" are not names, nor what the asker says of themselves before the question."""
    names: list[str] = []
    text = _ASKER_FRAME.sub("", normalise_quotes(text), count=1)
    for sentence in re.split(r"(?<=[.?!(])\s*|\(", text):
        words = _WORD.findall(sentence)
        run: list[str] = []
        for position, word in enumerate(words):
            bare = re.sub(r"['’]s$", "", word.strip("'’-"))
            possessive = bare != word.strip("'’-")
            name_word = bare[:1].isupper() and bare.lower() not in STOPWORDS | _NOT_NAMES and not bare.isdigit()
            if position > 0 and name_word:
                run.append(bare)
                if possessive:
                    names.append(" ".join(run))
                    run = []
                continue
            if (
                run
                and bare.lower() in _NAME_LINKS
                and position + 1 < len(words)
                and words[position + 1][:1].isupper()
            ):
                run.append(bare)
                continue
            if run:
                while run[-1].lower() in _NAME_LINKS:  # "Middlesbrough in" (March): the link led to no name
                    run.pop()
                names.append(" ".join(run))
            run = []
        if run:
            names.append(" ".join(run))
    return [n.removesuffix("'s").removesuffix("’s") for n in names]


def analyse(question: str, *, context: str = "") -> Intent:
    """The intent of a question; `context` holds what a follow-up inherits (its entities count too)."""
    text = normalise_quotes(question)
    # "And when did ...?", "So who ...?": a leading conjunction does not change what is asked.
    asking = _LEADING_CONJUNCTION.sub("", text)
    kind: AnswerKind = next((k for k, rule in _KIND_RULES if rule.search(asking)), "general")
    if kind == "date" and _PROCEDURAL_WHEN.search(asking) and not _SCHEDULED.search(asking):
        kind = "time"
    wants_list = bool(_LIST_RULE.search(text)) and kind not in ("date", "time", "number", "age")
    wants_list = wants_list and not any(re.search(rf"\b{w}\b", text, re.I) for w in _ORDINALS)
    taxonomy = load_taxonomy()
    named_models = [t.name for t in taxonomy.models.values() if t.mentioned_in(f"{text} {context}")]
    councils = frozenset(councils_in(f"{text} {context}"))
    excluded = frozenset(c for m in _EXCLUDED.finditer(text) for c in councils_in(m.group(1)))
    entity_words = {w.lower() for name in named_models for w in name.split()}
    entities: list[str] = list(named_models)
    for name in [*_names(text), *_names(context)]:
        words = [w for w in name.split() if w.lower() not in entity_words]
        if words and not any(name.lower() in e.lower() for e in entities):
            entities.append(" ".join(words))
    entity_words |= {w.lower() for e in entities for w in re.findall(r"\w+", e)}
    # What the question itself names, and so what the names it takes from earlier turns are not.
    own = f"{' '.join(t.name for t in taxonomy.models.values() if t.mentioned_in(text))} {' '.join(_names(text))}".lower()
    own_councils = frozenset(councils_in(text))
    inherited = frozenset(e for e in entities if e.lower() not in own and not councils_in(e) & own_councils)
    # "Who are the innovator councils?" asks for councils; "Who was leading the county council ...?" for a person.
    if kind == "person" and _WHO_COUNCILS.search(asking):
        kind = "council"
    skip = entity_words | _TYPE_WORDS | LIGHT_VERBS | (_COUNCIL_WORDS if kind == "council" else frozenset())
    # A follow-up's "it" stands for what the earlier question asked about: its words are asked about too.
    # What the answer is not ("apart from going to her prom", "instead of 'what is wrong with you?'") is not asked about.
    asked_about = _EXCLUDED_PHRASE.sub(" ", text)
    focus = tuple(dict.fromkeys(w for w in [*content_words(asked_about), *content_words(context)] if w not in skip))
    ordinal_match = next((m for w in _ORDINALS if (m := re.search(rf"\b({w})\s+(\w+)", text, re.I))), None)
    ordinal = _ORDINALS[ordinal_match.group(1).lower()] if ordinal_match else None
    ordinal_words = (ordinal_match.group(1).lower(), ordinal_match.group(2).lower()) if ordinal_match else ()
    measured = _MEASURED.search(text) if kind == "number" else None
    measure = None
    if measured:
        # The head of the counted noun phrase: "days" in "how many days of training", "conferences" in
        # "how many family group conferences did ...".
        phrase = _NOUN_PHRASE_END.split(measured.group(1) or measured.group(2))[0]
        counted = [w for w in content_words(phrase) if w not in _TYPE_WORDS]
        measure = counted[-1] if counted else None
    if kind == "number" and measure is None:
        named_measure = re.search(rf"\b({_MEASURES})\b", text, re.I) or _SUM_ASKED.search(text)
        measure = named_measure.group(1).lower() if named_measure else None
    asked_match = _ASKED.search(text) if kind not in STRICT_KINDS else None
    asked = asked_match.group(1).lower() if asked_match else None
    asked = asked if asked and asked not in STOPWORDS | _TYPE_WORDS | _KIND_NOUNS and len(asked) > 2 else None
    wants_month = kind == "date" and bool(re.search(r"\b(?:month|date|day|exactly)\b", text, re.I))
    wants_year = kind == "date" and not wants_month and bool(re.search(r"\b(?:what|which) year\b", text, re.I))
    percent = kind == "number" and bool(re.search(r"\b(?:percentage|per ?cent|proportion|share)\b|%", text, re.I))
    return Intent(
        text=question,
        kind=kind,
        wants_list=wants_list,
        entities=tuple(entities),
        councils=councils,
        excluded=excluded,
        focus=focus,
        ordinal=ordinal,
        measure=measure,
        ordinal_words=ordinal_words,
        percent=percent,
        wants_month=wants_month,
        wants_year=wants_year,
        asked=asked,
        inherited=inherited,
        counts_things=not percent and bool(_HOW_MANY.search(text)),
        yes_no=bool(_YES_NO.match(text)),
        items_asked=_items_asked(asking) if kind not in STRICT_KINDS else None,
        named_role=named_role.group(1) if kind == "person" and (named_role := _NAMED_ROLE.search(asking)) else None,
    )


def _items_asked(text: str) -> int | None:
    """How many things a question asks to be listed ("What are the six principles ...?"), if it says."""
    match = _ITEMS_ASKED.search(text)
    if not match:
        return None
    count = match.group(1).lower()
    return _COUNT_WORDS[count] if count in _COUNT_WORDS else int(count)


def refers_back(question: str) -> bool:
    """Does a question lean on an earlier turn ("it", "they", "And ...?", a few words)?"""
    text = normalise_quotes(question)
    return (
        bool(_ANAPHORA.search(text))
        or bool(re.match(r"^\s*(?:and|also|what about|how about|so|but)\b", text, re.I))
        # A few words that carry meaning ("What happens after the search?", "What sort of information goes on the form?").
        or len([w for w in content_words(text) if w not in LIGHT_VERBS and w not in _TYPE_WORDS]) <= 2
    )


# Contractions typed without their apostrophe ("whats", "dont"), read in full; only words that are not
# English words without it ("its", "wed", "ill", "were" stay as they are).
_CONTRACTIONS = {
    "whats": "what is", "hows": "how is", "whos": "who is", "wheres": "where is", "whens": "when is", "whys": "why is",
    "thats": "that is", "theres": "there is", "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not",
    "arent": "are not", "wasnt": "was not", "werent": "were not", "cant": "cannot", "couldnt": "could not",
    "wouldnt": "would not", "shouldnt": "should not", "wont": "will not", "havent": "have not", "hasnt": "has not",
    "hadnt": "had not", "im": "I am", "ive": "I have", "theyre": "they are", "youre": "you are",
}  # fmt: skip
_CONTRACTED = re.compile(r"\b(\w+)['’](s|re|ve|t|m|d|ll)\b", re.I)
_SPELLED_OUT = {"s": "is", "re": "are", "ve": "have", "m": "am", "d": "would", "ll": "will"}


def normalise_typing(question: str) -> str:
    """A question as meant, whatever its typing: contractions with or without their apostrophe are spelt out
    ("whats family valued" and "what's family valued" both read "what is family valued"); a possessive stays."""

    def spell_out(match: re.Match[str]) -> str:
        word, ending = match.group(1), match.group(2).lower()
        if ending == "t":  # don't, can't, won't
            full = _CONTRACTIONS.get(f"{word}t".lower())
            return full if full else match.group(0)
        if ending == "s" and word.lower() not in ("what", "how", "who", "where", "when", "why", "that", "there", "it"):
            return match.group(0)  # a possessive: "Leeds's", "council's"
        return f"{word} {_SPELLED_OUT[ending]}"

    def expand(match: re.Match[str]) -> str:
        word = match.group(0)
        full = _CONTRACTIONS.get(word.lower())
        if full is None or not (word.islower() or word.istitle()):
            return word
        return full[:1].upper() + full[1:] if word.istitle() else full

    return restore_names(re.sub(r"\b\w+\b", expand, _CONTRACTED.sub(spell_out, question)))


def restore_names(question: str) -> str:
    """Programme, model and council names typed in lower case, or run into a possessive without its apostrophe,
    written as names ("what did ofsted say norfolks childrens services ..." reads "Norfolk's"); a council's name that
    is also an ordinary word ("reading", "bury") stays as typed."""
    pattern, written = _typed_names()

    def as_name(match: re.Match[str]) -> str:
        typed, possessive = match.group(1), match.group(2)
        if not typed.islower() and not possessive:
            return match.group(0)  # written as a name already ("Norfolk", "LEEDS")
        return written[typed.lower()] + ("'s" if possessive else "")

    return pattern.sub(as_name, question)


@lru_cache(maxsize=1)
def _typed_names() -> tuple[re.Pattern[str], dict[str, str]]:
    ordinary = {c.name.lower() for c in load_councils().councils.values() if c.needs_suffix}
    written = {n.lower(): n for n in _known_names() if n.lower() not in ordinary and n[:1].isupper()}
    alternatives = "|".join(re.escape(n) for n in sorted(written, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’-])({alternatives})(s)?(?![\w'’-])", re.I), written


@dataclass(frozen=True)
class Correction:
    """A misspelt name in a question and what it was read as."""

    typed: str
    corrected: str

    def __str__(self) -> str:
        return f"{self.typed} → {self.corrected}"  # as answers and searches say it: "famly safegarding → Family Safeguarding"


def _known_names() -> list[str]:
    taxonomy = load_taxonomy()
    names = [t.name for terms in (taxonomy.models, taxonomy.authorities) for t in terms.values()]
    names += [c.name for c in load_councils().councils.values()]
    names += ["Strengthening Families", "Protecting Children", "Strengthening Families, Protecting Children"]
    return list(dict.fromkeys(names))


_POSSESSIVE = re.compile(r"['’]s$", re.I)


def correct_names(question: str, *, is_known_word: Callable[[str], bool]) -> tuple[str, list[Correction]]:
    """The question with misspelt programme, model and council names corrected ("famly safegarding").

    Only a run of words holding a word the corpus never uses is corrected, and only to a name that is
    close in spelling, so ordinary words are never rewritten.
    """
    words = question.split()
    # A possessive is not part of the name: "Norfok's" is matched as "Norfok" and keeps its "'s".
    lowered = [_POSSESSIVE.sub("", re.sub(r"[^\w&'’-]", "", w)).lower() for w in words]
    unknown = [bool(w) and len(w) > 3 and w not in STOPWORDS and not is_known_word(w) for w in lowered]
    if not any(unknown):
        return question, []
    names = _known_names()
    by_length: dict[int, dict[str, str]] = {}
    for name in names:
        by_length.setdefault(len(name.split()), {})[name.lower()] = name
    corrections: list[Correction] = []
    i = 0
    result: list[str] = []
    while i < len(words):
        replaced = False
        for size in (4, 3, 2, 1):
            window = lowered[i : i + size]
            if len(window) < size or not any(unknown[i : i + size]) or size not in by_length:
                continue
            typed = " ".join(window)
            if size == 1 and len(typed) < 6:
                continue
            match = difflib.get_close_matches(typed, by_length[size], n=1, cutoff=0.85 if size == 1 else 0.8)
            if match:
                name = by_length[size][match[0]]
                trailing = re.sub(r"^.*?((?:['’]s)?[^\w&'’-]*)$", r"\1", words[i + size - 1])
                result.append(name + trailing)
                corrections.append(Correction(" ".join(words[i : i + size]).rstrip("?.,!;:"), name))
                i += size
                replaced = True
                break
        if not replaced:
            result.append(words[i])
            i += 1
    return " ".join(result), corrections


@dataclass(frozen=True)
class FollowUp:
    """A question read in its conversation: the question to answer and what it inherits from earlier turns."""

    question: str
    context: str = ""

    @property
    def search_query(self) -> str:
        """What is searched for: the question, with what it inherits in brackets (cut at a word so that
        the whole stays within the length a typed question may have: the user never typed the rest)."""
        if not self.context:
            return self.question
        room = MAX_SEARCH_CHARS - len(self.question) - 3
        context = self.context if len(self.context) <= room else self.context[: max(room, 0)].rsplit(" ", 1)[0]
        return f"{self.question} ({context})" if context else self.question


def _with_year(previous: str, follow_up: str) -> str:
    """`previous` asked of the one year a follow-up gives instead of the one year it named (`previous` as it was
    when either names no year or several)."""
    years = set(_YEAR_IN_TEXT.findall(follow_up))
    earlier = set(_YEAR_IN_TEXT.findall(previous))
    return _YEAR_IN_TEXT.sub(years.pop(), previous) if len(years) == 1 and len(earlier) == 1 else previous


def resolve_follow_up(question: str, earlier_questions: list[str]) -> FollowUp:
    """Read a follow-up against the user's earlier questions (latest last).

    "And Family Valued?" after "Which councils adopted No Wrong Door?" becomes "Which councils adopted
    Family Valued?"; a question that refers back ("When was she appointed?") inherits the models and
    councils the latest earlier question named, or that question's words.
    """
    if not earlier_questions:
        return FollowUp(question)
    taxonomy = load_taxonomy()
    terms = [*taxonomy.models.values(), *taxonomy.authorities.values()]
    text = normalise_quotes(question)
    named = [t for t in terms if t.mentioned_in(text)]
    previous = normalise_quotes(earlier_questions[-1])
    elliptical = re.match(r"^\s*(?:and|also|what about|how about|or)\b", text, re.I)
    # "And in 2023?" after "How many children were in care in 2021?" asks the same of another year.
    if elliptical and not named and all(_YEAR_IN_TEXT.fullmatch(w) for w in content_words(text)):
        rewritten = _with_year(previous, text)
        if rewritten != previous:
            return FollowUp(rewritten)
    if named:
        own_words = [
            w for w in content_words(text) if not any(t.mentioned_in(w) for t in named) and not _YEAR_IN_TEXT.fullmatch(w)
        ]
        if elliptical and len(own_words) <= 2:
            same_facet = [
                t
                for t in terms
                if t.mentioned_in(previous) and (t in taxonomy.models.values()) == (named[0] in taxonomy.models.values())
            ]
            rewritten = _with_year(previous, text)
            for old in same_facet:
                for pattern in old.patterns:
                    rewritten = pattern.sub(named[0].name, rewritten)
            if same_facet and rewritten != previous:
                return FollowUp(rewritten)
            return FollowUp(question, previous)
        models = [t.name for t in taxonomy.models.values() if t.mentioned_in(previous)]
        if _IT.search(text) and models and not any(t in taxonomy.models.values() for t in named):
            # "When did it start in Hertfordshire?" after "What is Family Safeguarding?": the council is its own,
            # "it" is the model the latest question asked about.
            return FollowUp(question, ", ".join(models))
        return FollowUp(question)
    if not refers_back(question):
        return FollowUp(question)  # a question that stands on its own is searched on its own
    # "it", "that last one", "those children" stand for what the latest question asked about: its words, and the
    # programme or council an earlier question named when the latest names none ("When did it start?" after
    # "What is Coventry's reunification project?" searches for the project, not for Coventry alone).
    if any(t.mentioned_in(previous) for t in terms):
        return FollowUp(question, earlier_questions[-1])
    for earlier in reversed(earlier_questions[:-1]):
        inherited = [t.name for t in terms if t.mentioned_in(normalise_quotes(earlier))]
        if inherited:
            return FollowUp(question, f"{earlier_questions[-1]} {', '.join(inherited)}")
    return FollowUp(question, earlier_questions[-1])
