"""What kind of publication a document is and when it was published, read from the document itself when its
metadata does not say, and the short label ("Evaluation report · July 2020") each citation carries."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from kb.taxonomy import Taxonomy, load_taxonomy

OPENING_CHARS = 3000  # a publication says what it is and when on its first page
NAMING_CHARS = 200  # the first line, where a cover or header says "PRACTICE EVIDENCE REVIEW" or "Minutes of"
TITLE_WEIGHT = 3  # a kind named in the title or file name outweighs one mentioned in passing
MIN_KIND_SCORE = 2  # below this the opening does not say clearly enough what the publication is

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december")
    )
    for name in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)"
    rf"|{_MONTH.replace('month', 'month2')}\s+(?:(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<year2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?))\b",
    re.IGNORECASE,
)
# A date a publication gives itself: the label begins a line or a field and only a colon, "on" or a weekday
# stands between it and the date ("Published: 3 May 2023", "Minutes of the meeting held on Wednesday 25 ...").
_LABEL = (
    r"(?:published|publication date|date of (?:publication|issue|meeting|webinar|event|report|recording)|date|recorded"
    r"|updated|last updated|issued|posted|submitted to[^\n|]{0,40}?|meeting (?:of|held on))"
)
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_LABELLED = re.compile(
    rf"(?:(?:^|[\n|:•.!?\"”])\s*(?:\w+\s+){{0,4}}?{_LABEL}\s*[:,\-–]?|\b{_LABEL}\s*:)\s*(?:on\s+)?{_WEEKDAY}$",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:will|expected|estimated|due|planned|plans? to|by the end of|until|deadline)\b", re.IGNORECASE)
COVER_LINE_CHARS = 120  # a cover's or header's line ("Northern Practice Exchange · November 2023"), not prose
LATEST_MENTIONED = "the latest date it mentions"  # a lower bound, labelled "not before ..."
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Found:
    """A date written in a text: where it stands and its ISO form (YYYY, YYYY-MM or YYYY-MM-DD)."""

    start: int
    iso: str


def dates_in(text: str) -> list[Found]:
    """Every calendar date written in `text` ("2 June 2022", "June 2022", "June 2, 2022", "2022-06-02")."""
    found = []
    for match in _DATE.finditer(text):
        if match["iso"]:
            iso = match["iso"]
        else:
            month = _MONTHS[(match["month"] or match["month2"]).lower()]
            year, day = int(match["year"] or match["year2"]), match["day"] or match["day2"]
            try:
                datetime.date(year, month, int(day or 1))
            except ValueError:
                continue
            iso = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        if match.start() and text[match.start() - 1] in "/=?&":  # a date in a web address is not the publication's
            continue
        found.append(Found(match.start(), iso))
    return found


def infer_date(title: str, text: str) -> tuple[str | None, str]:
    """When a publication was published, from its text, and how that was read.

    In order of trust: a date in its title; a date its first page labels ("Published: ...", "Recorded: ...",
    "Meeting of ..."); the first date on a short line (a cover or header) of its first lines; the last year its
    title names; else the latest date the document mentions that is not a plan ("will", "due"), as the earliest it
    can have been written."""
    in_title = dates_in(title)
    if in_title:
        return in_title[0].iso, "its title"
    opening = text[:OPENING_CHARS]
    for found in dates_in(opening):
        if _LABELLED.search(opening[max(0, found.start - 80) : found.start]):
            return found.iso, "a date the document gives"
    cover = [f for f in dates_in(opening[:400]) if len(_line_at(opening, f.start)) <= COVER_LINE_CHARS]
    if cover:
        return cover[0].iso, "a date on its first lines"
    title_years = _YEAR.findall(title)
    if title_years:  # the last it names: a period's end ("2015 to 2024"), the edition ("2023 edition")
        return max(title_years), "its title"
    past = [f.iso for f in dates_in(text) if not _FUTURE.search(_sentence_before(text, f.start))]
    if past:
        return max(past, key=lambda iso: iso + "-99"), LATEST_MENTIONED
    return None, ""


def contradicts_title(date: str, title: str) -> bool:
    """A date before the last year the title names ("September 2020" for "Fact Sheet, 2023 edition"): a date the
    text mentions, not when it was written, which cannot be before its own edition or the end of the period it
    covers ("2015 to 2024" allows 2025)."""
    years = _YEAR.findall(title)
    return bool(years) and date[:4] < max(years)


def _line_at(text: str, at: int) -> str:
    return text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]


def _sentence_before(text: str, at: int) -> str:
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at))
    return text[start + 1 : at]


def infer_doc_type(
    title: str, file_name: str, opening: str, *, is_transcript: bool, is_web_page: bool, taxonomy: Taxonomy | None = None
) -> str:
    """The kind of publication (a doc_type of the taxonomy) its title, file name and opening lines say it is.

    Turns by named speakers make a transcript; otherwise the type whose cues the title, file name or first
    lines name (weighed TITLE_WEIGHT) and the opening mentions scores highest, ties going to the type listed first. A page
    that says nothing clearer is a web page; anything else an 'other document'."""
    taxonomy = taxonomy or load_taxonomy()
    if is_transcript and "transcript" in taxonomy.doc_types:  # most of its passages are turns by named speakers
        return "transcript"
    first_line = opening[:NAMING_CHARS].split("\n", 1)[0]  # a cover's kicker ("PRACTICE EVIDENCE REVIEW") names it too
    named = f"{title}\n{re.sub(r'[-_]+', ' ', file_name)}\n{first_line}"
    scores = {
        doc_type: sum(TITLE_WEIGHT * bool(p.search(named)) + bool(p.search(opening)) for p in cues)
        for doc_type, cues in taxonomy.doc_type_cues.items()
    }
    best = max(scores, key=lambda t: scores[t], default=None)
    if best is not None and scores[best] >= MIN_KIND_SCORE:
        return best
    return "web-page" if is_web_page and "web-page" in taxonomy.doc_types else "document"


def format_date(iso: str | None) -> str:
    """'2020-07' as 'July 2020', '2022-06-01' as '1 June 2022', '2022' as '2022'; None as 'undated'."""
    if not iso:
        return "undated"
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = datetime.date(2000, parts[1], 1).strftime("%B")
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def years_old(iso: str | None, today: datetime.date) -> int | None:
    """Whole years between a publication date and today (None when undated)."""
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    published = datetime.date(parts[0], parts[1], parts[2])
    return today.year - published.year - ((today.month, today.day) < (published.month, published.day))


def source_label(
    doc_type: str,
    date: str | None,
    *,
    speaker: str | None = None,
    date_from: str | None = None,
    old_after_years: int = 5,
    today: datetime.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> str:
    """The kind and date of a cited publication, with its age once it is older than `old_after_years`:
    'Evaluation report · July 2020', 'Transcript (one speaker's view) · 15 June 2022', 'Guidance · 2015 · 11 years old'."""
    taxonomy = taxonomy or load_taxonomy()
    kind = taxonomy.doc_types.get(doc_type, taxonomy.doc_types.get("document", "Other document"))
    if speaker:
        kind = f"{kind} (one speaker's view)"
    when = format_date(date)
    parts = [kind, f"not before {when}" if date and date_from and LATEST_MENTIONED in date_from else when]
    age = years_old(date, today or datetime.date.today())
    if age is not None and age > old_after_years:
        parts.append(f"{age} years old")
    return " · ".join(parts)
