"""Structure-aware chunking: sections and pages bound chunks, paragraphs then sentences break them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby

from kb.model import MAX_WORD_PIECES, count_word_pieces
from kb.text_blocks import Block, Document

CHUNKER_VERSION = "6"  # 3: sentence vectors stored for answers; 4: a transcript reply carries the question it answers;
# 5: a sentence goes on after a name's initial ("led by J. Smith"); 6: a short cue or a quoted question is what a reply answers
# Chunks fill up to the model's limit: on the development set larger passages ranked the answer
# higher (MRR@10 0.84 at 160 word pieces, 0.87 at the limit; README, "Retrieval quality"), and
# answers quote single sentences anyway, so a long passage costs the reader nothing.
TARGET_WORD_PIECES = MAX_WORD_PIECES
MAX_PREFIX_WORD_PIECES = 48
SPECIAL_TOKENS = 2  # [CLS] and [SEP]

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "No.", "Vol.", "Fig.", "al.")
_LIST_MARKER = re.compile(r"(?:^|\s)(?:\S|\d{1,2}[.)]|[ivx]{1,4}[.)])$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")  # "led by J." goes on: "Smith and the panel met twice."
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")

Counter = Callable[[list[str]], list[int]]
_SPEAKER_LABEL = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}:\s+")
LIST_ITEM_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[\u2022*-])\s+")
_WORD = re.compile(r"\w+")
MIN_QUOTABLE_WORDS = 4
# A host's short cue (a whole turn) is what the reply is about ("Middlesbrough has been in the news recently."), unless it is a
# courtesy ("Thank you, Mark.").
MAX_CUE_WORDS = 15
_COURTESY = re.compile(r"^(?:thanks|thank you|you're welcome|welcome)\b", re.IGNORECASE)
_ASKS = re.compile(r"\?(?:[\"”’')\]]*)(?:\s|$)")  # a question mark that ends a question, not one in an address


@dataclass(frozen=True)
class Chunk:
    """A passage as indexed: its text, where it comes from, and what is embedded for it."""

    doc_id: str
    ordinal: int
    title: str
    doc_type: str
    date: str | None
    section: str
    page: int | None
    speaker: str | None
    text: str
    embed_text: str
    asked: str = ""  # a transcript turn: the question another speaker asked just before it

    @property
    def quotes(self) -> list[tuple[str, str]]:
        """Quotable sentences and their embedding texts (see `quotable_sentences`)."""
        return quotable_sentences(self.text, section=self.section, speaker=self.speaker)

    @property
    def text_hash(self) -> str:
        """Identity of the embedded text: equal hashes can share one embedding."""
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (a regex splitter that knows common abbreviations)."""
    pieces = _SENTENCE_BREAK.split(text)
    sentences: list[str] = []
    for piece in pieces:
        previous = sentences[-1] if sentences else ""
        if previous and (previous.endswith(_ABBREVIATIONS) or _LIST_MARKER.search(previous) or _INITIAL.search(previous)):
            sentences[-1] = f"{previous} {piece}"
        else:
            sentences.append(piece)
    return [s.strip() for s in sentences if s.strip()]


def bare_sentence(sentence: str, *, speaker: str | None) -> str:
    """A sentence without its speaker label (in a transcript) or list number: what an answer quotes."""
    bare = _SPEAKER_LABEL.sub("", sentence) if speaker else sentence
    return LIST_ITEM_MARKER.sub("", bare)


def has_quotable_length(sentence: str) -> bool:
    """Long enough to stand alone in an answer (and to have a stored vector)."""
    return len(_WORD.findall(sentence)) >= MIN_QUOTABLE_WORDS


def quotable_sentences(text: str, *, section: str, speaker: str | None) -> list[tuple[str, str]]:
    """A passage's sentences that can stand alone in an answer, each with the text to embed for it.

    Speaker labels and list numbers are dropped from the quote; the embedded text carries the last
    section heading, because "13 Middlesbrough Council ..." answers "which councils adopt No Wrong
    Door?" only by sitting under "No Wrong Door adopters".
    """
    quotes = []
    heading = section.split(" > ")[-1] if section else ""
    for sentence in (s for paragraph in text.split("\n\n") for s in split_sentences(paragraph)):
        bare = bare_sentence(sentence, speaker=speaker)
        if has_quotable_length(bare):
            quotes.append((bare, f"{heading}: {bare}" if heading else bare))
    return quotes


def context_prefix(title: str, section: str, count: Counter = count_word_pieces) -> str:
    """Title and section, embedded with the passage so that a passage knows what it is about."""
    prefix = f"{title} — {section}" if section else title
    words = prefix.split()
    while len(words) > 1 and count([" ".join(words)])[0] > MAX_PREFIX_WORD_PIECES:
        words = words[:-1]
    return " ".join(words)


