"""Soak test on loopback: does the server's memory level off under a sustained mixed load with an editor?

Usage: .venv/bin/python -m bench.soak [--clients 16] [--seconds 300]
Starts `kb serve` on a free 127.0.0.1 port with an editor key, over a temporary index built from
corpus/; runs the clients (varied questions to POST /ask, GET /search and GET /documents, so that
caches see new text all the time) and one editor that uploads, replaces, re-describes and deletes a
document through the API; samples the server's resident memory every second. Prints the RSS at the
start, the middle and the end, requests, failures and p50/p99 latency per kind. It stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
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

from bench.load import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
KEY = "soak-editor-key"
MODELS = ["Family Valued", "No Wrong Door", "Family Safeguarding", "Mockingbird", "Family Group Conferences",
          "Motivational Interviewing", "restorative practice", "Signs of Safety", "the Pause programme"]  # fmt: skip
TOPICS = ["children in care", "staff turnover", "caseloads", "residential care", "kinship carers", "agency social workers",
          "school attendance", "care leavers", "court proceedings", "domestic abuse", "parental mental health"]  # fmt: skip
COUNCILS = ["Leeds", "Hertfordshire", "North Yorkshire", "Doncaster", "Stockport", "Camden", "Lincolnshire", "Wigan",
            "Hampshire", "Bracknell Forest", "Redcar and Cleveland", "Durham"]  # fmt: skip
TEMPLATES = [
    "What is {model}?",
    "How does {model} work in {council}?",
    "What did {council} learn about {topic} in {year}?",
    "Which authorities adopted {model} and what happened to {topic}?",
    "What results did {model} have on {topic} by {year}?",
    "how many {topic} were there in {council} before {model}",
    "Who evaluated {model} and what did they find about {topic}?",
]


def question(rng: random.Random) -> str:
    """One of some 80,000 questions, worded as practitioners would."""
    return rng.choice(TEMPLATES).format(
        model=rng.choice(MODELS), council=rng.choice(COUNCILS), topic=rng.choice(TOPICS), year=rng.randrange(2014, 2026)
    )


@dataclass
class SoakReport:
    """What the clients saw and how much memory the server held meanwhile."""

    clients: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)

    def rss_at(self, share: float) -> float:
        """The RSS sample nearest `share` of the run (0 start, 0.5 middle, 1 end)."""
        target = share * self.seconds
        return min(self.rss_mb, key=lambda sample: abs(sample[0] - target))[1]

    def summary(self) -> dict[str, object]:
        result: dict[str, object] = {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": sum(self.counts.values()),
            "by_kind": dict(sorted(self.counts.items())),
            "failed": len(self.failures),
            "rss_mb_start": round(self.rss_at(0), 1),
            "rss_mb_middle": round(self.rss_at(0.5), 1),
            "rss_mb_end": round(self.rss_at(1), 1),
            "rss_mb_max": round(max(mb for _, mb in self.rss_mb), 1),
            "rss_mb_by_tenth": [round(self.rss_at(i / 10), 1) for i in range(11)],
        }
        every = sorted(v for values in self.latencies_ms.values() for v in values)
        for name, values in [("all", every), *sorted(self.latencies_ms.items())]:
            if values:
                ordered = sorted(values)
                result[f"{name}_p50_ms"] = round(statistics.median(ordered), 1)
                result[f"{name}_p99_ms"] = round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1)
        return result


def rss_mb(pid: int) -> float:
    """The process's resident memory, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def call(url: str, *, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None) -> int:
    """Send one request; its status (an error status raises HTTPError)."""
    with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers or {}, method=method), timeout=300) as r:
        r.read()
        return int(r.status)


def multipart(name: str, content: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body with one file and some fields, and its content type."""
    boundary = secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/markdown\r\n\r\n".encode() + content + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def run_soak(*, clients: int, seconds: float, workdir: Path) -> SoakReport:
    """Serve an index of a copy of the corpus and keep it busy for `seconds`."""
    corpus, index = workdir / "corpus", workdir / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    env = {**os.environ, "KB_CORPUS_DIR": str(corpus), "KB_INDEX_DIR": str(index), "KB_API_KEY": KEY}
    kb = [sys.executable, str(ROOT / "cli.py")]
    subprocess.run([*kb, "ingest"], env=env, check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(workdir / "server.log", "wb") as log:
        server = subprocess.Popen([*kb, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    report = SoakReport(clients=clients, seconds=seconds)
    lock = threading.Lock()
    try:
        wait_for(url)
        call(f"{url}/search?q=warm+up")  # load the model before the clock starts
        call(f"{url}/ask", method="POST", body=b'{"question": "What is Family Valued?"}',
             headers={"Content-Type": "application/json"})  # fmt: skip
        started = time.monotonic()
        stop = started + seconds

        def timed(kind: str, send: object) -> None:
            began = time.perf_counter()
            try:
                send()  # type: ignore[operator]
                failure = None
            except (OSError, ValueError) as exc:
                detail = exc.read()[:200].decode(errors="replace") if isinstance(exc, urllib.error.HTTPError) else ""
                failure = f"{kind}: {exc} {detail}"
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                report.counts[kind] = report.counts.get(kind, 0) + 1
                report.latencies_ms.setdefault(kind, []).append(elapsed)
                if failure:
                    report.failures.append(failure)

        def client(number: int) -> None:
            rng = random.Random(number)
            while time.monotonic() < stop:
                text, roll = question(rng), rng.random()
                if roll < 0.5:
                    body = json.dumps({"question": text}).encode()
                    timed("ask", lambda b=body: call(f"{url}/ask", method="POST", body=b,
                                                     headers={"Content-Type": "application/json"}))  # fmt: skip
                elif roll < 0.85:
                    query = urllib.parse.urlencode({"q": text, "k": rng.choice([5, 10, 20])})
                    timed("search", lambda q=query: call(f"{url}/search?{q}"))
                else:
                    timed("documents", lambda: call(f"{url}/documents"))

        def editor() -> None:
            auth = {"Authorization": f"Bearer {KEY}"}
            cycle = 0
            while time.monotonic() < stop:
                cycle += 1
                for replace in ("false", "true"):
                    text = f"# Soak note {cycle}\n\nKinship carers in cycle {cycle} ({replace}) met weekly.\n".encode()
                    body, kind = multipart("soak-note.md", text, {"replace": replace, "doc_type": "news"})
                    timed("upload" if replace == "false" else "replace",
                          lambda b=body, k=kind: call(f"{url}/documents", method="POST", body=b,
                                                      headers={**auth, "Content-Type": k}))  # fmt: skip
                patch = json.dumps({"title": f"Soak note, cycle {cycle}"}).encode()
                timed("re-describe", lambda p=patch: call(f"{url}/documents/soak-note", method="PATCH", body=p,
                                                          headers={**auth, "Content-Type": "application/json"}))  # fmt: skip
                timed("delete", lambda: call(f"{url}/documents/soak-note", method="DELETE", headers=auth))

        def sample() -> None:
            while time.monotonic() < stop + 1:
                report.rss_mb.append((time.monotonic() - started, rss_mb(server.pid)))
                time.sleep(1)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        threads += [threading.Thread(target=editor), threading.Thread(target=sample)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 600)
        report.seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report = run_soak(clients=args.clients, seconds=args.seconds, workdir=Path(scratch))
    print(json.dumps(report.summary(), indent=2))
    for failure in report.failures[:10]:
        print("failed:", failure, file=sys.stderr)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
