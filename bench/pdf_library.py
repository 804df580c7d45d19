"""Can the answer to each library question about a PDF be quoted? Phrases found in one passage, in one sentence.

    python -m bench.pdf_library [--library ../shared/library] [--timing]

For every question in questions.jsonl whose `doc` is a PDF, each of its `phrase`s (lower-cased, spaces
collapsed, curly apostrophes straightened; the passages the same) is looked for in the indexed passages of
that document (kb.documents.load_document, cut by kb.chunking.chunk_document as kb ingest does): in one
passage, in one sentence (kb.chunking.split_sentences over the passage's paragraphs) and in one quotable
sentence (kb.chunking.quotable_sentences: what an answer can quote), and in one of at most 40 words (a
longer one is mostly lines run together, such as a table read as one sentence). `--timing` adds the time to load all
the PDFs (median of 3 runs).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from kb.chunking import Chunk, chunk_document, split_sentences
from kb.documents import load_document

TIGHT_WORDS = 40  # a quote longer than this is usually run-together lines (a table read as one sentence)
LIBRARY = Path(__file__).resolve().parents[2] / "shared" / "library"


@dataclass(frozen=True)
class PhraseCheck:
    """Where one phrase of one question was found."""

    question: str
    doc: str
    phrase: str
    in_passage: bool
    in_sentence: bool
    in_quote: bool
    in_tight_quote: bool


def flatten(text: str) -> str:
    """Lower case, one space, straight apostrophes and quotes: how phrases and passages are compared."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def check_library(library: Path) -> list[PhraseCheck]:
    """Every phrase of every PDF question, checked against its document's passages."""
    questions = [json.loads(line) for line in (library / "questions.jsonl").read_text().splitlines() if line.strip()]
    questions = [q for q in questions if q["doc"].lower().endswith(".pdf")]
    chunks: dict[str, list[Chunk]] = {}
    checks = []
    for question in questions:
        if question["doc"] not in chunks:
            chunks[question["doc"]] = chunk_document(load_document(library / "docs" / question["doc"]))
        passages = [flatten(c.text) for c in chunks[question["doc"]]]
        sentences = [flatten(s) for c in chunks[question["doc"]] for p in c.text.split("\n\n") for s in split_sentences(p)]
        quotes = [flatten(q) for c in chunks[question["doc"]] for q, _ in c.quotes]
        for phrase in question["phrase"]:
            wanted = flatten(phrase)
            checks.append(
                PhraseCheck(
                    question=question["q"],
                    doc=question["doc"],
                    phrase=phrase,
                    in_passage=any(wanted in p for p in passages),
                    in_sentence=any(wanted in s for s in sentences),
                    in_quote=any(wanted in q for q in quotes),
                    in_tight_quote=any(wanted in q and len(q.split()) <= TIGHT_WORDS for q in quotes),
                )
            )
    return checks


def load_seconds(library: Path, runs: int = 3) -> float:
    """Median time to load every PDF of the library."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for path in sorted((library / "docs").glob("*.pdf")):
            load_document(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, default=LIBRARY)
    parser.add_argument("--timing", action="store_true", help="also time loading all the PDFs (median of 3)")
    args = parser.parse_args()
    checks = check_library(args.library)
    total = len(checks)
    for label, attr in (
        ("one passage", "in_passage"),
        ("one sentence", "in_sentence"),
        ("one quotable sentence", "in_quote"),
        (f"one of <= {TIGHT_WORDS} words", "in_tight_quote"),
    ):
        found = sum(getattr(c, attr) for c in checks)
        print(f"phrases in {label:22} {found:3}/{total} ({found / total:.1%})")
    print("\nfailures (P: not in one passage, S: not in one sentence, Q: not in a quotable one, T: not in a short one)")
    for c in checks:
        marks = "".join(
            m for m, ok in (("P", c.in_passage), ("S", c.in_sentence), ("Q", c.in_quote), ("T", c.in_tight_quote)) if not ok
        )
        if marks:
            print(f"  {marks:3} {c.doc[:48]:48} {c.phrase!r:40.40}  {c.question[:70]}")
    if args.timing:
        count = len(list((args.library / "docs").glob("*.pdf")))
        print(f"\nloading {count} PDFs: {load_seconds(args.library):.2f} s (median of 3)")


if __name__ == "__main__":
    main()
