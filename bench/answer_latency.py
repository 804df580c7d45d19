"""Answer latency on the development library: this tree against an earlier commit, measured in one run.

    python -m bench.answer_latency --baseline REV [--index DIR] [--baseline-index DIR] [--rounds 3]

Both trees answer the same 120 questions of ../shared/library/questions.jsonl with `kb.knowledge_base.ask` (what
POST /ask runs, without HTTP), each over an index of corpus/ and the library that it built itself (the trees may
chunk differently; an index missing or not given is built in a temporary folder, about five minutes each). Each
round starts one fresh process per tree, which first answers 10 questions to warm up; then the two take each
question in turn, so that a burst of machine noise hits both alike (rounds of one tree after the other varied by
a quarter on these machines). Per round and overall, the medians and their ratio are printed: read the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.trees import ROOT, baseline_tree, ingest

QUESTIONS = ROOT.parent / "shared" / "library" / "questions.jsonl"
WORKER = """
import json, sys, time
from pathlib import Path
from kb.knowledge_base import KnowledgeBase, ask
kb = KnowledgeBase(Path(sys.argv[1]))
for line in sys.stdin:
    start = time.perf_counter()
    ask(kb, json.loads(line))
    print(time.perf_counter() - start, flush=True)
"""


class Worker:
    """A process answering with one tree's code: a question in on stdin, its seconds out on stdout."""

    def __init__(self, tree: Path, index: Path) -> None:
        # Run in the tree: `python -c` puts the working directory first on sys.path, before PYTHONPATH, so run from
        # the project root the baseline would import this tree's kb.
        env = {**os.environ, "PYTHONPATH": str(tree)}
        command = [sys.executable, "-c", WORKER, str(index.resolve())]
        self.process = subprocess.Popen(command, env=env, cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def seconds(self, question: str) -> float:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(question) + "\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def round_times(trees: dict[str, tuple[Path, Path]], questions: list[str]) -> dict[str, list[float]]:
    """One round: fresh processes per tree, warmed up on 10 questions, then taking each question in turn."""
    workers = {name: Worker(tree, index) for name, (tree, index) in trees.items()}
    try:
        for question in questions[:10]:
            for worker in workers.values():
                worker.seconds(question)
        times: dict[str, list[float]] = {name: [] for name in workers}
        for question in questions:
            for name, worker in workers.items():
                times[name].append(worker.seconds(question))
        return times
    finally:
        for worker in workers.values():
            worker.close()


def build_index(tree: Path, index: Path) -> Path:
    """`index`, built by that tree's own `kb ingest` of corpus/ and the library when it holds no index yet."""
    if not (index / "CURRENT").exists():
        ingest(tree, index, [ROOT / "corpus", ROOT.parent / "shared" / "library" / "docs"])
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare with (e.g. e6967bf)")
    parser.add_argument("--index", type=Path, help="an index of corpus/ and ../shared/library/docs built by this tree")
    parser.add_argument("--baseline-index", type=Path, help="the same, built by the baseline")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, baseline_tree(args.baseline, Path(scratch)) as baseline:
        indexes = {
            "before": build_index(baseline, args.baseline_index or Path(scratch) / "index-before"),
            "now": build_index(ROOT, args.index or Path(scratch) / "index-now"),
        }
        questions = [json.loads(line)["q"] for line in QUESTIONS.open(encoding="utf-8")][:120]
        trees = {"before": (baseline, indexes["before"]), "now": (ROOT, indexes["now"])}
        times: dict[str, list[float]] = {"before": [], "now": []}
        for number in range(1, args.rounds + 1):
            this_round = round_times(trees, questions)
            for name, seconds in this_round.items():
                times[name] += seconds
            p50 = {name: statistics.median(seconds) * 1000 for name, seconds in this_round.items()}
            print(
                f"round {number}/{args.rounds}: p50 before {p50['before']:.1f} ms, now {p50['now']:.1f} ms, "
                f"ratio {p50['now'] / p50['before']:.2f}",
                file=sys.stderr,
            )
    before, now = statistics.median(times["before"]) * 1000, statistics.median(times["now"]) * 1000
    answers = len(times["now"])
    ratio = now / before
    print(f"ask() p50 over {answers} answers: before ({args.baseline}) {before:.1f} ms, now {now:.1f} ms, ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
