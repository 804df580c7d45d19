"""Does adding one document to a large index cost about what indexing it alone costs?

Usage: .venv/bin/python -m bench.incremental [--documents 1000] [--runs 5]
Builds a synthetic corpus of N documents from the real corpus's paragraphs (each document a
different selection, so no two share a chunk), indexes it once, then times, with the model
already loaded and as medians over --runs: (a) indexing one new document into an empty index,
(b) adding one new document to the N-document index, (c) a sync with nothing to do, as a whole
`kb ingest` process. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest, remove_documents

ROOT = Path(__file__).resolve().parent.parent


def paragraphs() -> list[str]:
    """Body paragraphs of the Markdown corpus (front matter and headings dropped)."""
    found: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.md")):
        body = re.sub(r"^---.*?---\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        found.extend(p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#"))
    return found


def synthetic_document(number: int, pool: list[str], rng: random.Random) -> str:
    chosen = rng.sample(pool, k=min(len(pool), rng.randint(4, 8)))
    sections = "\n\n".join(f"## Part {i + 1}\n\n{text}" for i, text in enumerate(chosen))
    return f"---\ntitle: Synthetic learning note {number}\ndoc_type: journal\ndate: '2024-01'\n---\n\n{sections}\n"


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    pool = paragraphs()
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        corpus, index = work / "corpus", work / "index"
        corpus.mkdir()
        for n in range(args.documents):
            (corpus / f"note-{n:05d}.md").write_text(synthetic_document(n, pool, rng), encoding="utf-8")
        build = timed(lambda: ingest([corpus], index_dir=index, embedder_factory=lambda: embedder))
        extra = work / "extra"
        extra.mkdir()
        alone, added = [], []
        for run in range(args.runs):
            new = extra / f"new-{run}.md"
            new.write_text(synthetic_document(100_000 + run, pool, rng), encoding="utf-8")
            alone.append(
                timed(lambda new=new, run=run: ingest([new], index_dir=work / f"empty-{run}", embedder_factory=lambda: embedder))
            )
            copy = extra / f"again-{run}.md"
            copy.write_text(new.read_text(encoding="utf-8").replace("note 100", "note 200"), encoding="utf-8")
            added.append(timed(lambda copy=copy: ingest([copy], index_dir=index, embedder_factory=lambda: embedder)))
            remove_documents([f"again-{run}"], index_dir=index)
        env_run = [sys.executable, str(ROOT / "cli.py"), "ingest"]
        env = {**os.environ, "KB_INDEX_DIR": str(index), "KB_CORPUS_DIR": str(corpus)}
        noop = [timed(lambda: subprocess.run(env_run, env=env, check=True, capture_output=True)) for _ in range(args.runs)]
    a, b = statistics.median(alone), statistics.median(added)
    print(f"Synthetic corpus: {args.documents} documents from the real corpus's paragraphs;", end=" ")
    print(f"medians of {args.runs} runs; model preloaded.\n")
    print("| measurement | seconds |\n|---|---|")
    print(f"| index all {args.documents} documents (one ingest) | {build:.1f} |")
    print(f"| index one new document into an empty index | {a:.2f} |")
    print(f"| add one new document to the {args.documents}-document index | {b:.2f} |")
    print(f"| ratio add / alone | {b / a:.2f} |")
    print(f"| `kb ingest` with nothing to do, whole process ({args.documents} documents) | {statistics.median(noop):.2f} |")


if __name__ == "__main__":
    main()
