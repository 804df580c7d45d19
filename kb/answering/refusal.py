"""Refusing from evidence: when the passages found are too far from a question to answer it, and what a refusal says."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence

from kb.answering.features import GENERIC_MEASURES, MONEY_MEASURES, SUM, Pair, has_kind, stem
from kb.answering.question import SPELLING_CUTOFF
from kb.lexical import STOPWORDS
from kb.search import Hit
from kb.taxonomy import normalise_quotes

# A floor on the evidence score (best cosine x question-word coverage) below which nothing is answered:
# passages this far from a question are about something else (everyday out-of-scope questions, such as
# the capital of France, score under 0.12). Above it the answer model decides (README, "Answers").
CONFIDENCE_THRESHOLD = 0.15  # the default of KB_REFUSAL_THRESHOLD (kb/settings.py)
UNKNOWN_NAME_PENALTY = 0.5  # evidence is halved when the question names a place or body no passage mentions
EVIDENCE_PASSAGES = 5
NOT_COVERED = "The knowledge base does not cover this question. The nearest passages are listed below; they may not answer it."
_KIND_NAMES = {"date": "date", "time": "time", "number": "figure", "age": "age", "council": "council", "person": "name"}
_WORD = re.compile(r"\w+")


def unknown_names(question: str, corpus_mentions: Callable[[str], bool]) -> list[str]:
    """Capitalised words inside the question (places, people, programmes) the corpus never mentions.

    A question about Wales or Scotland is not answered by passages about English councils, however
    similar the rest of its wording is.
    """
    words = _WORD.findall(normalise_quotes(question))
    names = [w for w in words[1:] if w[:1].isupper() and w.lower() not in STOPWORDS and not w.isdigit()]
    return [n for n in dict.fromkeys(names) if not corpus_mentions(n)]


def absent_names(unknown: Sequence[str], passages: Iterable[str]) -> list[str]:
    """The names among `unknown` (the question's, which no passage of the knowledge base mentions) that are no
    misspelling of a word of the `passages` found ("Raods" for "Roads") and no abbreviation ("UASC", "NQSWs": a
    passage may spell it out). A question about Scotland is not answered by what the knowledge base says of Coventry."""
    names = [n for n in unknown if sum(c.isupper() for c in n) < 2]
    if not names:
        return []
    spellings = {w.lower() for text in passages for w in _WORD.findall(text)}
    return [n for n in names if not difflib.get_close_matches(n.lower(), spellings, n=1, cutoff=SPELLING_CUTOFF)]


def evidence_score(hits: Sequence[Hit], question: str, *, unknown: Sequence[str] = ()) -> float:
    """How well the best passage supports the question: its cosine, scaled by how many of the
    question's content words the top passages contain, and halved when the question names
    something the corpus never mentions."""
    if not hits:
        return 0.0
    penalty = UNKNOWN_NAME_PENALTY if unknown else 1.0
    dense = max((h.dense_score or 0.0) for h in hits[:EVIDENCE_PASSAGES])
    words = {w for w in _WORD.findall(question.lower()) if w not in STOPWORDS and len(w) > 2}
    if not words:
        return dense * penalty
    passages = " ".join(h.text for h in hits[:EVIDENCE_PASSAGES]).lower()
    covered = sum(1 for w in words if stem(w) in passages)
    return dense * (0.5 + 0.5 * covered / len(words)) * penalty


def missing_from(p: Pair, others: Sequence[Pair] = ()) -> str:
    """What the closest unit lacks, in words a practitioner can act on ("" when nothing in particular); `others`, the
    other units weighed, say whether a name it lacks is missing from every passage found or from this one only."""
    missing = p.mentions.missing(p.around)
    if missing:
        nowhere = [name for name in missing if all(name in o.mentions.missing(o.around) for o in others)]
        if nowhere:
            return f"none of the passages found mentions {' and '.join(nowhere)}"
        return f"the closest passage does not mention {' and '.join(missing)}"
    intent = p.intent
    if intent.kind in _KIND_NAMES and not has_kind(intent.kind, p.unit.text, intent):
        if intent.named_role:
            return f"none of the passages found names the {intent.named_role}"
        subject = intent.measure or "it"
        return f"the passages found give no {_KIND_NAMES[intent.kind]} for {subject}"
    if intent.kind == "number" and intent.measure in MONEY_MEASURES and not SUM.search(p.unit.text):
        return f"the passages found give no figure in pounds for {intent.measure}"
    # "What percentage ..." is answered by "36.2%": a generic measure is never the word a passage lacks.
    if intent.measure and intent.measure not in GENERIC_MEASURES and stem(intent.measure) not in p.unit.text.lower():
        return f"no passage found gives a figure for {intent.measure}"
    return "no passage found speaks to what it asks"


def refusal_text(reason: str) -> str:
    """The refusal: that the knowledge base does not cover the question, why if known, and where to look."""
    if not reason:
        return NOT_COVERED
    head, tail = NOT_COVERED.split(". ", 1)
    return f"{head}: {reason}. {tail}"
