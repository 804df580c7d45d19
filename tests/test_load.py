"""A short version of bench/load.py: concurrent clients during ingests see no failed request."""

from __future__ import annotations

from pathlib import Path

from bench.load import run_load


def test_no_request_fails_while_documents_come_and_go(tmp_path: Path) -> None:
    report = run_load(clients=4, seconds=12, workdir=tmp_path)
    assert report.failures == []
    assert report.requests > 10
    assert report.ingests >= 1  # at least one add-and-remove cycle ran during the load
    assert len(report.index_versions) >= 1
