"""Answer units: what an answer can quote from a passage (a sentence, a list, a list item), with its context."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kb.caching import memoised
from kb.chunking import LIST_ITEM_MARKER, bare_sentence, has_quotable_length, split_sentences
from kb.search import Hit

_SPEAKER_LABEL = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}:\s+")
_ENUMERATED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\s+(?=[A-Z])")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s")  # an item under the number its document gives it
# Text that points elsewhere rather than saying something: links, calls to action.
# A link label, a call to action or a cookie notice: text for a reader's finger, never an answer.
NAVIGATION = re.compile(
    r"^(?:view|click|download|read|see|visit|find out|sign up|subscribe|share|follow|watch|listen|register|book|"
    r"go to|back to|skip to|return to|home)\b|\b(?:click here|(?:can be )?found here|read more|more information|cookies?)\b",
    re.I,
)
_WORD = re.compile(r"\w+")
RUN_IN_WORDS = 2  # a list item's first "sentence" this short labels what follows it ("Build oversight. A panel ...")
_REFERS_BACK = re.compile(r"^(?:\W*\w+\W+){0,4}?(?:it|its|they|them|their|this|these|those|that|such|he|she|his|her)\b", re.I)
MAX_LIST_NAME_WORDS = 8  # a list whose items are all this short is a list of names
MAX_LED_PARAGRAPHS = 6  # paragraphs after a lead-in that ends with a colon, read as its items
# Short capitalised lines one after another ("LEEDS CITY COUNCIL: FAMILY VALUED", "HERTFORDSHIRE COUNTY COUNCIL:
# FAMILY SAFEGUARDING", ...) are a list set without markers, not headings: a heading is followed by text.
MIN_CAPITALISED_RUN = 3
_DATELINE = re.compile(r"^(?:published|updated|last updated|posted|released|dated?)\b", re.I)


@dataclass(frozen=True)
class Unit:
    """One quotable piece of a passage.

    `lines` is what the answer shows (a list: its lead-in, then one item a line); `text` is what the
    unit itself says, `context` what surrounds it (paragraph, lead-in, headings, speaker, title):
    it gives the unit its subject. `vectors` index the passage's stored sentence vectors.
    """

    passage: int
    position: int
    lines: tuple[str, ...]
    text: str
    context: str
    heading: str
    speaker: str | None
    vectors: tuple[int, ...]
    is_list: bool = False
    items: int = 0
    item_number: int | None = None
    lead_in: bool = False  # a sentence ending with a colon: it introduces a list, it rarely answers alone
    opens_turn: bool = False  # the first sentence of a transcript turn
    prompt: str = ""  # the question (by another speaker) that the transcript turn holding this unit answers
    scope: str = ""  # a list: what says what the list is of (lead-in, heading, title); names in it count too
    header: str = ""  # a table row: its table's first row, which labels its cells
    year: str = ""  # the year its document is dated: "15 September" in a programme of 2021 is 15 September 2021

    @property
    def names_list(self) -> bool:
        """A list of names (councils, people, commitments): short items, answerable as a whole."""
        return self.is_list and all(len(_WORD.findall(line)) <= MAX_LIST_NAME_WORDS for line in self.text.split("\n"))


def item_line(item: str, written: str = "") -> str:
    """A list item as quoted, a line of its own: under the number its document gives it ("2. Plan the assessment
    ...", however the reader wrote the paragraph, `written`), else after a dash."""
    if _NUMBERED.match(item):
        return item
    number = _NUMBERED.match(written)
    return f"{number.group(0).strip()} {item}" if number else f"- {item}"


def _is_list_item(paragraph: str) -> bool:
    return bool(LIST_ITEM_MARKER.match(paragraph))


def enumerated_items(paragraph: str) -> list[str] | None:
    """Items of a run-together numbered list ("13 Middlesbrough Council 14 Rochdale Borough Council ...")."""
    marks = list(_ENUMERATED.finditer(paragraph))
    run: list[re.Match[str]] = []
    for mark in marks:
        if run and int(mark.group(1)) == int(run[-1].group(1)) + 1:
            run.append(mark)
        elif not run or len(run) < 3:
            run = [mark]
    if len(run) < 3 or run[0].start() > 0:
        return None
    bounds = [m.start() for m in run] + [len(paragraph)]
    items = [paragraph[m.end() : bounds[i + 1]].strip() for i, m in enumerate(run)]
    return items if all(items) else None


_BARE_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[A-Z])")


