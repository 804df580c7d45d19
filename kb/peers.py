"""Peer learning: the councils that have done something, ranked by the evidence, and one council's passages."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kb.answering.compose import Citation, citation_for
from kb.answering.features import COVERAGE_IN_CONTEXT, focus_coverage
from kb.answering.question import Intent, analyse
from kb.answering.units import passage_units
from kb.councils import council_name, councils_in, load_councils
from kb.errors import NotFoundError
from kb.knowledge_base import KnowledgeBase, validate_query
from kb.search import NO_FILTERS, Filters, Hit
from kb.store import IndexReader
from kb.taxonomy import load_taxonomy

Role = Literal["innovator", "adopter", "outside the programme"]
PEER_PASSAGES = 30  # passages searched for a topic
MIN_TOPIC_COSINE = 0.45  # a sentence this close to the topic is about it ...
MIN_TOPIC_COVERAGE = 0.5  # ... or one holding this share of the topic's words
# A sentence that names no council but sits under a council's heading, or in a publication about one council, meets
# the same bar (it counts at HEADING_SHARE).
HEADING_MIN_COSINE = MIN_TOPIC_COSINE
HEADING_MIN_COVERAGE = MIN_TOPIC_COVERAGE
RELATIVE_CUTOFF = 0.6  # councils whose evidence is under this share of the best one's are left out
COVERAGE_WEIGHT = 0.5
HEADING_SHARE = 0.8  # a passage under a council's heading is evidence, a little less than naming it
MORE_PASSAGES_WEIGHT = 0.05  # each further passage that supports a council
MAX_PASSAGES = 3  # cited per council
# A sentence naming several councils shares its evidence among them (divided by the square root of their number),
# unless it is squarely about the topic: from SHARED_FULL_COSINE up it counts whole for each council it names.
SHARED_FULL_COSINE = 0.7


@dataclass(frozen=True)
class Peer:
    """A council with evidence about a topic: its place in the programme and the passages that show it."""

    id: str
    name: str
    role: Role
    model: str | None
    score: float
    passages: list[Citation]
    quotes: list[str]  # per passage, the sentence that connects the council to the topic


@dataclass(frozen=True)
class Peers:
    """The councils the knowledge base holds evidence about for a topic, best first."""

    topic: str
    councils: list[Peer]


@dataclass(frozen=True)
class CouncilPassages:
    """One document's passages that name a council."""

    doc_id: str
    title: str
    date: str | None
    passages: list[Citation]
    mentions: list[str]  # per passage, the sentence that names the council (its heading, if only that does)


@dataclass(frozen=True)
class CouncilPage:
    """A council: its role and model, and every passage that names it, by document, newest first."""

    id: str
    name: str
    role: Role
    model: str | None
    documents: list[CouncilPassages]


def programme_place(council_id: str) -> tuple[str, Role, str | None]:
    """Name, role and model of a council: the programme's councils from the taxonomy, others outside it."""
    taxonomy = load_taxonomy()
    for term in taxonomy.authorities.values():
        if council_id in councils_in(term.name):
            model = taxonomy.models[term.model].name if term.model else None
            return term.name, "innovator" if term.role == "innovator" else "adopter", model
    return council_name(council_id), "outside the programme", None


def _topic_coverage(intent: Intent, text: str, context: str, weight: Callable[[str], float]) -> float:
    """The share of the topic's words a sentence holds (its context counting for less), the things the topic names
    ("Lifelong Links") among them: one that names them is about the topic even where it says nothing else of it."""
    words = focus_coverage(intent, text, context, weight)
    if not intent.entities:
        return words
    text, context = text.lower(), context.lower()
    found = sum(1.0 if e in text else COVERAGE_IN_CONTEXT if e in context else 0.0 for e in map(str.lower, intent.entities))
    share = len(intent.entities) / (len(intent.entities) + len(intent.focus))
    return (1 - share) * words + share * found / len(intent.entities)


def _sole_council(title: str) -> frozenset[str]:
    """The council a publication is about, when its title names exactly one ("Walsall: Ofsted inspection 2021")."""
    named = councils_in(title)
    return named if len(named) == 1 else frozenset()


def _sharing(councils: int, cosine: float) -> float:
    """How far one sentence's evidence is shared among the councils it names: by the square root of their number
    for a sentence loosely about the topic (a list of names beside it), not at all for one squarely about it
    ("Brighton and Hove, Sunderland, ... were chosen to run family network pilots")."""
    strength = min(max((cosine - MIN_TOPIC_COSINE) / (SHARED_FULL_COSINE - MIN_TOPIC_COSINE), 0.0), 1.0)
    return float(math.sqrt(councils) ** (1.0 - strength))


