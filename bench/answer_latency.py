"""Answer latency on the development library: this tree against an earlier commit, measured in one run.

    python -m bench.answer_latency --baseline REV [--index DIR] [--baseline-index DIR] [--rounds 3]

Both trees answer the same 120 questions of ../shared/library/questions.jsonl with `kb.knowledge_base.ask` (what
POST /ask runs, without HTTP), each over an index of corpus/ and the library that it built itself (the trees may
chunk differently; an index missing or not given is built in a temporary folder, about five minutes each). Rounds
alternate between the trees, each in a fresh process that first answers 10 questions to warm up, so that machine
noise hits both alike; the medians and their ratio are printed (read the ratio: absolute times vary between runs
on these machines).
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

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "library" / "questions.jsonl"
TIMING = """
import json, sys, time
from pathlib import Path
from kb.knowledge_base import KnowledgeBase, ask
questions = [json.loads(line)["q"] for line in open(sys.argv[2])][:120]
kb = KnowledgeBase(Path(sys.argv[1]))
for q in questions[:10]:
    ask(kb, q)
times = []
for q in questions:
    start = time.perf_counter()
    ask(kb, q)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def round_times(tree: Path, index: Path) -> list[float]:
    """One round: the seconds each question took with that tree's code."""
    # Run in the tree: `python -c` puts the working directory first on sys.path, before PYTHONPATH, so run from the
    # project root the baseline would import this tree's kb (as every run before this line did).
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-c", TIMING, str(index.resolve()), str(QUESTIONS)]
    out = subprocess.run(command, env=env, cwd=tree, check=True, capture_output=True, text=True)
    return [float(t) for t in json.loads(out.stdout.strip().splitlines()[-1])]


def build_index(tree: Path, index: Path) -> Path:
    """`index`, built by that tree's own `kb ingest` of corpus/ and the library when it holds no index yet."""
    if not (index / "CURRENT").exists():
        env = {**os.environ, "KB_INDEX_DIR": str(index), "PYTHONPATH": str(tree)}
        docs = ROOT.parent / "shared" / "library" / "docs"
        command = [sys.executable, str(tree / "cli.py"), "ingest", str(ROOT / "corpus"), str(docs)]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare with (e.g. e6967bf)")
    parser.add_argument("--index", type=Path, help="an index of corpus/ and ../shared/library/docs built by this tree")
    parser.add_argument("--baseline-index", type=Path, help="the same, built by the baseline")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(baseline), args.baseline], check=True)
        try:
            indexes = {
                "before": build_index(baseline, args.baseline_index or Path(scratch) / "index-before"),
                "now": build_index(ROOT, args.index or Path(scratch) / "index-now"),
            }
            times: dict[str, list[float]] = {"before": [], "now": []}
            for number in range(1, args.rounds + 1):
                for name, tree in (("before", baseline), ("now", ROOT)):
                    times[name] += round_times(tree, indexes[name])
                print(f"round {number}/{args.rounds} done", file=sys.stderr)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)], check=False)
    before, now = statistics.median(times["before"]) * 1000, statistics.median(times["now"]) * 1000
    answers = len(times["now"])
    ratio = now / before
    print(f"ask() p50 over {answers} answers: before ({args.baseline}) {before:.1f} ms, now {now:.1f} ms, ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
