"""The social-care glossary of kb/taxonomy.yaml: searches expand abbreviations, answers explain the ones they use."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from kb.taxonomy import expand_query, load_taxonomy, terms_in


def test_the_glossary_holds_the_abbreviations_practitioners_use() -> None:
    glossary = load_taxonomy().glossary
    for short in ("LADO", "MASH", "CIN", "CP", "CLA", "PLO", "SGO", "EHCP", "FGC", "MI", "NWD", "IRO"):
        assert glossary[short], short


def test_a_search_with_an_abbreviation_also_looks_for_what_it_stands_for() -> None:
    assert expand_query("how many CLA went home under a SGO") == ["Child Looked After", "Special Guardianship Order"]
    assert "Family Group Conference" in expand_query("FGC in Leeds")
    assert expand_query("the cp team") == []  # abbreviations match as written: 'cp' is not CP


def test_terms_are_found_as_whole_words_in_the_order_they_are_used() -> None:
    assert [short for short, _ in terms_in("After the ICPC, the MASH and the CP plan; not CPR or MASHED.")] == [
        "ICPC",
        "MASH",
        "CP",
    ]


def test_a_passage_that_spells_the_term_out_is_found_by_its_abbreviation(knowledge_base: KnowledgeBase) -> None:
    hits = knowledge_base.search("what is an FGC", k=5)
    assert any("family group conference" in h.text.lower() for h in hits)


def test_answers_explain_the_abbreviations_they_use(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    answer = client.post("/ask", json={"question": "my stepdad hits me and im scared to go home tonight"}).json()
    assert {"abbreviation": "MASH", "meaning": "Multi-Agency Safeguarding Hub"} in answer["terms"]
