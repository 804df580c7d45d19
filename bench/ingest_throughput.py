"""Ingest throughput on the development library: this tree against an earlier commit, measured in one run.

    python -m bench.ingest_throughput --baseline REV [--rounds 2]

Both trees ingest corpus/ and the library's documents into an empty index with their own `kb ingest`, one after
the other, for `--rounds` rounds (about two and a half minutes each). The library's saved web pages are left out:
a baseline from before they were read would skip them, and the trees must ingest the same documents. Documents
are copied (not linked) into a scratch folder: ingest refuses to follow links. Printed: per round and as medians,
each tree's seconds, documents and passages per second, and the ratio of documents per second.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.trees import ROOT, baseline_tree, ingest

LIBRARY = ROOT.parent / "shared" / "library" / "docs"
WEB_PAGES = (".html", ".htm")


def counted(index: Path, table: str) -> int:
    """How many documents or passages (`table`) the index's live generation holds."""
    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    with sqlite3.connect(generation / "kb.sqlite") as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare with (e.g. e6967bf)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, baseline_tree(args.baseline, Path(scratch)) as baseline:
        documents = Path(scratch) / "documents"
        documents.mkdir()
        for path in sorted(LIBRARY.iterdir()):
            if path.is_file() and path.suffix.lower() not in WEB_PAGES:
                shutil.copy(path, documents / path.name)
        sources = [ROOT / "corpus", documents]
        seconds: dict[str, list[float]] = {"before": [], "now": []}
        for number in range(1, args.rounds + 1):
            for name, tree in (("before", baseline), ("now", ROOT)):
                index = Path(scratch) / f"index-{name}-{number}"
                start = time.perf_counter()
                ingest(tree, index, sources)
                seconds[name].append(time.perf_counter() - start)
                print(
                    f"round {number}/{args.rounds}, {name}: {seconds[name][-1]:.1f} s, {counted(index, 'documents')} "
                    f"documents, {counted(index, 'chunks')} passages",
                    file=sys.stderr,
                )
        counts = {name: [counted(Path(scratch) / f"index-{name}-1", t) for t in ("documents", "chunks")] for name in seconds}
    rates = {name: counts[name][0] / statistics.median(values) for name, values in seconds.items()}
    for name, values in seconds.items():
        median, (docs, chunks) = statistics.median(values), counts[name]
        print(
            f"{name} ({args.baseline if name == 'before' else 'this tree'}): median {median:.1f} s for {docs} documents, "
            f"{rates[name]:.3f} documents/s, {chunks / median:.2f} passages/s"
        )
    print(f"documents/s ratio now/before: {rates['now'] / rates['before']:.2f}")


if __name__ == "__main__":
    main()
