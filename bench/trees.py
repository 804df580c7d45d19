"""An earlier commit checked out beside this tree, and `kb ingest` run with a given tree's own code: what the
benches that compare this tree with a baseline share."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def baseline_tree(revision: str, scratch: Path) -> Iterator[Path]:
    """`revision` checked out (detached) in `scratch`/baseline, removed afterwards."""
    tree = scratch / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(tree), revision], check=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)


def ingest(tree: Path, index: Path, sources: list[Path]) -> None:
    """`kb ingest` of `sources` into `index` with that tree's code (its cli.py, its kb on PYTHONPATH)."""
    env = {**os.environ, "KB_INDEX_DIR": str(index), "PYTHONPATH": str(tree)}
    command = [sys.executable, str(tree / "cli.py"), "ingest", *map(str, sources)]
    subprocess.run(command, env=env, cwd=tree, check=True, stdout=subprocess.DEVNULL)
