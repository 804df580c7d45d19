"""How many publications of ../shared/library get a kind and a date (kb/provenance.py), and where each was read.

    .venv/bin/python -m bench.provenance_library

The issue's target: at least 90% with a type other than 'document' and a date. Prints the figures and one
line per publication (its kind, its date and where each came from) so a wrong reading can be seen.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kb.documents import load_document

LIBRARY = Path(__file__).resolve().parent.parent.parent / "shared" / "library" / "docs"


def main() -> None:
    documents = [load_document(path) for path in sorted(LIBRARY.iterdir())]
    for d in documents:
        kind_from = "metadata" if "doc_type_from" not in d.meta else "read"
        date_from = "metadata" if "date_from" not in d.meta else d.meta["date_from"].removeprefix("the document ")
        print(f"{d.doc_type:18} ({kind_from:8}) {d.date or 'undated':11} {date_from[:36]:36} {d.doc_id[:60]}")
    typed = sum(d.doc_type != "document" for d in documents)
    dated = sum(bool(d.date) for d in documents)
    both = sum(d.doc_type != "document" and bool(d.date) for d in documents)
    given = sum("doc_type_from" not in d.meta and d.doc_type != "document" for d in documents)
    reads = Counter(d.meta.get("date_from", "metadata") for d in documents if d.date)
    print(f"\n{len(documents)} publications: {typed} with a type other than 'document' ({given} from metadata), "
          f"{dated} with a date, {both} ({both / len(documents):.0%}) with both")
    for how, n in reads.most_common():
        print(f"  date from {how}: {n}")


if __name__ == "__main__":
    main()
