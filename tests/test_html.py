"""Saved web pages: only the article is indexed, with the page's own title, date and address; tables stay rows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kb.chunking import chunk_document
from kb.documents import load_document
from kb.errors import DocumentError

from .conftest import SHARED

PAGES = Path(__file__).parent / "pages"
LIBRARY = SHARED / "library"

ARTICLE = """
<h1>Family time in Riverside</h1>
<p>The family time service helps children in care keep in touch with their parents, brothers and sisters.
Sessions take place in a converted house rather than in an office, so that visits feel like time at home.</p>
<p>In its first year the service arranged more than four hundred visits for ninety children, and most of
the families said that the visits were easier to manage than before.</p>
"""


def saved_page(path: Path, head: str, body: str, *, saved_from: str = "") -> Path:
    comment = f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n" if saved_from else ""
    path.write_text(f"<!DOCTYPE html>\n{comment}<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path


def comparable(text: str) -> str:
    """As the library's phrases are compared: lower-cased, whitespace collapsed, apostrophes straightened."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def test_only_the_article_of_a_saved_page_is_indexed() -> None:
    document = load_document(PAGES / "kinship-hub-case-study.html")
    text = "\n".join(b.text for b in document.blocks)
    assert "Before the hub opened, kinship carers told the council" in text
    assert "placement breakdowns fell by a third" in text
    assert "Carers can read the kinship policy and the questions carers ask before their first visit." in text
    for furniture in (
        "cookies",  # the banner, its buttons and the footer link
        "Skip to main content",
        "Bins and recycling",  # the menu
        "Case studies",  # the breadcrumb
        "Share this page",
        "Share on Facebook",
        "What is family safeguarding and how to implement it (PDF 16.1mb)",  # related links, in the article too
        "Kinship care: a guide for relatives",
        "Kinship hub evaluation summary (PDF, 210KB)",
        "Facebook",
        "Related links",
        "More case studies",  # the sidebar
        "Privacy notice",
        "Town Hall",  # the footer
        "dataLayer",  # a script
    ):
        assert furniture.lower() not in text.lower(), furniture


def test_headings_become_sections_and_lists_items() -> None:
    document = load_document(PAGES / "kinship-hub-case-study.html")
    sections = {b.text: b.section for b in document.blocks}
    assert sections["- monthly peer groups run by carers themselves;"] == ("What the hub offers",)
    assert ("What the hub offers", "Support at a glance") in sections.values()
    assert all("Riverside's kinship hub: one year on" not in s for s in sections.values())  # the title is no section


def test_title_date_address_and_site_come_from_the_page_and_a_sidecar_wins(tmp_path: Path) -> None:
    document = load_document(PAGES / "kinship-hub-case-study.html")
    assert document.title == "Riverside's kinship hub: one year on"
    assert document.date == "2024-05-14"
    assert document.source == "https://www.riverside.example.gov.uk/case-studies/kinship-hub"  # og:url, not the saved-from
    assert document.publisher == "Riverside Council"
    page = shutil.copy(PAGES / "kinship-hub-case-study.html", tmp_path / "kinship.htm")
    Path(f"{page}.yaml").write_text("title: Kinship hub\ndate: 2024-06\ndoc_type: case-study\n", encoding="utf-8")
    described = load_document(Path(page))
    assert (described.title, described.date, described.doc_type) == ("Kinship hub", "2024-06", "case-study")
    assert described.source == document.source


def test_tables_and_key_figures_stay_quotable_with_their_labels() -> None:
    text = [b.text for b in load_document(PAGES / "kinship-hub-case-study.html").blocks]
    assert "Peer group — Who gives it: Kinship carers; How often: Monthly" in text  # under a header row
    assert "Regular support from the hub" in text  # its caption
    assert "Children who stayed with family: 87%" in text  # a label and its value
    assert "Hub manager: Amira Khan, a former kinship carer" in text  # a definition list
    assert "212 kinship families supported in the first year" in text  # not "212kinship"
    assert "£1.4m invested by the council over three years" in text


def test_a_cell_holding_only_a_dash_or_n_a_states_nothing_and_is_left_out_of_its_row(tmp_path: Path) -> None:
    table = (
        "<table><tr><th>Council</th><th>Hub name</th><th>Went live</th><th>Beds</th></tr>"
        "<tr><td>Leicester</td><td>–</td><td>2021</td><td>n/a</td></tr></table>"
    )
    page = saved_page(tmp_path / "hubs.html", "<title>Hubs</title>", f"<main>{ARTICLE}{table}</main>")
    text = [b.text for b in load_document(page).blocks]
    assert "Leicester — Went live: 2021" in text  # not "Hub name: –", which would read as the hub's name


@pytest.mark.parametrize(
    ("head", "byline", "date"),
    [
        ('<meta name="dcterms.modified" content="2023-05-12">', "", "2023-05-12"),
        ("", '<p class="meta">News · Published 13 January 2023</p>', "2023-01-13"),
        ("", '<p class="updated">Page last reviewed: July 2022</p>', "2022-07"),
        ("", "<p>Results for 2023-24 are due in the spring.</p>", None),  # no date is made up from a year
    ],
)
def test_a_date_is_taken_from_the_markup_or_a_dated_byline_only(tmp_path: Path, head: str, byline: str, date: str | None) -> None:
    page = saved_page(tmp_path / "family-time.html", f"<title>Family time</title>{head}", f"<main>{byline}{ARTICLE}</main>")
    assert load_document(page).date == date


def test_without_a_canonical_address_the_saved_from_address_is_the_source(tmp_path: Path) -> None:
    address = "https://www.riverside.example.gov.uk/family-time"
    page = saved_page(tmp_path / "family-time.html", "<title>Family time | Riverside</title>", ARTICLE, saved_from=address)
    document = load_document(page)
    assert document.source == address and document.title == "Family time in Riverside"
    assert document.publisher is None  # a host name is no publisher


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no text to index"),
        (b"<html><body><nav><a href='/'>Home</a> <a href='/jobs'>Jobs</a></nav></body></html>", "no article text"),
    ],
)
def test_a_page_without_an_article_is_refused_with_the_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert reason in caught.value.reason and "empty.html" in str(caught.value)


def library_phrases() -> list[tuple[str, str]]:
    lines = (LIBRARY / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    return [(q["doc"], phrase) for q in questions if q["doc"].endswith((".html", ".htm")) for phrase in q["phrase"]]


def test_every_question_phrase_of_the_library_pages_is_within_one_passage() -> None:
    """The article is read whole: each phrase a right answer holds is in one passage as indexed."""
    phrases = library_phrases()
    passages = {
        name: [comparable(c.text) for c in chunk_document(load_document(LIBRARY / "docs" / name))]
        for name in {doc for doc, _ in phrases}
    }
    missing = [(doc, phrase) for doc, phrase in phrases if not any(comparable(phrase) in p for p in passages[doc])]
    assert len(phrases) >= 100 and len(passages) == 16
    assert missing == []


def test_library_pages_keep_their_menus_and_footers_out() -> None:
    for page in sorted((LIBRARY / "docs").glob("*.html")):
        text = "\n".join(b.text for b in load_document(page).blocks).lower()
        for furniture in ("accept all cookies", "skip to main content", "accessibility statement", "privacy notice"):
            assert furniture not in text, (page.name, furniture)
