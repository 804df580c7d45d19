"""All speed figures in one Markdown table (`make bench`): CLI start, HTTP latency, ingest, scale.

Every figure says how it was measured. Wall times of whole processes come from /usr/bin/time,
latencies from time.perf_counter around real HTTP requests to `kb serve` on 127.0.0.1, medians
over repeated runs. Nothing here asserts a time: the table is for reading, the tests guard behaviour.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.load import free_port, request, wait_for
from bench.scale import measure as measure_scale

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, str(ROOT / "cli.py")]
QUERY = "What conversational approach do Family Safeguarding teams use?"
rows: list[tuple[str, str, str]] = []


def row(name: str, value: str, how: str) -> None:
    rows.append((name, value, how))
    print(f"| {name} | {value} | {how} |", file=sys.stderr, flush=True)


def timed_process(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and max RSS (KB) of one process, from /usr/bin/time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *args], env=env, capture_output=True, text=True, check=True)
    wall, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss)


def questions() -> list[str]:
    """About 100 distinct questions: the development and out-of-scope sets plus corpus phrases."""
    files = (ROOT.parent / "shared" / "eval" / "dev_questions.jsonl", ROOT / "eval" / "out_of_scope.jsonl")
    found = [json.loads(line)["q"] for path in files for line in path.read_text().splitlines() if line.strip()]
    for path in sorted((ROOT / "corpus").glob("*.md")):
        for sentence in re.split(r"(?<=[.?!])\s+", path.read_text(encoding="utf-8")):
            words = sentence.split()
            if len(words) > 8 and not sentence.startswith(("-", "#", "title")):
                found.append(" ".join(words[:8]))
    return list(dict.fromkeys(found))[:100]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def cli_figures(env: dict[str, str], runs: int) -> None:
    onnx = [timed_process([*KB, "search", QUERY, "-k", "5"], env) for _ in range(runs)]
    st_env = {**env, "KB_QUERY_EMBEDDER": "sentence-transformers"}
    torch = [timed_process([*KB, "search", QUERY, "-k", "5"], st_env) for _ in range(runs)]
    a, b = statistics.median(w for w, _ in onnx), statistics.median(w for w, _ in torch)
    how = f"/usr/bin/time, whole process, median of {runs}"
    row("cold `kb search` (ONNX query path)", f"{a:.2f} s, {statistics.median(r for _, r in onnx) / 1024:.0f} MB", how)
    row("cold `kb search` (sentence-transformers)", f"{b:.2f} s, {statistics.median(r for _, r in torch) / 1024:.0f} MB", how)
    row("ratio ONNX / sentence-transformers", f"{a / b:.2f}", "of the two medians above, same run")


def http_figures(env: dict[str, str], seconds: float) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*KB, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(url)
        request(f"{url}/search?q=warm+up")
        qs = questions()
        search, ask = [], []
        for q in qs:
            started = time.perf_counter()
            request(f"{url}/search?{urllib.parse.urlencode({'q': q, 'k': 5})}")
            search.append((time.perf_counter() - started) * 1000)
        for q in qs:
            started = time.perf_counter()
            request(f"{url}/ask", {"question": f"{q}?"})
            ask.append((time.perf_counter() - started) * 1000)
        how = f"one client, {len(qs)} distinct queries (no cache hits), perf_counter per request"
        row("GET /search p50 / p99", f"{statistics.median(search):.1f} / {percentile(search, 0.99):.1f} ms", how)
        row("POST /ask p50 / p99", f"{statistics.median(ask):.1f} / {percentile(ask, 0.99):.1f} ms", how)
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(n: int) -> None:
            i = n
            while time.monotonic() < stop:
                q = qs[i % len(qs)] + " " + str(i)  # distinct, so the query cache does not flatter the figure
                started = time.perf_counter()
                if i % 2:
                    request(f"{url}/ask", {"question": q})
                else:
                    request(f"{url}/search?{urllib.parse.urlencode({'q': q})}")
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                i += 8

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        row(
            "8 concurrent clients (half /search, half /ask)",
            f"{len(latencies) / seconds:.0f} req/s, p50 {statistics.median(latencies):.0f} ms",
            f"{seconds:.0f} s, distinct queries",
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def ingest_figures() -> None:
    from kb.chunking import chunk_document
    from kb.documents import load_document
    from kb.embedding import SentenceTransformerEmbedder, default_embedder
    from kb.ingest import discover, ingest

    files, _, _, _ = discover([ROOT / "corpus"])
    chunks = [c for f in files for c in chunk_document(load_document(f))]
    texts = [c.embed_text for c in chunks] + [q for c in chunks for _, q in c.quotes]
    ordered = sorted(texts, key=len)
    batches = [ordered[i : i + 32] for i in range(0, len(ordered), 32)]

    def own_rate(encode) -> float:  # type: ignore[no-untyped-def]
        encode(batches[0])  # warm up
        started = time.perf_counter()
        for batch in batches:
            encode(batch)
        return len(texts) / (time.perf_counter() - started)

    reference = SentenceTransformerEmbedder()
    onnx = default_embedder()
    st_rate = own_rate(lambda b: reference._model.encode(b, batch_size=32))
    onnx_rate = own_rate(onnx.encode_batch)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        ingest([ROOT / "corpus"], index_dir=Path(scratch) / "index", embedder_factory=lambda: onnx)
        pipeline = len(texts) / (time.perf_counter() - started)
    how = f"{len(texts)} texts (passages and their sentences) of the default corpus, batches of 32 sorted by length, model loaded"
    row("sentence-transformers batch throughput", f"{st_rate:.0f} texts/s", how)
    row("ONNX batch throughput (used for documents)", f"{onnx_rate:.0f} texts/s ({onnx_rate / st_rate:.2f}x)", how)
    row("whole ingest: load, chunk, embed, store", f"{pipeline:.0f} texts/s ({pipeline / onnx_rate:.0%} of the model's own)", how)


def scale_figures(sizes: list[int]) -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    for n in sizes:
        for r in measure_scale(n, rng):
            row(
                f"{r['chunks']:,} chunks, {r['index']}",
                f"p50 {r['p50_ms']} ms, {r['memory_mb']} MB, recall@10 {r['recall@10']}, build {r['build_s']} s",
                "synthetic clustered vectors, 100 single queries, k=10",
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus, index = Path(scratch) / "corpus", Path(scratch) / "index"
        shutil.copytree(ROOT / "corpus", corpus)
        env = {**os.environ, "KB_CORPUS_DIR": str(corpus), "KB_INDEX_DIR": str(index)}
        subprocess.run([*KB, "ingest"], env=env, check=True, capture_output=True)
        cli_figures(env, args.runs)
        http_figures(env, args.seconds)
    ingest_figures()
    scale_figures(args.sizes)
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line), "?"
    )
    print(f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}.\n")
    print("| figure | value | how it was measured |\n|---|---|---|")
    for name, value, how in rows:
        print(f"| {name} | {value} | {how} |")


if __name__ == "__main__":
    main()
