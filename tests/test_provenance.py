"""What kind of publication a document is and when it was published, read from it when its metadata is silent,
and the label each citation carries."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kb.documents import load_document
from kb.provenance import dates_in, format_date, infer_date, infer_doc_type, source_label

LIBRARY = Path(__file__).resolve().parent.parent.parent / "shared" / "library" / "docs"
TODAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("on 2 June 2022 in Leeds", ["2022-06-02"]),
        ("published in September 2021.", ["2021-09"]),
        ("June 14, 2022", ["2022-06-14"]),
        ("see 2023-05-12", ["2023-05-12"]),
        ("the 2015-16 figures and 31 February 2020", []),  # a financial year and no real date
        ("https://example.org/detail/2018-01-25/125040", []),  # a date in a web address
    ],
)
def test_dates_are_read_in_the_ways_publications_write_them(text: str, iso: list[str]) -> None:
    assert [f.iso for f in dates_in(text)] == iso


def test_a_date_the_document_gives_itself_wins_over_dates_it_mentions() -> None:
    text = "The service launched in January 2021.\nPublished: 3 May 2023\nIn March 2019 the council began..."
    assert infer_date("Implementation update", text) == ("2023-05-03", "a date the document gives")
    assert infer_date("Update report (Executive, 14 June 2022)", text)[0] == "2022-06-14"  # its title first
    minutes = "Extract 1: Meeting of Tuesday 27 September 2022, 10.30 am\nThe minutes of 26 July 2022 were approved."
    assert infer_date("Scrutiny panel minutes", minutes)[0] == "2022-09-27"


def test_without_a_date_of_its_own_the_latest_date_mentioned_is_a_lower_bound_and_plans_are_not_dates() -> None:
    text = (
        "Lancashire's journey began in March 2019. An online event in March 2021 marked the launch. "
        "The next review will take place in October 2026. " + "More text. " * 100
    )
    date, read_from = infer_date("Family Safeguarding: implementation update", text)
    assert date == "2021-03" and "latest" in read_from
    assert source_label("committee-report", date, date_from=read_from, today=TODAY) == (
        "Council committee report · not before March 2021"
    )
    assert infer_date("A note", "No dates here at all.") == (None, "")


@pytest.mark.parametrize(
    ("title", "file_name", "opening", "kind"),
    [
        ("Children's Services Scrutiny Committee: minutes", "scrutiny-minutes", "Apologies were received.", "minutes"),
        ("Fenbridge pilot: final evaluation report", "fenbridge-evaluation", "This evaluation used a mixed-methods design.",
         "evaluation-report"),
        ("Why I stayed in social work", "blog-why-i-stayed", "Posted by a practitioner.", "blog"),
        ("Council launches new family service", "launch-news", "The council today announced ...", "news"),
        ("Working with fathers: practice guidance", "fathers-guidance", "This guidance sets out ...", "guidance"),
        ("Notes", "notes", "Some words.", "document"),
    ],
)
def test_a_publication_without_a_type_is_recognised_by_its_title_and_opening(
    title: str, file_name: str, opening: str, kind: str
) -> None:
    assert infer_doc_type(title, file_name, opening, is_transcript=False, is_web_page=False) == kind


def test_turns_by_named_speakers_make_a_transcript_and_a_page_that_says_nothing_is_a_web_page() -> None:
    assert infer_doc_type("Episode 4", "ep4", "Host: Welcome.", is_transcript=True, is_web_page=False) == "transcript"
    assert infer_doc_type("Home", "home", "Welcome to our site.", is_transcript=False, is_web_page=True) == "web-page"


def test_labels_give_kind_date_a_speakers_view_and_age_when_old() -> None:
    assert source_label("evaluation-report", "2020-07", today=TODAY) == "Evaluation report · July 2020 · 6 years old"
    assert source_label("news", "2022-06-01", today=TODAY, old_after_years=10) == "News item · 1 June 2022"
    assert source_label("transcript", "2022-06-15", speaker="Isabelle Trowler", today=TODAY, old_after_years=10) == (
        "Transcript (one speaker's view) · 15 June 2022"
    )
    assert source_label("guidance", None, today=TODAY) == "Guidance · undated"
    assert source_label("no-such-type", "2024", today=TODAY) == "Other document · 2024"
    assert format_date("2024") == "2024"


def test_a_plain_text_transcript_without_metadata_is_read_as_one_with_its_speakers(tmp_path: Path) -> None:
    path = tmp_path / "podcast.txt"
    turns = "\n\n".join(f"{name}: Point number {i} about family group conferences." for i, name in
                        enumerate(["Sam Hollis", "Bernadette Quinn"] * 3))
    path.write_text(f"PODCAST TRANSCRIPT\n\nRecorded: 14 October 2024.\n\n{turns}\n", encoding="utf-8")
    document = load_document(path)
    assert document.doc_type == "transcript" and document.date == "2024-10-14"
    assert {b.speaker for b in document.blocks} >= {"Sam Hollis", "Bernadette Quinn"}
    assert "the document" in document.meta["doc_type_from"] and "the document" in document.meta["date_from"]


def test_metadata_wins_over_what_the_document_says(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\ndoc_type: news\ndate: 2020-01\n---\n# Evaluation report\n\nPublished: 3 May 2023\n", encoding="utf-8")
    document = load_document(path)
    assert (document.doc_type, document.date) == ("news", "2020-01") and "date_from" not in document.meta


def test_a_date_before_the_year_a_title_names_is_one_the_text_mentions() -> None:
    """A fact sheet's "2023 edition" was dated September 2020, the first date on its first page (the date of a
    council's launch), and labelled six years old. A publication cannot be older than its edition or the end of the
    period it covers; "2015 to 2024" allows a review published in 2025."""
    from kb.provenance import contradicts_title

    assert contradicts_title("2020-09", "No Wrong Door Adopters at a Glance (Fact Sheet, 2023 edition)")
    assert not contradicts_title("2025-04", "Keeping practitioners: workforce stability, 2015 to 2024")
    assert not contradicts_title("2019-04", "Adopting councils: a frontline practice compendium")
    assert infer_date("Strengthening Families, Protecting Children 2019-2024", "A look back.") == ("2024", "its title")
    fact_sheet = load_document(LIBRARY / "no-wrong-door-adopters-at-a-glance-2023.pdf")
    assert fact_sheet.date == "2023"


@pytest.mark.parametrize(
    ("file_name", "kind", "date"),
    [  # one publication of each format of ../shared/library that gives neither its type nor (mostly) its date
        ("podcast-leading-improvement-culture-change-transcript.txt", "transcript", "2024-10-14"),
        ("safeguarding-partnership-executive-minutes-sept-2024.docx", "minutes", "2024-09-25"),
        ("middlesbrough-executive-improvement-update-june-2022.docx", "committee-report", "2022-06-14"),
        ("beyond-the-front-door-adolescent-risk-practice-review-2023.pdf", "evidence-review", "2023-11"),
        ("sefton-family-valued-launch-news.html", "news", "2022-06-01"),
    ],
)
def test_library_publications_of_each_format_get_their_kind_and_date(file_name: str, kind: str, date: str) -> None:
    # All 65: `python -m bench.provenance_library` (in `make bench`): 65 typed, 60 of 65 (92%) typed and dated.
    document = load_document(LIBRARY / file_name)
    assert (document.doc_type, document.date) == (kind, date)


def test_citations_and_hits_carry_their_source_label(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    answer = client.post("/ask", json={"question": "When was Issue 6 published?"}).json()
    assert answer["citations"] and answer["citations"][0]["source_label"].startswith("Journal · March 2024")
    hit = client.get("/search", params={"q": "family group conference", "k": 1}).json()["results"][0]
    assert hit["source_label"].startswith("Journal · March 2024")
