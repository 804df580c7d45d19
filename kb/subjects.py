"""What a publication is about as a whole: the council and model that its passages keep naming, or the council
whose website published it. A passage deep in a council's minutes ("Six social workers are assigned ...")
never names the council again; its document's subject says whose service it describes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from kb.councils import council_name, council_slug, councils_in, load_councils
from kb.taxonomy import load_taxonomy

MIN_PASSAGES = 2  # a council or model named in one passage only is an aside, not the subject
DOMINANCE = 2  # the subject is named in at least twice as many passages as anything else of its kind


def dominant(counts: Counter[str]) -> str | None:
    """The one item named in most passages, when it stands clear of the rest (see MIN_PASSAGES, DOMINANCE)."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_PASSAGES:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def publishing_council(source: str | None) -> str | None:
    """The council whose own site (<place>.gov.uk) a page came from: "https://www.durham.gov.uk/..." -> durham."""
    host = (urlsplit(source).hostname or "") if source else ""
    labels = [label for label in host.split(".") if label != "www"]
    if len(labels) < 3 or labels[-2:] != ["gov", "uk"]:
        return None
    place = " ".join(word.capitalize() for word in labels[-3].replace("-", " ").split())
    known = [c for c in councils_in(f"{place} Council") if c in load_councils().councils]  # not "education.gov.uk"
    return known[0] if len(known) == 1 else None


def titled_council(title: str, doc_id: str, named: Iterable[str]) -> str | None:
    """The one council a document's title names ("Inspection of Brindleford Borough Council children's services"),
    else the one council of those its passages name whose name its title or file name spells ("Family Valued in
    Carrow Vale", "dunmere-cabinet-report-...")."""
    in_title = councils_in(title)
    if len(in_title) == 1:
        return next(iter(in_title))
    spellings = (f"-{council_slug(title)}-", f"-{doc_id}-")
    spelt = {c for c in named if any(f"-{c}-" in spelling for spelling in spellings)}
    return next(iter(spelt)) if len(spelt) == 1 else None


def document_subject(
    *, source: str | None, passages: Iterable[str], models: Counter[str], title: str = "", doc_id: str = ""
) -> str:
    """The names of what a document is about ("Middlesbrough Council No Wrong Door"), or "" when it is about many.

    `passages` are its texts; `models` counts the passages tagged with each model of the taxonomy. A council's
    own site, or its title or file name, says whose it is before any count: an adopter's paper often names the
    council whose model it adopted as often as itself ("Family Valued, developed in Leeds, ...")."""
    councils = Counter(c for text in passages for c in councils_in(text))
    # A council's own paper names itself once, in its heading, and no other council.
    council = (
        publishing_council(source)
        or titled_council(title, doc_id, councils)
        or dominant(councils)
        or (next(iter(councils)) if len(councils) == 1 else None)
    )
    model = dominant(models)
    taxonomy = load_taxonomy()
    names = [council_name(council) if council else "", taxonomy.models[model].name if model in taxonomy.models else ""]
    return " ".join(n for n in names if n)