def _join_numbered_runs(
    paragraphs: list[list[tuple[str, int | None]]], raw: list[str]
) -> tuple[list[list[tuple[str, int | None]]], list[str]]:
    """Paragraphs numbered one after another without a dot ("13 Middlesbrough Council", "14 Rochdale ...", each
    on its own line in a PDF) joined into one run-together enumeration, which is read as a list."""
    joined_paragraphs: list[list[tuple[str, int | None]]] = []
    joined_raw: list[str] = []
    i = 0
    while i < len(raw):
        end = i
        while end + 1 < len(raw) and (a := _BARE_NUMBER.match(raw[end])) and (b := _BARE_NUMBER.match(raw[end + 1])):
            if int(b.group(1)) != int(a.group(1)) + 1:
                break
            end += 1
        if end - i >= 2:
            joined_paragraphs.append([s for paragraph in paragraphs[i : end + 1] for s in paragraph])
            joined_raw.append(" ".join(raw[i : end + 1]))
        else:
            joined_paragraphs.extend(paragraphs[i : end + 1])
            joined_raw.extend(raw[i : end + 1])
        i = end + 1
    return joined_paragraphs, joined_raw


# A key figure: a short label, a colon (or a table's cell border) and a value with a figure in it ("Sample size:
# 51,000", "Estimated completion: October 2025", "End of March 2024 | 627"); it answers "what is the sample
# size?" although it reads like a heading.
LABEL = r"^[A-Z][\w ,'’()/&-]{1,40}"  # the label that opens a "label: value" pair or a table row
_KEY_FIGURE = re.compile(rf"{LABEL}(?::|\s\|)\s*[^:]*\d")


_DATED_ENTRY = re.compile(
    r"^(?:\d{1,2}\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+|(?:spring|summer|autumn|winter)\s+)?"
    r"(?:19|20)\d\d\s*[:—–]\s*\S",
    re.I,
)


def is_heading_like(sentence: str, headings: set[str]) -> bool:
    """A heading or title standing alone: no sentence in it to quote."""
    s = sentence.strip()
    if s.casefold() in headings:
        return True
    if _DATELINE.match(s) or _KEY_FIGURE.match(s) or _DATED_ENTRY.match(s) or (" | " in s and any(c.isdigit() for c in s)):
        # a dateline, a key figure, a timeline's entry ("May 2023: Harrier House opens in Thornley Cross"), a table
        # row of figures ("2023-24 | 140 | 112")
        return False
    words = _WORD.findall(sentence)
    capitalised = sum(1 for w in words if w[:1].isupper() or w.isdigit())
    return len(words) <= 10 and not sentence.rstrip().endswith((".", "!")) and capitalised >= 0.6 * len(words)


# A table's or figure's caption: "Table 1. The six principles ...", "Figure 3: Referrals by month".
_CAPTION = re.compile(r"^(?:table|figure|fig\.|chart|graph|box|diagram|exhibit)\s+\d+[a-z]?\s*[.:—–-]", re.I)


def is_quotable(sentence: str, headings: set[str]) -> bool:
    """Questions (quoted ones too), lead-ins, captions, navigation and bare headings are never quoted as answers."""
    s = sentence.strip()
    bare = s.rstrip("\"'”’)» ")
    return not (
        bare.endswith(("?", ":")) or _CAPTION.match(s) or NAVIGATION.search(s) or is_heading_like(s, headings)
    )


def passage_units(hit: Hit, passage: int, *, prompt: str = "", subject: str = "") -> list[Unit]:
    """The units of one passage, in reading order; `prompt` is the question its opening turn answers, `subject`
    what its document is about as a whole (kb/subjects.py): both give its units their subject.

    They depend on the passage alone, not the question, so popular passages are split once."""
    return list(_cached_units(hit.text, hit.section, hit.title, hit.speaker, passage, prompt, subject, (hit.date or "")[:4]))


@memoised
def _cached_units(
    text: str, section: str, title: str, speaker: str | None, passage: int, prompt: str, subject: str, year: str
) -> tuple[Unit, ...]:
    headers = _table_headers(text)
    units = _split_units(text, section, title, speaker, passage, prompt, subject)
    return tuple(
        replace(
            u,
            lines=(headers[u.text][0], *u.lines),
            header=headers[u.text][0],
            context=f"{headers[u.text][1]} {headers[u.text][0]} {u.context}",
            year=year,
        )
        if u.text in headers and len(u.lines) == 1
        else replace(u, year=year) if year else u
        for u in units
    )


