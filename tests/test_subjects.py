"""What a publication is about as a whole: the council and model its passages keep naming, or whose site it is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase, ask
from kb.subjects import document_subject, dominant, publishing_council


def test_the_subject_is_named_in_several_passages_and_clear_of_the_rest() -> None:
    assert dominant(Counter({"walsall": 3, "hertfordshire": 1})) == "walsall"
    assert dominant(Counter({"leeds": 3, "sefton": 3})) is None  # two councils side by side: no one subject
    assert dominant(Counter({"rochdale": 1})) is None  # named once: an aside
    assert dominant(Counter()) is None


def test_a_council_site_names_its_council_and_other_sites_name_none() -> None:
    assert publishing_council("https://www.durham.gov.uk/StayingClose") == "durham"
    assert publishing_council("https://newsroom.telford.gov.uk/News/Details/15814") == "telford-and-wrekin"
    assert publishing_council("https://consult.education.gov.uk/national-framework") is None  # a department, not a council
    assert publishing_council("https://www.frontlinereflections.blog/2024/09/x") is None
    assert publishing_council(None) is None


def test_a_councils_minutes_are_about_that_council_and_a_compendium_about_none() -> None:
    minutes = [
        "Middlesbrough Council scrutiny panel, 27 September 2022.",
        "Six social workers are assigned to young people from the age of 15.",
        "Members thanked Middlesbrough's Pathways team.",
    ]
    assert document_subject(source=None, passages=minutes, models=Counter()) == "Middlesbrough"
    compendium = ["Leeds and Sefton began in 2019.", "Sefton went live in 2022.", "Leeds coached its partners."]
    assert document_subject(source=None, passages=compendium, models=Counter({"family-valued": 3})) == "Family Valued"


def test_a_councils_paper_that_names_only_itself_once_is_about_that_council() -> None:
    report = ["Report of the Director of Children's Services, Middlesbrough Council.", "3.1 The visit focused on matching."]
    assert document_subject(source=None, passages=report, models=Counter()) == "Middlesbrough"
    two = ["Leeds Council and Sefton Council.", "3.1 The visit focused on matching."]
    assert document_subject(source=None, passages=two, models=Counter()) == ""


def test_an_adopters_paper_is_about_the_council_its_title_or_file_name_names() -> None:
    """An adopter's paper names the council whose model it adopted as often as itself ("Family Valued, developed in
    Leeds"): its title or file name says whose paper it is, and Leeds would otherwise be its subject or tie with it."""
    slides = ["Family Valued in Carrow Vale Council: year one.", "Leeds coached us.", "Leeds City Council visited."]
    assert document_subject(source=None, passages=slides, models=Counter()) == "Leeds"  # by count alone
    titled = document_subject(source=None, passages=slides, models=Counter(), title="Family Valued in Carrow Vale")
    assert titled == "Carrow Vale"
    report = ["Dunmere County Council cabinet, 4 March 2025.", "Leeds trained staff.", "Dunmere County Council met Leeds."]
    named = {"passages": report, "models": Counter(), "title": "Family Valued: funding the countywide rollout"}
    assert document_subject(source=None, **named) == ""  # Dunmere and Leeds named as often
    assert document_subject(source=None, **named, doc_id="dunmere-cabinet-report-family-valued-rollout") == "Dunmere"
    inspection = "Inspection of Brindleford Borough Council children's services"  # not "Inspection of Brindleford"
    passages = ["North Yorkshire's model.", "North Yorkshire coached the hub."]
    assert document_subject(source=None, passages=passages, models=Counter(), title=inspection) == "Brindleford"


def test_a_passage_that_never_names_its_council_answers_a_question_about_it(
    embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    """The names gate reads the document's subject: "how many personal advisers does Eastmoor have?" is answered by
    the minutes of Eastmoor Council even where the passage itself only says "nine Personal Advisers"."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "eastmoor-minutes.md").write_text(
        "---\ntitle: Scrutiny panel minutes on leaving care\ndoc_type: minutes\ndate: 2023-01-10\n---\n\n"
        "## Item 1: Introduction\n\nEastmoor Council's scrutiny panel met to review services for care leavers. "
        "Members heard how Eastmoor supports young people leaving its care.\n\n"
        "## Item 2: Staffing\n\nThe panel noted that Eastmoor Council had recruited new staff over the year and that "
        "recruitment had been difficult.\n\n"
        "## Item 3: The Pathways service\n\nSix social workers are assigned to young people from the age of 15, and nine "
        "Personal Advisers work with young people aged 16 to 25. The panel asked for a report on caseloads.\n",
        encoding="utf-8",
    )
    ingest([docs], index_dir=tmp_path / "index", embedder_factory=lambda: embedder)
    knowledge_base = KnowledgeBase(tmp_path / "index", embedder=embedder)
    reply = ask(knowledge_base, "How many personal advisers does Eastmoor's Pathways service have?")
    assert reply.confident, reply.answer
    assert "nine Personal Advisers" in reply.answer
