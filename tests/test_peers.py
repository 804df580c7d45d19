"""Peer learning on the real corpus: councils that have done it, a council's passages, the models compared."""

from __future__ import annotations

import pytest

from kb.compare import compare_models, question_about
from kb.errors import NotFoundError
from kb.evaluation import evaluate_peers, load_peer_questions
from kb.knowledge_base import KnowledgeBase
from kb.peers import council_page, find_peers

from .conftest import ROOT


def test_the_council_that_did_it_comes_first_with_its_place_and_evidence(knowledge_base: KnowledgeBase) -> None:
    peers = find_peers(knowledge_base, "reunification")
    first = peers.councils[0]
    assert (first.id, first.role, first.model) == ("coventry", "adopter", "Family Valued")
    assert "Coventry" in first.quotes[0] and "reunification" in first.quotes[0]
    assert first.quotes[0] in first.passages[0].text  # the evidence is quoted from the passage it cites


def test_councils_outside_the_programme_are_found_too(knowledge_base: KnowledgeBase) -> None:
    councils = {c.id: c for c in find_peers(knowledge_base, "family group conferencing").councils}
    assert {"leeds", "camden"} <= set(councils)
    assert councils["camden"].role == "outside the programme" and councils["camden"].model is None
    assert councils["leeds"].role == "innovator"


def test_a_council_named_in_a_list_beside_other_text_is_not_evidence(knowledge_base: KnowledgeBase) -> None:
    # The adopters list names Walsall, but says nothing about motivational interviewing.
    peers = find_peers(knowledge_base, "motivational interviewing with parents")
    assert [c.id for c in peers.councils] == ["hertfordshire"]


def test_a_council_page_groups_its_passages_by_document_newest_first(knowledge_base: KnowledgeBase) -> None:
    page = council_page(knowledge_base, "Leeds")
    assert (page.id, page.name, page.role, page.model) == ("leeds", "Leeds City Council", "innovator", "Family Valued")
    dates = [d.date or "" for d in page.documents]
    assert dates == sorted(dates, reverse=True) and len(page.documents) >= 4
    assert all("Leeds" in c.text or "LEEDS" in c.text or "Leeds" in c.section for d in page.documents for c in d.passages)
    redcar = council_page(knowledge_base, "Redcar and Cleveland")
    assert redcar.role == "adopter"
    assert redcar.documents[0].mentions == ["No Wrong Door adopters: Redcar & Cleveland Borough Council"]
    assert council_page(knowledge_base, "redcar-and-cleveland").name == "Redcar & Cleveland Borough Council"


def test_an_unknown_council_says_what_to_give(knowledge_base: KnowledgeBase) -> None:
    with pytest.raises(NotFoundError, match="no council called 'Atlantis'; give a council's name"):
        council_page(knowledge_base, "Atlantis")


def test_peer_figures_on_our_topics_hold(knowledge_base: KnowledgeBase) -> None:
    report = evaluate_peers(knowledge_base, load_peer_questions(ROOT / "eval" / "peers.jsonl"))
    assert report.topics >= 10
    assert report.precision_at_3 >= 0.75
    assert report.recall_at_3 >= 0.85


def test_comparing_the_models_says_plainly_where_one_has_nothing(knowledge_base: KnowledgeBase) -> None:
    comparison = compare_models(knowledge_base, "What age range does each model work with?")
    by_model = {m.model: m for m in comparison.models}
    assert list(by_model) == ["Family Valued", "Family Safeguarding", "No Wrong Door"]
    assert by_model["No Wrong Door"].confident and "aged 12-25" in by_model["No Wrong Door"].answer
    assert by_model["Family Valued"].answer == "The knowledge base has nothing on this for Family Valued."
    assert by_model["Family Valued"].citations == []


def test_a_question_is_asked_of_each_model_by_name() -> None:
    assert question_about("How does each model involve families?", "Family Valued") == "How does Family Valued involve families?"
    assert question_about("What is at the heart of the model?", "No Wrong Door") == "What is at the heart of No Wrong Door?"
    assert question_about("How are social workers trained?", "Family Safeguarding") == (
        "How are social workers trained in Family Safeguarding?"
    )


def test_a_comparison_never_quotes_menus_metadata_or_reference_entries() -> None:
    from kb.answering.compose import Citation
    from kb.compare import without_furniture

    def cited(n: int) -> Citation:
        return Citation(n, n, f"doc-{n}", "Title", "report", None, "", None, "text", 1.0)

    answer = (
        "NetCare (2017) Leeds Family Valued Evaluation Report July 2017 released, 22 August 2017. [3] "
        "Best practice feature on Family Valued. [3] "
        "Download the evaluation report (PDF 1.2MB) [4] "
        "Report title: Family Valued in Sefton [5] "
        "Family Valued trains every member of staff in restorative practice. [1]"
    )
    text, citations = without_furniture(answer, [cited(n) for n in (1, 3, 4, 5)])
    assert text == "Family Valued trains every member of staff in restorative practice. [1]"
    assert [c.n for c in citations] == [1]
    assert without_furniture("Home > Family Safeguarding [2]", [cited(2)]) == ("", [])
    listed = "Family Safeguarding teams include:\n- adult mental health workers\n- domestic abuse workers [2]"
    assert without_furniture(listed, [cited(2)])[0] == listed  # a list is what it says, not furniture
