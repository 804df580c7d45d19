"""Chunking: every chunk fits the model with its prefix; structure decides where chunks break."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.chunking import chunk_document, split_sentences
from kb.documents import load_document
from kb.model import MAX_WORD_PIECES, count_word_pieces
from kb.text_blocks import Block, Document

from .conftest import CORPUS


def make_doc(blocks: list[Block], doc_type: str = "document") -> Document:
    return Document(
        doc_id="d", title="A test document", doc_type=doc_type, date=None, path="d.md", content_hash="x", blocks=tuple(blocks)
    )


def sizes(chunks) -> list[int]:  # type: ignore[no-untyped-def]
    return count_word_pieces([c.embed_text for c in chunks], special_tokens=True)


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.suffix in {".md", ".pdf"}), ids=lambda p: p.name)
def test_corpus_chunks_fit_the_model_limit_including_prefix(path: Path) -> None:
    chunks = chunk_document(load_document(path))
    assert chunks
    assert max(sizes(chunks)) <= MAX_WORD_PIECES
    assert all(c.embed_text.startswith(c.title) and c.embed_text.endswith(c.text) for c in chunks)


def test_pathological_text_is_still_cut_to_fit() -> None:
    run_on = " ".join(["interdisciplinary"] * 900)  # one 'sentence' of thousands of word pieces
    long_section = ("Section " * 60).strip()
    chunks = chunk_document(make_doc([Block(text=run_on, section=(long_section,))]))
    assert len(chunks) >= 4  # 900 word pieces cannot fit fewer chunks of at most ~250
    assert max(sizes(chunks)) <= MAX_WORD_PIECES
    assert sum(c.text.count("interdisciplinary") for c in chunks) >= 900


def test_neighbouring_chunks_overlap_by_one_sentence() -> None:
    sentences = [f"Sentence number {i} talks about family group conferences in some detail." for i in range(40)]
    chunks = chunk_document(make_doc([Block(text=" ".join(sentences))]))
    assert len(chunks) >= 3
    for before, after in zip(chunks, chunks[1:], strict=False):
        last = split_sentences(before.text)[-1]
        assert after.text.startswith(last)
        assert split_sentences(after.text)[1] not in before.text  # exactly one sentence shared


def test_sections_and_pages_bound_chunks() -> None:
    blocks = [
        Block(text="Alpha paragraph.", section=("One",), page=1),
        Block(text="Beta paragraph.", section=("One",), page=2),
        Block(text="Gamma paragraph.", section=("Two",), page=2),
    ]
    chunks = chunk_document(make_doc(blocks))
    assert [(c.section, c.page, c.text) for c in chunks] == [
        ("One", 1, "Alpha paragraph."),
        ("One", 2, "Beta paragraph."),
        ("Two", 2, "Gamma paragraph."),
    ]


def test_transcript_turn_stays_whole_when_it_fits_and_keeps_speaker_when_split() -> None:
    short = [Block(text="Ann Lee: Short question?", speaker="Ann Lee", new_turn=True)]
    long_turn = [
        Block(
            text="Bo Ray: " + " ".join(f"Point {i} is about kinship care and family help." for i in range(60)),
            speaker="Bo Ray",
            new_turn=True,
        )
    ]
    reply = [Block(text="Ann Lee: Thank you.", speaker="Ann Lee", new_turn=True)]
    chunks = chunk_document(make_doc(short + long_turn + reply, doc_type="transcript"))
    assert chunks[0].text == "Ann Lee: Short question?" and chunks[0].speaker == "Ann Lee"
    bo = [c for c in chunks if c.speaker == "Bo Ray"]
    assert len(bo) > 1 and all(c.text.startswith("Bo Ray:") for c in bo)
    assert chunks[-1].text == "Ann Lee: Thank you."


def test_real_transcript_turns_keep_speakers() -> None:
    chunks = chunk_document(load_document(CORPUS / "transcript-macalister-trowler.md"))
    turns = [c for c in chunks if c.speaker]
    assert all(c.text.startswith(f"{c.speaker}:") for c in turns)
    question = next(c for c in turns if "most difficult thing to persuade" in c.text)
    assert question.text.startswith("Isabelle Trowler: What do you think is going to be the most difficult")


def test_sentence_splitter_keeps_abbreviations_and_list_numbers() -> None:
    assert split_sentences("See e.g. the review. 1. A foundation of training. Dr. Lee agreed.") == [
        "See e.g. the review.",
        "1. A foundation of training.",
        "Dr. Lee agreed.",
    ]


def test_a_name_s_initials_do_not_end_a_sentence() -> None:
    """"led by J. Smith" is one sentence, so an answer never quotes half a name; a reference keeps its author."""
    assert split_sentences("The review was led by J. Smith and A. N. Other. It reported in May.") == [
        "The review was led by J. Smith and A. N. Other.",
        "It reported in May.",
    ]
    assert split_sentences("Mason, P. (2017) Family Valued in Leeds.") == ["Mason, P. (2017) Family Valued in Leeds."]


def test_a_transcript_reply_is_embedded_with_the_question_it_answers() -> None:
    def turn(text: str, *, new_turn: bool = True) -> Block:
        return Block(text=text, speaker=text.split(":")[0], new_turn=new_turn)

    blocks = [
        turn('Priya: People talk about the "trio of vulnerabilities". What does that mean?'),
        turn("Mark: It's the shorthand for domestic abuse, substance misuse and mental health."),
        turn("Mark: Specialist adult workers sit in the teams.", new_turn=False),
        turn("Priya: Thank you, Mark."),
        turn("Mark: You're welcome."),
    ]
    question, reply, thanks, welcome = chunk_document(make_doc(blocks, doc_type="transcript"))
    assert reply.asked == 'People talk about the "trio of vulnerabilities". What does that mean?'
    assert reply.embed_text == f"A test document\n{reply.asked}\n{reply.text}"
    assert question.asked == thanks.asked == ""  # no question before them
    assert welcome.asked == ""  # "Thank you, Mark." asks nothing
    assert reply.text.startswith("Mark: It's the shorthand")  # the quote is the reply alone


def test_a_host_s_cue_or_quoted_question_is_what_the_reply_answers() -> None:
    """An interviewer often prompts with a statement ("Middlesbrough has been in the news recently.") or reads out a
    listener's question in quotes: the reply is about what they name, which the reply itself may never repeat."""

    def turn(text: str) -> Block:
        return Block(text=text, speaker=text.split(":")[0], new_turn=True)

    blocks = [
        turn("Dana: Middlesbrough has been in the news recently."),
        turn("Martin: Yes, and it's a good-news story: the minister revoked the statutory direction in 2024."),
        turn('Dana: A listener asks: "My council has just gone requires improvement. What is the one thing to do?"'),
        turn("Martin: Protect your reflective space."),
        turn("Dana: " + " ".join(["That is a long statement about the sector and what it has learned."] * 3)),
        turn("Martin: It is."),
    ]
    _, cued, _, quoted, _, long_statement = chunk_document(make_doc(blocks, doc_type="transcript"))
    assert cued.asked == "Middlesbrough has been in the news recently."
    assert quoted.asked.endswith('What is the one thing to do?"')
    assert long_statement.asked == ""  # a long statement is not a cue


def test_a_long_question_keeps_its_end_and_the_reply_still_fits() -> None:
    preamble = " ".join(f"Point {i} of a long preamble about kinship care." for i in range(40))
    blocks = [
        Block(text=f"Ann Lee: {preamble} So what should a council do first?", speaker="Ann Lee", new_turn=True),
        Block(text="Bo Ray: " + " ".join(f"Step {i} is to talk to families early." for i in range(60)), speaker="Bo Ray"),
    ]
    chunks = chunk_document(make_doc(blocks, doc_type="transcript"))
    reply = next(c for c in chunks if c.speaker == "Bo Ray")
    assert reply.asked.endswith("So what should a council do first?") and not reply.asked.startswith("Point 0")
    assert max(sizes(chunks)) <= MAX_WORD_PIECES
