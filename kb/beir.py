"""Public benchmark: index a BEIR dataset through the same ingestion and search code and score it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb import store
from kb.embedding import Embedder, embed
from kb.errors import InvalidInputError
from kb.hybrid import FusionParams, fuse
from kb.ingest import Progress, apply_changes, default_embedder
from kb.lexical import lexical_search
from kb.text_blocks import Block, Document, normalise_text

DEPTH = 300  # chunks per list: enough for 100 distinct documents once chunks are merged per document
GRID = [FusionParams(method="weighted", dense_weight=w / 10) for w in range(2, 9)] + [
    FusionParams(method="rrf", dense_weight=w / 10) for w in (3, 5, 7)
]


@dataclass(frozen=True)
class Scores:
    """nDCG@10 and Recall@100 over a query set."""

    ndcg_at_10: float
    recall_at_100: float


@dataclass
class BeirReport:
    """Test-split figures for dense, lexical and hybrid, and the fusion chosen on the train split."""

    dataset: str
    queries: int
    results: dict[str, Scores] = field(default_factory=dict)
    fusion: FusionParams | None = None
    expansion: bool = False
    train_ndcg_at_10: float = 0.0


def load_corpus(directory: Path) -> list[Document]:
    """BEIR `corpus.jsonl` records as documents (title and abstract; one paragraph each)."""
    path = directory / "corpus.jsonl"
    if not path.exists():
        raise InvalidInputError(f"{directory} is not a BEIR dataset: it has no corpus.jsonl")
    documents = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = normalise_text(record.get("text", ""))
            if not text:
                continue
            documents.append(
                Document(
                    doc_id=str(record["_id"]),
                    title=normalise_text(record.get("title", "")) or str(record["_id"]),
                    doc_type="document",
                    date=None,
                    path=str(path),
                    content_hash=str(hash(text)),
                    blocks=(Block(text=text),),
                )
            )
    return documents


def load_split(directory: Path, split: str) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """Queries of a split and their relevance judgements."""
    qrels: dict[str, dict[str, int]] = {}
    with (directory / "qrels" / f"{split}.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            query_id, doc_id, score = line.rstrip("\n").split("\t")
            qrels.setdefault(query_id, {})[doc_id] = int(score)
    queries = {}
    with (directory / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if str(record["_id"]) in qrels:
                queries[str(record["_id"])] = record["text"]
    return queries, qrels


def build_index(
    directory: Path, index_dir: Path, *, embedder_factory: Callable[[], Embedder], on_progress: Progress | None
) -> None:
    """Index the dataset once; an existing compatible index of it is reused."""
    if store.current_generation(index_dir) is not None:
        return
    with store.ingest_lock(index_dir):
        apply_changes(
            index_dir,
            base=None,
            documents=load_corpus(directory),
            delete=[],
            embedder_factory=embedder_factory,
            on_progress=on_progress,
            with_sentences=False,  # the benchmark ranks passages; it composes no answers
        )


def per_document(ranked: list[tuple[int, float]], chunk_docs: dict[int, str], exclude: str) -> list[str]:
    """Document ids in order of their best chunk, without the query's own id (as BEIR scores)."""
    seen: dict[str, None] = {}
    for chunk_id, _ in ranked:
        doc_id = chunk_docs[chunk_id]
        if doc_id != exclude:
            seen.setdefault(doc_id, None)
    return list(seen)


def score(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> Scores:
    """Mean nDCG@10 (graded gains, log2 discount) and Recall@100."""
    ndcg, recall = 0.0, 0.0
    for query_id, ranked in runs.items():
        relevant = qrels[query_id]
        dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
        ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:10]))
        ndcg += dcg / ideal if ideal else 0.0
        recall += len(set(ranked[:100]) & {d for d, g in relevant.items() if g > 0}) / max(
            1, sum(1 for g in relevant.values() if g > 0)
        )
    n = max(len(runs), 1)
    return Scores(ndcg_at_10=round(ndcg / n, 4), recall_at_100=round(recall / n, 4))


def run_beir(
    directory: Path,
    index_dir: Path,
    *,
    embedder_factory: Callable[[], Embedder] = default_embedder,
    on_progress: Progress | None = None,
) -> BeirReport:
    """Dense, lexical and hybrid on the test split, with fusion and expansion chosen on train."""
    embedder = embedder_factory()
    build_index(directory, index_dir, embedder_factory=lambda: embedder, on_progress=on_progress)
    reader = store.open_index(index_dir)
    chunk_docs = reader.chunk_documents()

    def lists(queries: dict[str, str], expand: bool) -> dict[str, tuple[list[tuple[int, float]], list[tuple[int, float]]]]:
        ids = list(queries)
        vectors = embed(embedder, [queries[i] for i in ids])
        return {
            qid: (reader.dense(vector, k=DEPTH), lexical_search(reader, queries[qid], k=DEPTH, expand=expand))
            for qid, vector in zip(ids, vectors, strict=True)
        }

    def hybrid_runs(candidates, params: FusionParams) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        return {q: per_document([(c, s) for c, s, *_ in fuse(d, lx, params)], chunk_docs, q) for q, (d, lx) in candidates.items()}

    train_queries, train_qrels = load_split(directory, "train")
    best: tuple[float, FusionParams, bool] = (-1.0, GRID[0], False)
    for expand in (False, True):
        candidates = lists(train_queries, expand)
        for params in GRID:
            value = score(hybrid_runs(candidates, params), train_qrels).ndcg_at_10
            if value > best[0]:
                best = (value, params, expand)
    test_queries, test_qrels = load_split(directory, "test")
    candidates = lists(test_queries, best[2])
    report = BeirReport(
        dataset=directory.name, queries=len(test_queries), fusion=best[1], expansion=best[2], train_ndcg_at_10=best[0]
    )
    report.results["dense"] = score({q: per_document(d, chunk_docs, q) for q, (d, _) in candidates.items()}, test_qrels)
    report.results["lexical"] = score({q: per_document(lx, chunk_docs, q) for q, (_, lx) in candidates.items()}, test_qrels)
    report.results["hybrid"] = score(hybrid_runs(candidates, best[1]), test_qrels)
    return report
