"""Safeguarding concerns: the shared examples (never fitted on) and our own, the wording features one by one,
the response's wording from the taxonomy, and the API and CLI marking it and storing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli import app
from kb.knowledge_base import KnowledgeBase
from kb.safeguarding import (
    asked_as_a_question,
    gives_an_age,
    in_the_first_person,
    is_hypothetical,
    load_response,
    names_a_publication,
    says_now,
)
from kb.settings import get_settings

from .conftest import AUTH

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval" / "safeguarding.jsonl"
OWN = ROOT / "eval" / "safeguarding_more.jsonl"
DISCLOSURE = "A 9 year old just told me her stepdad hits her, what do I do now?"


def examples(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flagged(knowledge_base: KnowledgeBase, rows: list[dict]) -> tuple[list[str], list[str]]:
    """(disclosures missed, practice questions flagged)."""
    missed = [r["q"] for r in rows if r["disclosure"] and not knowledge_base.is_safeguarding_concern(r["q"])]
    wrongly = [r["q"] for r in rows if not r["disclosure"] and knowledge_base.is_safeguarding_concern(r["q"])]
    return missed, wrongly


def test_every_shared_disclosure_is_flagged_and_no_practice_question(knowledge_base: KnowledgeBase) -> None:
    # ../shared/eval/safeguarding.jsonl is never fitted on (scripts/train_safeguarding.py): a held-out set.
    missed, wrongly = flagged(knowledge_base, examples(SHARED))
    assert missed == [] and wrongly == []


def test_our_own_examples_every_disclosure_and_at_most_one_practice_question_in_twenty(
    knowledge_base: KnowledgeBase,
) -> None:
    rows = examples(OWN)
    missed, wrongly = flagged(knowledge_base, rows)
    assert missed == []
    assert len(wrongly) <= sum(not r["disclosure"] for r in rows) / 20, wrongly


@pytest.mark.parametrize(
    ("feature", "yes", "no"),
    [
        (asked_as_a_question, "How does Family Safeguarding work?", "my stepdad hits me"),
        (names_a_publication, "What did the evaluation find?", "she has bruises on her arms"),
        (is_hypothetical, "What should happen if a child discloses abuse?", "he told me he is scared"),
        (says_now, "he is outside the house right now", "How are hubs staffed?"),
        (in_the_first_person, "my neighbour's kids are alone", "Which councils adopted it?"),
        (gives_an_age, "a 12 year old on my caseload", "a young person in care"),
    ],
)
def test_each_wording_feature_says_what_it_measures(feature, yes: str, no: str) -> None:  # type: ignore[no-untyped-def]
    assert feature(yes) and not feature(no)


def test_the_response_is_worded_in_the_taxonomy_file_not_in_code(tmp_path: Path) -> None:
    response = load_response()
    assert "999" in response.text and "0808 800 5000" in response.text and "0800 1111" in response.text
    assert any("designated safeguarding lead" in step for step in response.steps)
    local = tmp_path / "taxonomy.yaml"
    local.write_text(
        "safeguarding:\n  title: Act now.\n"
        "  steps: [Call 999 in an emergency., Ring the Fenbridge front door on 01234 567890.]\n",
        encoding="utf-8",
    )
    assert load_response(local).text == "Act now.\n- Call 999 in an emergency.\n- Ring the Fenbridge front door on 01234 567890."


def test_ask_gives_the_safeguarding_response_without_quotes_and_search_anyway_answers(
    editor: tuple[TestClient, Path],
) -> None:
    client, _ = editor
    concern = client.post("/ask", json={"question": DISCLOSURE}).json()
    assert concern["safeguarding"] is True and concern["confident"] is False and concern["citations"] == []
    assert "999" in concern["answer"] and "designated safeguarding lead" in concern["answer"]
    practice = client.post("/ask", json={"question": "How does Family Safeguarding work with parents who misuse alcohol?"}).json()
    assert practice["safeguarding"] is False
    anyway = client.post("/ask", json={"question": DISCLOSURE, "search_anyway": True}).json()
    assert anyway["safeguarding"] is False and anyway["citations"]  # the publications were searched


def test_feedback_on_a_safeguarding_concern_is_refused_and_nothing_is_stored(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    response = client.post("/feedback", json={"question": DISCLOSURE, "answer": "...", "helpful": False})
    assert response.status_code == 422 and "never stored" in response.json()["detail"]
    assert client.get("/feedback", headers=AUTH).json() == []


def test_kb_ask_marks_a_concern_and_says_how_to_search_anyway(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_INDEX_DIR", str(corpus_index))
    get_settings.cache_clear()
    runner = CliRunner()
    shown = runner.invoke(app, ["ask", DISCLOSURE])
    assert shown.exit_code == 0, shown.output
    assert "SAFEGUARDING: not an answer from the knowledge base" in shown.output and "--search-anyway" in shown.output
    as_json = json.loads(runner.invoke(app, ["ask", "--json", DISCLOSURE]).stdout)
    assert as_json["safeguarding"] is True and as_json["citations"] == [] and as_json["confident"] is False
    anyway = json.loads(runner.invoke(app, ["ask", "--json", "--search-anyway", DISCLOSURE]).stdout)
    assert anyway["safeguarding"] is False
    get_settings.cache_clear()