def chunk_document(doc: Document, *, count: Counter = count_word_pieces, target: int = TARGET_WORD_PIECES) -> list[Chunk]:
    """Chunks that each fit the model's limit with their prefix; neighbours overlap by one sentence. A transcript
    reply is embedded with the question it answers, which is often the only place its subject is named."""
    chunks: list[Chunk] = []
    for (section_path, page), group in groupby(doc.blocks, key=lambda b: (b.section, b.page)):
        blocks = list(group)
        section = " > ".join(section_path)
        prefix = context_prefix(doc.title, section, count)
        budget = MAX_WORD_PIECES - SPECIAL_TOKENS - count([prefix + "\n"])[0]
        if any(b.speaker for b in blocks):
            budget -= MAX_PREFIX_WORD_PIECES  # room for the question a turn answers
        for speaker, text in _pack(blocks, count=count, target=min(target, budget), budget=budget):
            previous = chunks[-1] if chunks else None
            asked = question_answered(previous.speaker, previous.text, speaker, text) if previous else ""
            asked = last_words(asked, MAX_PREFIX_WORD_PIECES, count)
            chunks.append(
                Chunk(
                    doc_id=doc.doc_id,
                    ordinal=len(chunks),
                    title=doc.title,
                    doc_type=doc.doc_type,
                    date=doc.date,
                    section=section,
                    page=page,
                    speaker=speaker,
                    text=text,
                    embed_text="\n".join(filter(None, (prefix, asked, text))),
                    asked=asked,
                )
            )
    return chunks


def question_answered(previous_speaker: str | None, previous_text: str, speaker: str | None, text: str) -> str:
    """The question a transcript turn answers: the last paragraph of the turn before it, when another speaker
    asked something ("Priya: What does that mean?", a listener's quoted "... What's the one thing?") or gave a short
    cue ("Middlesbrough has been in the news recently.") before "Mark: ..."; otherwise ""."""
    if not speaker or not previous_speaker or previous_speaker == speaker or not text.startswith(f"{speaker}:"):
        return ""
    last = previous_text.rsplit("\n\n", 1)[-1].strip()
    last = last.split(": ", 1)[1] if last.startswith(f"{previous_speaker}:") else last
    cue = len(_WORD.findall(previous_text)) <= MAX_CUE_WORDS + 2 and not _COURTESY.match(last)  # + the speaker's name
    return last if _ASKS.search(last) or cue else ""


def last_words(text: str, limit: int, count: Counter = count_word_pieces) -> str:
    """The end of a text within `limit` word pieces (a long question's question is at its end)."""
    words = text.split()
    while len(words) > 1 and count([" ".join(words)])[0] > limit:
        words = words[1:]
    return " ".join(words)


def _units(blocks: list[Block]) -> Iterator[tuple[str | None, list[str]]]:
    """Paragraphs, except that a transcript turn (a speaker's consecutive paragraphs) is one unit."""
    turn: list[str] = []
    speaker: str | None = None
    for block in blocks:
        if block.speaker and not block.new_turn and block.speaker == speaker:
            turn.append(block.text)
            continue
        if turn:
            yield speaker, turn
        turn, speaker = [block.text], block.speaker
    if turn:
        yield speaker, turn


def _pack(blocks: list[Block], *, count: Counter, target: int, budget: int) -> Iterator[tuple[str | None, str]]:
    """Greedy packing that prefers to break between units, then paragraphs, then sentences."""
    current: list[list[str]] = []  # paragraphs, each a list of sentences
    speaker: str | None = None
    size = 0
    fresh = False  # does `current` hold anything beyond the overlap sentence?

    def close() -> Iterator[tuple[str | None, str]]:
        nonlocal current, size, fresh
        if fresh:
            yield speaker, "\n\n".join(" ".join(p) for p in current if p)
        last = current[-1][-1] if current and current[-1] else ""
        overlap = count([last])[0] if last else 0
        # The next chunk opens with this chunk's last sentence, unless that sentence is long.
        current, size, fresh = ([[last]], overlap, False) if 0 < overlap < target // 2 else ([], 0, False)

    def start_paragraph(first_sentence: str) -> None:
        nonlocal size
        current.append([])
        opening = " ".join([*(s for p in current for s in p), first_sentence])
        if speaker and not opening.startswith(f"{speaker}:"):
            # A turn split over chunks keeps its speaker on every piece.
            current[0].insert(0, f"{speaker}:")
            size += count([f"{speaker}:"])[0]

    for unit_speaker, paragraphs in _units(blocks):
        if unit_speaker != speaker:
            yield from close()
            current, size, speaker = [], 0, unit_speaker
        sentences = [split_sentences(p) for p in paragraphs]
        sizes = [sum(count(s)) for s in sentences]
        if fresh and size + sum(sizes) > target >= sum(sizes):
            yield from close()  # the whole unit fits a chunk of its own: keep it whole
        for paragraph, paragraph_size in zip(sentences, sizes, strict=True):
            if fresh and size + paragraph_size > target and size >= target // 2:
                yield from close()
            start_paragraph(paragraph[0])
            for sentence in paragraph:
                for piece in _fit(sentence, count=count, budget=budget // 2):
                    piece_size = count([piece])[0]
                    if fresh and size + piece_size > target:
                        yield from close()
                        start_paragraph(piece)
                    current[-1].append(piece)
                    size, fresh = size + piece_size, True
    yield from close()


def _fit(sentence: str, *, count: Counter, budget: int) -> list[str]:
    """A sentence longer than the budget is cut at word boundaries (tables, run-on extraction)."""
    if count([sentence])[0] <= budget:
        return [sentence]
    pieces: list[str] = []
    words: list[str] = []
    for word in sentence.split():
        if words and count([" ".join([*words, word])])[0] > budget:
            pieces.append(" ".join(words))
            words = []
        words.append(word)
    if words:
        pieces.append(" ".join(words))
    return pieces
