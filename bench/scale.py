"""Search latency, memory and recall of flat and HNSW FAISS indexes at 10k, 100k and 1M chunks.

Usage: .venv/bin/python -m bench.scale [--sizes 10000 100000 1000000]
Vectors are synthetic but clustered like real embeddings (1,000 Gaussian clusters on the unit
sphere, 384 dimensions); queries are 200 perturbed data points. Latency is the median of single
queries (k=10) timed with time.perf_counter, one thread as the knowledge base searches (builds use
all cores); memory is the serialized index size; recall@10 is
HNSW's overlap with the exact (flat) top 10. Index parameters are the ones kb/store.py uses.
"""

from __future__ import annotations

import argparse
import statistics
import time

import faiss
import numpy as np

from kb.store import HNSW_EF_SEARCH, new_faiss_index

DIM = 384


def clustered(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    labels = rng.integers(0, len(centres), size=n)
    vectors = centres[labels] + rng.normal(scale=0.35 / np.sqrt(DIM), size=(n, DIM)).astype(np.float32) * np.sqrt(DIM) * 0.1
    vectors = vectors.astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def latency_ms(index: faiss.Index, queries: np.ndarray, params: faiss.SearchParameters | None = None) -> float:
    """Median single-query latency with one thread, as the knowledge base searches (kb/knowledge_base.py)."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    times = []
    for q in queries:
        started = time.perf_counter()
        index.search(q.reshape(1, -1), 10, params=params)
        times.append((time.perf_counter() - started) * 1000)
    faiss.omp_set_num_threads(threads)
    return statistics.median(times)


def measure(n: int, rng: np.random.Generator) -> list[dict[str, float | int | str]]:
    centres = rng.normal(size=(1000, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    data = clustered(n, rng, centres)
    queries = data[rng.choice(n, size=200, replace=False)] + rng.normal(scale=0.02, size=(200, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ids = np.arange(n, dtype=np.int64)
    rows = []
    exact = np.zeros((0, 10), dtype=np.int64)
    for kind in ("flat", "hnsw"):
        index = new_faiss_index(kind, DIM)
        started = time.perf_counter()
        index.add_with_ids(data, ids)
        build = time.perf_counter() - started
        params = faiss.SearchParametersHNSW(efSearch=HNSW_EF_SEARCH) if kind == "hnsw" else None  # type: ignore[attr-defined]
        _, found = index.search(queries, 10, params=params)
        if kind == "flat":
            exact = found
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact, strict=True)]))
        rows.append(
            {
                "chunks": n,
                "index": kind,
                "build_s": round(build, 1),
                "p50_ms": round(latency_ms(index, queries[:100], params), 2),
                "memory_mb": round(faiss.serialize_index(index).nbytes / 1e6, 1),
                "recall@10": round(recall, 3),
            }
        )
        del index
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    rng = np.random.default_rng(3)
    print("| chunks | index | build (s) | search p50 (ms) | memory (MB) | recall@10 vs flat |\n|---|---|---|---|---|---|")
    for n in args.sizes:
        for row in measure(n, rng):
            cells = [f"{row['chunks']:,}", row["index"], row["build_s"], row["p50_ms"], row["memory_mb"], row["recall@10"]]
            print("| " + " | ".join(str(c) for c in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
