"""Bounded load test on loopback: concurrent /search and /ask while an editor adds and removes documents.

Usage: .venv/bin/python -m bench.load [--clients 16] [--seconds 30]
Starts `kb serve` on a free 127.0.0.1 port over a temporary copy of the corpus, runs the clients
for a fixed time while another process repeatedly ingests and removes a document, then prints
requests, failures, p50/p99 latency and throughput. It stops by itself; it only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What is Family Valued?",
    "Which authorities adopt No Wrong Door?",
    "What is a Family Group Conference?",
    "How do Family Safeguarding teams use Motivational Interviewing?",
    "What did the care review say about residential care?",
    "Who chaired the closing session?",
    "What is the capital of France?",
]
CHURN_DOC = "sfpc-programme-case-study.md"


@dataclass
class LoadReport:
    """What the clients saw."""

    clients: int
    seconds: float
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {"search": [], "ask": []})
    ingests: int = 0
    index_versions: set[str] = field(default_factory=set)

    def summary(self) -> dict[str, object]:
        """Counts, throughput and p50/p99 per endpoint."""
        result: dict[str, object] = {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "failed": len(self.failures),
            "throughput_rps": round(self.requests / self.seconds, 1),
            "ingest_cycles": self.ingests,
            "index_versions_seen": len(self.index_versions),
        }
        for name, values in self.latencies_ms.items():
            if values:
                ordered = sorted(values)
                result[f"{name}_p50_ms"] = round(statistics.median(ordered), 1)
                result[f"{name}_p99_ms"] = round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1)
        return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(url: str, payload: dict[str, object] | None = None, timeout: float = 120) -> dict[str, object]:
    data = json.dumps(payload).encode() if payload is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=timeout) as response:
        return json.loads(response.read())


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request(f"{url}/health", timeout=2)
            return
        except (OSError, ValueError):
            time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not start within {seconds} s")


def run_load(*, clients: int, seconds: float, workdir: Path) -> LoadReport:
    """Serve a copy of the corpus and hammer it while documents come and go."""
    corpus, index = workdir / "corpus", workdir / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / CHURN_DOC).unlink()
    env = {**os.environ, "KB_CORPUS_DIR": str(corpus), "KB_INDEX_DIR": str(index)}
    kb = [sys.executable, str(ROOT / "cli.py")]
    subprocess.run([*kb, "ingest"], env=env, check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*kb, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    report = LoadReport(clients=clients, seconds=seconds)
    lock = threading.Lock()
    try:
        wait_for(url)
        request(f"{url}/search?q=warm+up")  # load the model before the clock starts
        stop = time.monotonic() + seconds

        def client(number: int) -> None:
            rng = random.Random(number)
            while time.monotonic() < stop:
                question = rng.choice(QUESTIONS)
                kind = "search" if rng.random() < 0.5 else "ask"
                started = time.perf_counter()
                try:
                    if kind == "search":
                        request(f"{url}/search?{urllib.parse.urlencode({'q': question, 'k': 5})}")
                    else:
                        request(f"{url}/ask", {"question": question})
                    elapsed = (time.perf_counter() - started) * 1000
                    with lock:
                        report.requests += 1
                        report.latencies_ms[kind].append(elapsed)
                except (OSError, ValueError) as exc:
                    with lock:
                        report.requests += 1
                        report.failures.append(f"{kind} {question!r}: {exc}")

        def churn() -> None:
            # An editor adds a document and takes it out again, in other processes, for as long as the load runs.
            while time.monotonic() < stop:
                shutil.copy(ROOT / "corpus" / CHURN_DOC, corpus / CHURN_DOC)
                subprocess.run([*kb, "ingest", str(corpus / CHURN_DOC)], env=env, check=True, capture_output=True)
                subprocess.run([*kb, "remove", Path(CHURN_DOC).stem], env=env, check=True, capture_output=True)
                (corpus / CHURN_DOC).unlink()
                with lock:
                    report.ingests += 1
                    report.index_versions.add(str(request(f"{url}/health")["index_version"]))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)] + [threading.Thread(target=churn)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 300)
        report.seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report = run_load(clients=args.clients, seconds=args.seconds, workdir=Path(scratch))
    print(json.dumps(report.summary(), indent=2))
    for failure in report.failures[:10]:
        print("failed:", failure, file=sys.stderr)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
