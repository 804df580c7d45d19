"""Hybrid retrieval, filters, expansion, refusal and follow-ups with the real model on the real corpus."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kb.answering.conversation import Turn, contextualise
from kb.embedding import SentenceTransformerEmbedder
from kb.errors import InvalidInputError
from kb.evaluation import evaluate, load_questions
from kb.hybrid import FusionParams, fuse
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase, ask
from kb.lexical import match_expression
from kb.search import Filters

from .conftest import ROOT, SHARED


def test_fusion_ranks_a_passage_found_by_both_lists_first() -> None:
    dense = [(1, 0.9), (2, 0.8), (3, 0.1)]
    lexical = [(2, 12.0), (3, 10.0)]
    for params in (FusionParams(method="weighted"), FusionParams(method="rrf")):
        ranked = [cid for cid, *_ in fuse(dense, lexical, params)]
        assert ranked[0] == 2, params  # strong in both beats strong in one
        assert set(ranked) == {1, 2, 3}


def test_acronyms_and_name_spellings_expand_for_keyword_search() -> None:
    expression = match_expression("What is an FGC?")
    assert '"family group conference"' in expression
    assert '"macalister"' in match_expression("What did McAllister say?")


def test_expansion_finds_the_full_form_by_keyword_alone(knowledge_base: KnowledgeBase) -> None:
    hits = knowledge_base.search("NWD hub", k=3, mode="lexical")
    assert any("No Wrong Door" in h.text for h in hits)


def test_all_spellings_of_a_speaker_are_found(knowledge_base: KnowledgeBase) -> None:
    hits = knowledge_base.search("Macallister", k=50, mode="lexical")
    text = " ".join(h.text for h in hits)
    assert {"Josh McAllister", "Josh Macallister", "Josh MacAlister"} <= {
        n for n in ("Josh McAllister", "Josh Macallister", "Josh MacAlister") if n in text
    }


def test_filters_apply_inside_the_search(knowledge_base: KnowledgeBase) -> None:
    filters = Filters.parse(model=["No Wrong Door"], doc_type=["overview"])
    hits = knowledge_base.search("How are families supported?", k=10, filters=filters)
    assert hits and len(hits) <= 10
    assert all("no-wrong-door" in h.tags["model"] and h.doc_type == "overview" for h in hits)
    transcript = knowledge_base.search("residential care", k=5, filters=Filters.parse(doc_type=["transcript"]))
    assert transcript and all(h.doc_type == "transcript" for h in transcript)


def test_adopter_lists_are_tagged_with_their_model_and_authorities(knowledge_base: KnowledgeBase) -> None:
    hits = knowledge_base.search("Middlesbrough", k=3, filters=Filters.parse(authority=["middlesbrough"]))
    assert hits and "no-wrong-door" in hits[0].tags["model"]
    assert {"middlesbrough", "rochdale"} <= set(hits[0].tags["authority"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": ["Family Support"]}, "unknown model 'Family Support'; expected one of: family-safeguarding, family-valued"),
        ({"theme": ["cats"]}, "unknown theme 'cats'; expected one of:"),
        ({"doc_type": ["vlog"]}, "unknown doc_type 'vlog'; expected one of: evaluation-report"),
        ({"authority": ["Atlantis"]}, "unknown authority 'Atlantis'; expected one of:"),
    ],
)
def test_unknown_filter_values_list_the_valid_ones(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Filters.parse(**kwargs)


def quoted_pieces(answer_text: str) -> list[tuple[int, str]]:
    """(citation number, quoted text) for each line an answer quotes, without what it adds around a quote:
    the question a transcript turn answers, the speaker, the heading that gives the subject, list bullets."""
    pieces = []
    for unit in re.split(r"(?<=\])\s+(?=\S)", answer_text.strip()):
        marker = re.search(r"\[(\d+)\]\s*$", unit)
        if marker is None:
            continue
        body = unit[: marker.start()].strip()
        body = re.sub(r"^Asked “[^”]*”, ", "", body)
        for line in body.split("\n"):
            line = re.sub(r"^- ", "", line.strip())
            line = re.sub(r"^[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}: (?=\S)", "", line)  # a speaker
            line = line.split(" — ", 1)[-1]  # a heading that gives the quote its subject
            if line and not line.endswith(":"):
                pieces.append((int(marker.group(1)), line))
    return pieces


def test_answer_quotes_passages_and_cites_them(knowledge_base: KnowledgeBase) -> None:
    answer = ask(
        knowledge_base, "Which services do Family Safeguarding teams provide in-house rather than referring parents elsewhere?"
    )
    assert answer.confident
    pieces = quoted_pieces(answer.answer)
    assert 1 <= len({n for n, _ in pieces}) <= 3
    for n, text in pieces:
        assert text in answer.citations[n - 1].text  # verbatim, from the passage its marker names
    assert "perpetrator, recovery and cognitive behavioural therapy" in answer.answer


def test_lists_are_quoted_one_item_a_line(knowledge_base: KnowledgeBase) -> None:
    answer = ask(knowledge_base, "Which councils are adopting Family Safeguarding?")
    assert answer.confident and answer.kind == "council"
    lines = answer.answer.splitlines()
    for council in ("Cambridgeshire County Council", "Walsall Council", "Swindon Borough Council"):
        assert any(line.startswith(f"- {council}") for line in lines), council
    assert "Middlesbrough" not in answer.answer  # another model's adopters


@pytest.mark.xfail(
    strict=True,
    reason="known regression of the fitted model (README, 'Answers'): the heading 'Family Safeguarding: Hertfordshire' "
    "passes the gates but the answerability model scores the question under its threshold",
)
def test_the_heading_gives_a_sentence_its_subject(knowledge_base: KnowledgeBase) -> None:
    answer = ask(knowledge_base, "Which local authority designed Family Safeguarding?")
    assert answer.confident
    assert "Hertfordshire" in answer.answer
    for n, text in quoted_pieces(answer.answer):
        assert text in answer.citations[n - 1].text


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("How much funding did Leeds receive for Family Valued?", "figure"),
        ("When did Coventry start its reunification project?", "date"),
        ("Who is the director of children's services in Sefton?", ""),
        ("What did the Scottish independent care review, The Promise, recommend?", ""),
    ],
)
def test_questions_whose_fact_is_missing_are_refused(knowledge_base: KnowledgeBase, question: str, reason: str) -> None:
    answer = ask(knowledge_base, question)
    assert not answer.confident
    assert answer.answer.startswith("The knowledge base does not cover this question")
    assert reason in answer.answer


def test_a_two_part_question_says_which_part_is_not_covered(knowledge_base: KnowledgeBase) -> None:
    answer = ask(knowledge_base, "Which councils use No Wrong Door and how do I contact them?")
    assert answer.confident
    assert "Middlesbrough Council" in answer.answer
    assert answer.not_covered == ["how do I contact them"]
    assert "does not cover this part of the question: “how do I contact them”" in answer.answer


def test_misspelt_names_are_corrected_and_said(knowledge_base: KnowledgeBase) -> None:
    answer = ask(knowledge_base, "what is famly safegarding")
    assert answer.confident
    assert answer.corrections == ["famly safegarding → Family Safeguarding"]
    assert answer.search_query == "what is Family Safeguarding"
    assert "whole family, strengths-based approach" in answer.answer


def test_a_filtered_refusal_says_what_the_filters_leave_out(knowledge_base: KnowledgeBase) -> None:
    question = "Which councils adopted Family Safeguarding?"
    answer = ask(knowledge_base, question, filters=Filters.parse(doc_type=["transcript"]))
    assert not answer.confident
    assert "Nothing in the passages that match your filters (doc type: transcript) answers this question" in answer.answer
    assert re.search(r"Without the filters \d+ passages match, and the knowledge base can answer it", answer.answer)


def test_follow_ups_keep_the_subject_of_the_conversation(knowledge_base: KnowledgeBase) -> None:
    valued = ask(knowledge_base, "and which councils adopted it?", history=[Turn("user", "What is Family Valued?")])
    assert "Darlington Borough Council" in valued.answer and "Walsall" not in valued.answer
    elliptical = ask(
        knowledge_base,
        "And Family Valued?",
        history=[Turn("user", "Which councils adopted No Wrong Door?"), Turn("assistant", "...")],
    )
    assert elliptical.search_query == "Which councils adopted Family Valued?"
    assert "Sefton Council" in elliptical.answer


def test_a_question_with_its_own_subject_is_not_lost_to_the_conversation(knowledge_base: KnowledgeBase) -> None:
    """After "What is Family Safeguarding?", "When was issue 6 of the journal published?" was searched with
    "(Family Safeguarding)" added and refused; it is answered on its own when the conversation cannot."""
    history = [Turn("user", "What is Family Safeguarding?"), Turn("assistant", "Family Safeguarding is ... [1]")]
    answer = ask(knowledge_base, "When was issue 6 of the journal published?", history=history)
    assert answer.confident and "March 2024" in answer.answer
    assert answer.search_query == "When was issue 6 of the journal published?"
    still = ask(knowledge_base, "Which councils adopted it?", history=[Turn("user", "What is Family Valued?")])
    assert "Darlington Borough Council" in still.answer  # a real follow-up keeps its subject


def test_answer_figures_on_the_development_questions_hold(knowledge_base: KnowledgeBase) -> None:
    """The fitted model's figures on the corpus alone (README, "Answers"): 27/36 with the fact, 7 refused, none of
    the near-domain or out-of-scope questions answered (25/36 and 9 before a transcript reply carried its
    question). The hand-tuned rules before it reached 34/36 on these, their own tuning set; the model fitted
    without eval/library_more.jsonl reached 26/36 with 8 refused, and was traded for one that answers many more of
    the library's held-out questions. The fitted model is held to what it measured, so that a change that loses
    answers shows here."""
    answers = evaluate(knowledge_base, load_questions(SHARED / "eval" / "dev_answers.jsonl"))
    assert answers.answers_with_fact >= 27
    assert len(answers.wrongly_answered) <= 1
    assert len(answers.wrongly_refused) <= 7
    out_of_scope = evaluate(knowledge_base, load_questions(ROOT / "eval" / "out_of_scope.jsonl"))
    assert out_of_scope.wrongly_answered == []


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "How many children are in care in Wales?", "How do I renew a UK passport online?"],
)
def test_out_of_scope_questions_are_refused_but_still_list_passages(knowledge_base: KnowledgeBase, question: str) -> None:
    answer = ask(knowledge_base, question)
    assert not answer.confident
    assert "does not cover" in answer.answer
    assert answer.citations


def test_a_question_about_a_place_no_publication_mentions_is_refused_and_says_so(knowledge_base: KnowledgeBase) -> None:
    """Coventry's results are no answer to a question about Scotland, however close the rest of its words."""
    answer = ask(knowledge_base, "What was the result of the Family Valued evaluation in Scotland?")
    assert not answer.confident
    assert "none of its publications mentions Scotland" in answer.answer
    assert answer.citations