MAX_CAPTION_WORDS = 30  # a longer paragraph before a table is text of its own, not the table's caption


def _cells(paragraph: str) -> int:
    return paragraph.count(" | ") + 1 if " | " in paragraph and "\n" not in paragraph.strip() else 0


def _table_headers(text: str) -> dict[str, tuple[str, str]]:
    """Each table row of a passage (a paragraph of cells "a | b") with its table's first row, which labels its cells,
    and the short paragraph before the table, its caption: "End of March 2024 | 627" is quoted under "Point in time |
    Children in care", and read with its caption ("Table 1: Children in care in Coventry, excluding ...")."""
    headers: dict[str, tuple[str, str]] = {}
    header, caption, width, previous = "", "", 0, ""
    for paragraph in (p.strip() for p in text.split("\n\n")):
        cells = _cells(paragraph)
        if cells and cells == width:
            headers[paragraph] = (header, caption)
        elif cells:
            header, width = paragraph, cells
            # A short paragraph before a table is its caption; so is a longer one that leads into it with a colon
            # ("... the Hackney Child Wellbeing Framework ... It sets out three levels of intervention:").
            caption = previous if len(previous.split()) <= MAX_CAPTION_WORDS or previous.endswith(":") else ""
        else:
            header, caption, width = "", "", 0
        previous = "" if cells else paragraph
    return headers


_ROW = re.compile(r"^(?P<first>[^—;]{1,80}) — (?P<cells>.+)$")


def row_cells(sentence: str) -> list[str]:
    """A table row read as 'row — header: cell; header: cell', one unit a cell: 'row — header: cell'."""
    row = _ROW.match(sentence)
    if row is None:
        return []
    cells = row.group("cells").split("; ")
    if len(cells) < 2 or not all(": " in c for c in cells):
        return []
    return [f"{row.group('first')} — {c}" for c in cells]


def _capitalised_run(paragraphs: list[list[tuple[str, int | None]]], start: int, headings: set[str]) -> int:
    """How many one-line paragraphs from `start` read like headings but are not the passage's own (0 for fewer than
    MIN_CAPITALISED_RUN)."""
    count = 0
    for paragraph in paragraphs[start:]:
        line = paragraph[0][0]
        if len(paragraph) > 1 or line.casefold() in headings or NAVIGATION.search(line) or not is_heading_like(line, set()):
            break
        count += 1
    return count if count >= MIN_CAPITALISED_RUN else 0


Sentence = tuple[str, int | None]  # a sentence and the index of its stored vector (None: too short to have one)


def _split_units(
    text: str, section: str, title: str, speaker: str | None, passage: int, prompt: str, subject: str
) -> list[Unit]:
    paragraphs, raw = _join_numbered_runs(*_paragraphs(text, speaker))
    return _PassageReader(paragraphs, raw, section, title, speaker, passage, prompt, subject).units()


def _paragraphs(text: str, speaker: str | None) -> tuple[list[list[Sentence]], list[str]]:
    """The passage's paragraphs as sentences, each with its stored vector's index, exactly as quotable_sentences
    walks them, so that the stored vectors line up; and the paragraphs' raw text."""
    paragraphs: list[list[Sentence]] = []
    raw: list[str] = []
    vector = 0
    for paragraph in text.split("\n\n"):
        pieces = split_sentences(paragraph)
        if pieces:
            raw.append(paragraph)
        sentences: list[Sentence] = []
        for sentence in pieces:
            bare = bare_sentence(sentence, speaker=speaker)
            if has_quotable_length(bare):
                sentences.append((bare, vector))
                vector += 1
            elif bare.strip():
                sentences.append((bare, None))
        if sentences:
            paragraphs.append(sentences)
    return paragraphs, raw


