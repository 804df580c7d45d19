"""Is the article of a saved web page read whole, and nothing around it? Measured on the library's .html pages.

    .venv/bin/python -m bench.html_pages [--library ../shared/library]

Completeness: for every question of questions.jsonl whose `doc` is a saved page, each `phrase` must occur in
the document's text and, better, within one passage as kb.chunking cuts it (lower-cased, whitespace collapsed,
apostrophes straightened). Furniture: paragraphs, items and rows (of at least three words) indexed from the
page's <nav>, <header>, <footer>, <aside> and cookie or breadcrumb elements (a saved page marks them with
these elements; the reader is not told so), unless the same words are also in its <main> or <article>.
Rows: every text node of <body> (what a plain HTML parser gives); trafilatura's plain-text output;
kb/html.py, the reader as indexed.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

from kb.chunking import chunk_document
from kb.documents import load_document
from kb.text_blocks import Block, Document

_FURNITURE = (
    "//nav | //header | //footer | //aside"
    " | //*[contains(@class, 'cookie') or contains(@id, 'cookie') or contains(@class, 'breadcrumb')]"
)


def comparable(text: str) -> str:
    """Lower-cased, whitespace collapsed, curly apostrophes straightened: how phrases are compared."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def _all_text(path: Path) -> Document:
    tree = lxml_html.parse(str(path)).getroot()
    for junk in tree.xpath("//script | //style"):
        junk.drop_tree()
    lines = [line.strip() for line in tree.body.text_content().splitlines() if line.strip()]
    return _as_document(path, lines)


def _trafilatura_txt(path: Path) -> Document:
    import trafilatura

    text = trafilatura.extract(path.read_bytes(), include_comments=False, include_tables=True) or ""
    return _as_document(path, [line for line in text.splitlines() if line.strip()])


def _as_document(path: Path, lines: list[str]) -> Document:
    blocks = tuple(Block(text=line) for line in lines)
    return Document(
        doc_id=path.stem, title=path.stem, doc_type="document", date=None, path=str(path), content_hash="", blocks=blocks
    )


def furniture_blocks(path: Path, document: Document) -> list[str]:
    """The document's blocks of at least three words that come from the page's navigation, header, footer,
    sidebar, cookie banner or breadcrumb."""
    tree = lxml_html.parse(str(path)).getroot()
    article = " ".join(comparable(e.text_content()) for e in tree.xpath("//main | //article"))
    furniture = " | ".join(comparable(e.text_content()) for e in tree.xpath(_FURNITURE))
    texts = [comparable(b.text.removeprefix("- ")) for b in document.blocks]
    return [t for t in texts if len(t.split()) >= 3 and t in furniture and t not in article]


def measure(library: Path, reader: Callable[[Path], Document]) -> dict[str, int]:
    """Phrases found in the text and within one passage; furniture lines that reach a passage."""
    questions = [json.loads(line) for line in (library / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
    pages = sorted((library / "docs").glob("*.htm*"))
    documents = {p.name: reader(p) for p in pages}
    passages = {name: [comparable(c.text) for c in chunk_document(d)] for name, d in documents.items()}
    figures = {"pages": len(pages), "phrases": 0, "in_text": 0, "in_one_passage": 0, "furniture_leaks": 0}
    for question in questions:
        if question["doc"] not in passages:
            continue
        chunks = passages[question["doc"]]
        text = " ".join(chunks)
        for phrase in question["phrase"]:
            figures["phrases"] += 1
            figures["in_text"] += comparable(phrase) in text
            figures["in_one_passage"] += any(comparable(phrase) in chunk for chunk in chunks)
    for page in pages:
        figures["furniture_leaks"] += len(furniture_blocks(page, documents[page.name]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "library")
    args = parser.parse_args()
    print("| reader | pages | phrases | in the text | in one passage | furniture paragraphs indexed |")
    print("|---|---|---|---|---|---|")
    readers = {"every text node of <body>": _all_text, "trafilatura plain text": _trafilatura_txt, "kb/html.py": load_document}
    for name, reader in readers.items():
        f = measure(args.library, reader)
        print(f"| {name} | {f['pages']} | {f['phrases']} | {f['in_text']} | {f['in_one_passage']} | {f['furniture_leaks']} |")


if __name__ == "__main__":
    main()