def test_follow_up_inherits_the_model_of_the_previous_question(knowledge_base: KnowledgeBase) -> None:
    history = [Turn("user", "What is No Wrong Door?"), Turn("assistant", "No Wrong Door is ...")]
    assert "No Wrong Door" in contextualise("And which councils adopted it?", history)
    answer = ask(knowledge_base, "And which councils adopted it?", history=history)
    assert "Middlesbrough Council" in answer.answer
    assert contextualise("What is Family Valued?", history) == "What is Family Valued?"


def test_dev_set_figures_hold(knowledge_base: KnowledgeBase) -> None:
    questions = load_questions(SHARED / "eval" / "dev_questions.jsonl") + load_questions(ROOT / "eval" / "out_of_scope.jsonl")
    report = evaluate(knowledge_base, questions)
    assert report.hit_at_k >= 0.95
    assert report.mrr_at_10 >= 0.85
    assert report.wrongly_answered == []
    assert len(report.wrongly_refused) <= 3  # the fitted model's figure (README, "Answers"); 1 before the first one


@pytest.fixture(scope="module")
def extended_knowledge_base(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> KnowledgeBase:
    """The corpus plus documents of our own beyond it (eval/documents: an evaluation summary, a council news page)."""
    base = tmp_path_factory.mktemp("extended")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    for document in (ROOT / "eval" / "documents").iterdir():
        shutil.copy(document, base / "corpus")
    ingest([base / "corpus"], index_dir=base / "index", embedder_factory=lambda: embedder)
    return KnowledgeBase(base / "index", embedder=embedder)


def test_answers_hold_on_documents_beyond_the_corpus(extended_knowledge_base: KnowledgeBase) -> None:
    report = evaluate(extended_knowledge_base, load_questions(ROOT / "eval" / "own_answers.jsonl"))
    assert report.answers_with_fact >= 0.85 * report.answerable
    assert len(report.wrongly_answered) <= 1
    assert len(report.wrongly_refused) <= 3  # 25/28 with the fact, 3 refused (README, "Answers"); 2 before


def test_a_transcript_reply_is_found_by_the_words_of_the_question_it_answers(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    """The reply never names what it explains ("It's the shorthand for ..."): the question put to it does."""
    turns = [
        "Priya: Welcome back. Today we are talking about motivational interviewing in Family Safeguarding teams.",
        "Mark: Thanks. I trained practitioners in several councils that adopted the model.",
        'Priya: People talk about the "trio of vulnerabilities". What does that mean?',
        "Mark: It's the shorthand for the three adult problems behind so many child protection cases: domestic abuse, "
        "substance misuse and mental health. Specialist adult workers in those areas join the children's teams.",
        "Priya: How do you stop the training fading away after six months?",
        "Mark: Regular practice groups, observed sessions and coaching keep the skills alive in every team.",
        "Priya: What do group case discussions add?",
        "Mark: Everyone working with a family contributes to one shared risk assessment each week.",
    ]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "podcast-episode.txt").write_text("Practice podcast, episode 4\n\n" + "\n\n".join(turns) + "\n", encoding="utf-8")
    ingest([folder], index_dir=tmp_path / "index", embedder_factory=lambda: embedder)
    kb = KnowledgeBase(tmp_path / "index", embedder=embedder)
    found = kb.search("trio of vulnerabilities", k=3, mode="lexical")
    assert any(h.text.startswith("Mark: It's the shorthand") for h in found)
    reply = ask(kb, "What is the trio of vulnerabilities?")
    assert reply.confident and "domestic abuse, substance misuse and mental health" in reply.answer


def test_retrieval_is_judged_on_the_question_as_it_was_searched(knowledge_base: KnowledgeBase, tmp_path: Path) -> None:
    """Misspelt names are corrected before the search: hit@k judges that search, the one the reader's answer came
    from, so a typo ranks the passage where the answer found it (it ranked tenth when the raw typing was searched)."""
    questions = tmp_path / "typed.jsonl"
    asked = ("What is famly safegarding?", "What is Family Safeguarding?")
    lines = [{"id": str(i), "q": q, "phrase": ["motivational interviewing"]} for i, q in enumerate(asked)]
    questions.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    typed, spelt = evaluate(knowledge_base, load_questions(questions)).results
    assert typed.rank == spelt.rank and typed.rank is not None and typed.rank <= 5


def test_a_list_of_sources_gives_way_to_the_passage_that_answers(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    """A web address's path spells out a headline ("ofsted-praises-lancashire-childrens-services"): the references at
    the end of a paper match a question better than the passage that answers it, and never answer it themselves."""
    slugs = [
        "ofsted-praises-lancashire-childrens-services-inspection-2022",
        "when-did-ofsted-inspect-lancashire-childrens-services",
        "lancashire-childrens-services-ofsted-inspection-dates-2022",
    ]
    text = (
        "# Lancashire scrutiny briefing\n\n## Summary\n\n"
        "Inspectors visited the county's services for children from 28 November to 9 December 2022 and rated every "
        "area good.\n\n## Sources\n\n" + " ; ".join(f"https://www.example-news.co.uk/news/{s}" for s in slugs) + "\n"
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lancashire-briefing.md").write_text(text, encoding="utf-8")
    ingest([folder], index_dir=tmp_path / "index", embedder_factory=lambda: embedder)
    kb = KnowledgeBase(tmp_path / "index", embedder=embedder)
    question = "When did Ofsted inspect Lancashire's children's services in 2022?"
    assert kb.search(question, k=2, mode="lexical")[0].section == "Sources"  # what the words alone prefer
    hits = kb.search(question, k=2)
    assert hits[0].text.startswith("Inspectors visited") and [h.rank for h in hits] == [1, 2]
    assert hits[1].section == "Sources"  # still listed, after the passages of text