def find_peers(kb: KnowledgeBase, topic: str, *, filters: Filters = NO_FILTERS, snap: IndexReader | None = None) -> Peers:
    """Councils with evidence about a topic, ranked.

    Evidence is a sentence (or list item) that is about the topic (its cosine with the topic, or the
    share of the topic's words it holds) and names the council, or stands under a heading that does.
    A council named in a list of names beside text about something else is not evidence. A council's
    score is its best evidence (shared when one sentence names several councils), plus a little for
    each further passage that supports it.
    """
    topic = validate_query(topic)
    with kb.snapshot(snap) as snap:  # one generation for the whole answer
        hits = kb.search(topic, k=PEER_PASSAGES, filters=filters, snap=snap)
        vectors = kb.sentence_vectors(hits, snap=snap)
        intent = analyse(topic)
        weights = {word: kb.word_weight(word, snap=snap) for word in intent.focus}
    if not hits:
        return Peers(topic, [])
    query = kb.embed_query(topic).ravel()

    def weight(word: str) -> float:
        return weights.get(word, 1.0)

    evidence: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)  # council -> passage -> (evidence, sentence)
    for index, hit in enumerate(hits):
        whole = f"{hit.title}\n{hit.section}\n{hit.text}".lower()
        if not all(entity.lower() in whole for entity in intent.entities):
            continue  # a topic that names something ("Lifelong Links", "Ofsted") is about passages that name it too
        # A passage under a council's heading, or in a publication whose title names one council, is about that council.
        subject = councils_in(hit.section) or _sole_council(hit.title)
        for unit in passage_units(hit, index):
            if unit.is_list or unit.lead_in:
                continue
            named, share = councils_in(unit.text), 1.0
            if not named and subject:
                named, share = subject, HEADING_SHARE
            if not named:
                continue
            ids = [v for v in unit.vectors if v < len(vectors[index])]
            cosine = float(np.max(vectors[index][ids] @ query)) if ids else 0.0
            coverage = _topic_coverage(intent, unit.text, unit.context, weight)
            min_cosine, min_coverage = (
                (MIN_TOPIC_COSINE, MIN_TOPIC_COVERAGE) if share == 1.0 else (HEADING_MIN_COSINE, HEADING_MIN_COVERAGE)
            )
            if cosine < min_cosine and coverage < min_coverage:
                continue
            value = share * (cosine + COVERAGE_WEIGHT * coverage) / _sharing(len(named), cosine)
            for council in named:
                if value > evidence[council].get(index, (0.0, ""))[0]:
                    evidence[council][index] = (value, unit.text)
    peers = []
    for council, by_passage in evidence.items():
        ranked = sorted(by_passage.items(), key=lambda item: -item[1][0])[:MAX_PASSAGES]
        score = ranked[0][1][0] + MORE_PASSAGES_WEIGHT * (len(by_passage) - 1)
        name, role, model = programme_place(council)
        citations = [citation_for(hits[i], n) for n, (i, _) in enumerate(ranked, start=1)]
        peers.append(Peer(council, name, role, model, round(score, 4), citations, [quote for _, (_, quote) in ranked]))
    peers.sort(key=lambda p: (-p.score, p.name))
    # Weak evidence beside strong: a council named in passing next to the ones that did it.
    return Peers(topic, [p for p in peers if p.score >= RELATIVE_CUTOFF * peers[0].score] if peers else [])


def council_page(kb: KnowledgeBase, name: str) -> CouncilPage:
    """A council by id or name, with every passage that names it grouped by document, newest first."""
    known = load_councils().councils
    council_id = name if name in known else next(iter(sorted(councils_in(name) or councils_in(name.title()))), None)
    if council_id is None:
        raise NotFoundError(f'no council called {name!r}; give a council\'s name ("Leeds") or id ("leeds")')
    display, role, model = programme_place(council_id)
    by_document: dict[str, list[Hit]] = defaultdict(list)
    for hit in kb.passages_containing(max(council_name(council_id).split(), key=len)):
        if council_id in councils_in(hit.text) or council_id in councils_in(hit.section):
            by_document[hit.doc_id].append(hit)
    documents = [
        CouncilPassages(
            doc_id,
            hits[0].title,
            hits[0].date,
            [citation_for(h, n) for n, h in enumerate(hits, start=1)],
            [_mention(h, council_id) for h in hits],
        )
        for doc_id, hits in by_document.items()
    ]
    documents.sort(key=lambda d: (d.date or "", d.title), reverse=True)
    return CouncilPage(council_id, display, role, model, documents)


def _mention(hit: Hit, council_id: str) -> str:
    """The first sentence of a passage that names the council, or its heading when only that does."""
    for unit in passage_units(hit, 0):
        if council_id in councils_in(unit.text):
            if unit.is_list:  # the lead-in and the item that names it
                item = next(line for line in unit.lines if council_id in councils_in(line))
                return f"{unit.lines[0]} {item.removeprefix('- ')}" if item != unit.lines[0] else item
            return unit.text
    return hit.section.split(" > ")[-1]
