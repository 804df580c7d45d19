"""Compare dense, lexical and fused rankings on a question set (the README's retrieval table).

Usage: .venv/bin/python bench/fusion.py [QUESTIONS.jsonl ...]   (default: ../shared/eval/dev_questions.jsonl)
Indexes the project corpus into a temporary directory, then prints one Markdown table.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from kb.embedding import SentenceTransformerEmbedder
from kb.evaluation import MRR_DEPTH, load_questions
from kb.hybrid import FusionParams
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase, SearchMode

ROOT = Path(__file__).resolve().parent.parent
VARIANTS: list[tuple[str, SearchMode, FusionParams]] = [
    ("dense only", "dense", FusionParams()),
    ("lexical only (FTS5 bm25)", "lexical", FusionParams()),
    ("reciprocal rank fusion (k=60)", "hybrid", FusionParams(method="rrf", dense_weight=0.5)),
    ("weighted sum, max-normalised, dense 0.3", "hybrid", FusionParams(method="weighted", dense_weight=0.3)),
    ("weighted sum, max-normalised, dense 0.5 (default)", "hybrid", FusionParams(method="weighted", dense_weight=0.5)),
    ("weighted sum, max-normalised, dense 0.7", "hybrid", FusionParams(method="weighted", dense_weight=0.7)),
]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def main(paths: list[Path]) -> None:
    questions = [q for path in paths for q in load_questions(path) if q.phrases]
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as scratch:
        ingest([ROOT / "corpus"], index_dir=Path(scratch), embedder_factory=lambda: embedder)
        kb = KnowledgeBase(Path(scratch), embedder=embedder)
        print(f"{len(questions)} answerable questions from {', '.join(p.name for p in paths)}\n")
        print("| retrieval | MRR@10 | hit@1 | hit@5 |\n|---|---|---|---|")
        for name, mode, params in VARIANTS:
            ranks = []
            for q in questions:
                hits = kb.search(q.q, k=MRR_DEPTH, mode=mode, fusion=params)
                wanted = [squash(p) for p in q.phrases]
                ranks.append(next((h.rank for h in hits if any(w in squash(h.text) for w in wanted)), None))
            n = len(ranks)
            mrr = sum(1 / r for r in ranks if r) / n
            hit1 = sum(1 for r in ranks if r == 1) / n
            hit5 = sum(1 for r in ranks if r and r <= 5) / n
            print(f"| {name} | {mrr:.3f} | {hit1:.2f} | {hit5:.2f} |")


if __name__ == "__main__":
    main([Path(a) for a in sys.argv[1:]] or [ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"])
