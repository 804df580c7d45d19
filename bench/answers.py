"""POST /ask latency of this tree against an earlier commit, measured in one run (medians and their ratio).

Both servers run on 127.0.0.1 over the same index-building corpus; requests alternate between them so
that machine noise hits both alike. Usage: python -m bench.answers --baseline REV [--rounds N].
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import free_port, request, wait_for
from bench.run import questions

ROOT = Path(__file__).resolve().parent.parent


def start(tree: Path, scratch: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    """Index a copy of the corpus with that tree's code and serve it."""
    corpus, index = scratch / f"{name}-corpus", scratch / f"{name}-index"
    shutil.copytree(ROOT / "corpus", corpus)
    env = {**os.environ, "KB_CORPUS_DIR": str(corpus), "KB_INDEX_DIR": str(index), "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, str(tree / "cli.py"), "ingest"], env=env, check=True, capture_output=True, cwd=tree)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(tree / "cli.py"), "serve", "--port", str(port)], env=env, cwd=tree, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url)
    return server, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="The commit to compare with (e.g. the last before a change).")
    parser.add_argument("--rounds", type=int, default=3, help="How many times every question is asked of each server.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        baseline = scratch / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True, capture_output=True
        )
        servers = []
        try:
            servers = [start(baseline, scratch, "baseline"), start(ROOT, scratch, "current")]
            qs = questions()
            timings: dict[str, list[float]] = {"baseline": [], "current": []}
            for _ in range(args.rounds):
                for q in qs:
                    for name, (_, url) in zip(("baseline", "current"), servers, strict=True):
                        started = time.perf_counter()
                        request(f"{url}/ask", {"question": f"{q}?"})
                        timings[name].append((time.perf_counter() - started) * 1000)
            medians = {name: statistics.median(values) for name, values in timings.items()}
            print(
                json.dumps(
                    {
                        "requests_each": len(timings["current"]),
                        "baseline": args.baseline,
                        "p50_ms": {k: round(v, 2) for k, v in medians.items()},
                        "ratio": round(medians["current"] / medians["baseline"], 3),
                    },
                    indent=2,
                )
            )
        finally:
            for server, _ in servers:
                server.terminate()
                server.wait()
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, capture_output=True)


if __name__ == "__main__":
    main()