class _PassageReader:
    """Walks a passage's paragraphs once, each block read by its kind: items led in by a colon, a list, or
    sentences."""

    def __init__(
        self,
        paragraphs: list[list[Sentence]],
        raw: list[str],
        section: str,
        title: str,
        speaker: str | None,
        passage: int,
        prompt: str,
        subject: str,
    ) -> None:
        self.paragraphs, self.raw = paragraphs, raw
        self.heading = section.split(" > ")[-1] if section else ""
        self.headings = {h.casefold() for h in section.split(" > ") if h} | {title.casefold()}
        self.frame = " ".join(x for x in (title, subject, section.replace(" > ", " "), speaker or "") if x)
        self.title, self.subject, self.speaker, self.passage, self.prompt = title, subject, speaker, passage, prompt
        self._units: list[Unit] = []

    def units(self) -> list[Unit]:
        i = 0
        while i < len(self.paragraphs):
            source = self._source(i)
            item = _is_list_item(source)
            led = i > 0 and self.paragraphs[i - 1][-1][0].rstrip().endswith(":") and not item
            count = self._led_paragraphs(i) if led else 0
            if count:
                self._add_led_items(i, count)
                i += count
                continue
            enumerated = enumerated_items(source)
            capitalised = 0 if enumerated or item else _capitalised_run(self.paragraphs, i, self.headings)
            if item or enumerated or capitalised:
                i = self._add_list(i, enumerated, capitalised)
                continue
            self._add_sentences(i)
            i += 1
        return self._units

    def _add(
        self, lines: list[str], text: str, context: str, vectors: list[int], *, first: bool = False, **extra: object
    ) -> None:
        """A unit; `first` for one of the opening paragraph, which answers the question asked before the passage."""
        asked = self.prompt if first else ""
        opens = bool(extra.pop("opens", False))
        self._units.append(
            Unit(
                passage=self.passage,
                position=len(self._units),
                lines=tuple(lines),
                text=text,
                context=f"{context} {self.frame} {asked}",
                prompt=asked,
                opens_turn=bool(asked) and opens,
                heading=self.heading,
                speaker=self.speaker,
                vectors=tuple(vectors),
                **extra,  # type: ignore[arg-type]
            )
        )

    def _led_paragraphs(self, i: int) -> int:
        """How many paragraphs from `i` are the items of the lead-in before them (short, quotable paragraphs)."""
        count = 0
        while (
            i + count < len(self.paragraphs)
            and count < MAX_LED_PARAGRAPHS
            and len(self.paragraphs[i + count]) <= 2
            and all(is_quotable(s, self.headings) for s, _ in self.paragraphs[i + count])
        ):
            count += 1
        return count

    def _add_led_items(self, i: int, count: int) -> None:
        """Paragraphs after "Feedback from the event included:" are its items (quotes, short points): the lead-in,
        the list they make, and each of their sentences."""
        paragraphs = self.paragraphs[i : i + count]
        items = [" ".join(s for s, _ in paragraph) for paragraph in paragraphs]
        item_vectors = [v for paragraph in paragraphs for _, v in paragraph if v is not None]
        lead_text, lead_vector = self.paragraphs[i - 1][-1]
        lead_vectors = [lead_vector] if lead_vector is not None else []
        if lead_vector is not None:
            self._add([lead_text], lead_text, lead_text, lead_vectors, lead_in=True)
        self._add(
            [lead_text, *(f"- {item}" for item in items)],
            "\n".join(items),
            lead_text,
            lead_vectors + item_vectors,
            is_list=True,
            items=count,
            scope=f"{self._joined(i - 1)} {self.heading} {self.title} {self.subject}",
        )
        for item, paragraph in zip(items, paragraphs, strict=True):
            for sentence, vector_id in paragraph:
                if vector_id is not None and is_quotable(sentence, self.headings):
                    self._add([sentence], sentence, f"{lead_text} {item}", [vector_id])

    def _add_list(self, start: int, enumerated: list[str] | None, capitalised: int) -> int:
        """A list: consecutive item paragraphs (or one run-together enumeration), led in by the sentence before it
        that ends with a colon, else by the heading. Returns the paragraph after it."""
        if enumerated:
            items, item_vectors, end = enumerated, [[v for _, v in self.paragraphs[start] if v is not None]], start + 1
            lines = [f"- {item}" for item in items]
        else:
            end = start
            while end < len(self.paragraphs) and (_is_list_item(self._source(end)) or end < start + capitalised):
                end += 1
            items = [self._joined(p) for p in range(start, end)]
            lines = [item_line(item, self.raw[p]) for item, p in zip(items, range(start, end), strict=True)]
            item_vectors = [[v for _, v in self.paragraphs[p] if v is not None] for p in range(start, end)]
        previous = self.paragraphs[start - 1][-1] if start > 0 else None
        lead = previous[0] if previous and previous[0].rstrip().endswith(":") else ""
        lead_vectors = [previous[1]] if lead and previous and previous[1] is not None else []
        lead_paragraph = self._joined(start - 1) if lead else ""
        opening = lead or (f"{self.heading}:" if self.heading else "")
        if lead and lead_vectors:
            self._add([lead], lead, lead, lead_vectors, lead_in=True)
        self._add(
            ([opening] if opening else []) + lines,
            "\n".join(items),
            lead,
            lead_vectors + [v for vs in item_vectors for v in vs],
            is_list=True,
            items=len(items),
            scope=f"{lead_paragraph} {self.heading} {self.title} {self.subject}",
        )
        if not enumerated:
            self._add_items(start, items, lead_paragraph, lead_vectors)
        return end

    def _add_items(self, start: int, items: list[str], lead_paragraph: str, lead_vectors: list[int]) -> None:
        """Each item of a list on its own, for questions about one of them; an item's later sentences stand alone."""
        for position, item_text in enumerate(items, start=1):
            paragraph_index = start + position - 1
            written = _NUMBERED.match(self.raw[paragraph_index])
            number = int(written.group(1)) if written else position
            first, *rest = self.paragraphs[paragraph_index]
            context = f"{lead_paragraph} {item_text}"
            if rest and len(_WORD.findall(first[0])) <= RUN_IN_WORDS:
                first = (f"{first[0]} {rest[0][0]}", rest[0][1])  # "Build oversight. A dedicated panel ..."
            if not item_text.rstrip().endswith("?") and not NAVIGATION.search(item_text):
                vectors = [first[1]] if first[1] is not None else lead_vectors
                self._add([first[0]], first[0], context, vectors, item_number=number)
            for sentence, vector_id in rest:
                if vector_id is not None and is_quotable(sentence, self.headings):
                    self._add([sentence], sentence, context, [vector_id])

    def _add_sentences(self, i: int) -> None:
        """A paragraph of prose: each quotable sentence, a table row's cells, a sentence with the next one when
        that refers back, and a short line ("Published March 2024") with the sentence after it."""
        sentences = self.paragraphs[i]
        paragraph_text = self._joined(i)
        first = i == 0
        for j, (sentence, vector_id) in enumerate(sentences):
            if not is_quotable(sentence, self.headings):
                continue
            if vector_id is None:
                self._add_dateline(i, j)
                continue
            self._add([sentence], sentence, paragraph_text, [vector_id], first=first, opens=first and j == 0)
            for cell in row_cells(sentence):
                self._add([cell], cell, f"{sentence} {paragraph_text}", [vector_id], first=first)
            following = sentences[j + 1] if j + 1 < len(sentences) else None
            if following is not None and following[1] is not None and _REFERS_BACK.match(following[0]):
                # "... topics that were more model specific. This included X": the pair answers together.
                if is_quotable(following[0], self.headings):
                    pair = " ".join([sentence, following[0]])
                    self._add([pair], pair, paragraph_text, [vector_id, following[1]], first=first, opens=first and j == 0)

    def _add_dateline(self, i: int, j: int) -> None:
        """A short line ("Published March 2024") quoted with the sentence after it, when that one is quotable prose."""
        sentences = self.paragraphs[i]
        last = j + 1 >= len(sentences)
        following = (self.paragraphs[i + 1][0] if i + 1 < len(self.paragraphs) else None) if last else sentences[j + 1]
        next_raw = self.raw[i + 1] if last and i + 1 < len(self.raw) else ""
        if following is None or not is_quotable(following[0], self.headings) or _is_list_item(next_raw):
            return
        # A line of its own stays one in the quote; a run-in heading ("Walsall. When Ofsted rated ...") runs on as written.
        lines = [sentences[j][0], following[0]] if last else [f"{sentences[j][0]} {following[0]}"]
        vectors = [following[1]] if following[1] is not None else []
        self._add(lines, " ".join(lines), self._joined(i), vectors, first=i == 0)

    def _source(self, i: int) -> str:
        """Paragraph `i` as written, without the speaker's label a transcript turn opens with."""
        return _SPEAKER_LABEL.sub("", self.raw[i]) if self.speaker else self.raw[i]

    def _joined(self, i: int) -> str:
        return " ".join(s for s, _ in self.paragraphs[i])
