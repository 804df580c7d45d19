"""How much page furniture (running heads and feet, page numbers) reaches the passages, before and after the
PDF reader removes it, and what sections, titles and dates it finds without bookmarks.

    .venv/bin/python -m bench.pdf_cleanup [--shared ../shared/pdfs]

Journal-style PDFs are generated (tests/pdf_factory.journal_pdf: two columns or one, running head, "Page n of
m" or bare page numbers, pull quotes, no bookmarks); for them the running lines are known, so leaks are
counted exactly. For ../shared/pdfs the truth is not known: a leak there is a line that stands among the
first or last three lines of at least half the pages (what the reader treats as furniture), counted in the
passages read without the clean-up and with it.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from functools import partial
from pathlib import Path

from kb.chunking import chunk_document
from kb.documents import load_document
from kb.errors import DocumentError
from kb.pdf import EDGE_LINES, RUNNING_SHARE, _furniture_key, read_pdf
from kb.text_blocks import normalise_text
from tests.pdf_factory import journal_pdf

VARIANTS = [
    {"issue": 7, "month": "September 2024", "columns": 2, "page_label": "Page {n} of {nb}"},
    {"issue": 8, "month": "March 2025", "columns": 1, "page_label": "{n}"},
    {"issue": 9, "month": "June 2025", "columns": 2, "page_label": "- {n} -", "repeats": 3},
]


def generated_leaks(path: Path, running: list[re.Pattern[str]], *, strip: bool) -> int:
    """Passages (as indexed) that contain a running head or foot."""
    document = load_document(path) if strip else _unstripped_document(path)
    return sum(any(p.search(chunk.text) for p in running) for chunk in chunk_document(document))


def _unstripped_document(path: Path):  # type: ignore[no-untyped-def]
    import kb.documents as documents

    original = documents.read_pdf
    documents.read_pdf = partial(read_pdf, strip_furniture=False)
    try:
        return load_document(path)
    finally:
        documents.read_pdf = original


def detected_furniture(path: Path, password: str | None) -> set[str]:
    """The repeated edge lines of a PDF read without the clean-up (as written, longer than three characters)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt(password or "")
    pages = [[normalise_text(line) for line in (page.extract_text() or "").splitlines() if line.strip()] for page in reader.pages]
    counts: dict[str, int] = {}
    written: dict[str, set[str]] = {}
    for lines in pages:
        for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]:
            written.setdefault(_furniture_key(line), set()).add(line)
        for key in {_furniture_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}:
            counts[key] = counts.get(key, 0) + 1
    texts = sum(1 for lines in pages if lines)
    keys = {key for key, n in counts.items() if len(key) > 3 and n >= 2 and n >= RUNNING_SHARE * texts}
    return {line for key in keys for line in written[key]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "pdfs")
    args = parser.parse_args()
    print("generated journal PDFs: passages containing a running head or foot (before -> after), sections, title, date")
    with tempfile.TemporaryDirectory() as tmp:
        for variant in VARIANTS:
            path = journal_pdf(Path(tmp) / f"journal-issue-{variant['issue']}.pdf", **variant)  # type: ignore[arg-type]
            head = re.compile(re.escape(f"Strengthening Families Journal | Issue {variant['issue']}"))
            foot = re.compile(r"Page \d+ of \d+|- \d+ -")  # bare page numbers cannot be told from text
            before = generated_leaks(path, [head, foot], strip=False)
            after = generated_leaks(path, [head, foot], strip=True)
            document = load_document(path)
            sections = sorted({" > ".join(b.section) for b in document.blocks if b.section})
            found = f"sections {len(sections)}  title {document.title!r}  date {document.date}"
            print(f"  {path.name:26} {before:3} -> {after:<3} {found}")
    print(f"\n{args.shared}: passages holding a line repeated at page edges (before -> after), sections found")
    passwords = {"04_encrypted_rc4-128_pw-openpassword.pdf": "openpassword", "05_encrypted_aes-256_pw-password.pdf": "password"}
    for path in sorted(args.shared.glob("*.pdf")):
        password = passwords.get(path.name)
        try:
            stripped = read_pdf(path, password=password)
            raw = read_pdf(path, password=password, strip_furniture=False)
            furniture = detected_furniture(path, password)
        except DocumentError as exc:
            print(f"  {path.name:58} refused: {exc.reason[:60]}")
            continue

        leaked, left = leaks(raw.blocks, furniture), leaks(stripped.blocks, furniture)
        section_count = len({b.section for b in stripped.blocks if b.section})
        print(f"  {path.name:58} {leaked:4} -> {left:<4} sections {section_count:3}  title {stripped.title!r:.60}")


def leaks(blocks: list, furniture: set[str]) -> int:  # type: ignore[type-arg]
    """Passages holding one of the furniture lines as written."""
    return sum(any(line in b.text for line in furniture) for b in blocks)


if __name__ == "__main__":
    main()
