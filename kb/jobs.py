"""Uploads indexed in the background, one at a time, so a long document never holds an editor's request open.

Each job's state is a small JSON file beside the index generations (written whole), so a job the server
died in the middle of is still reported after a restart: failed, with what the upload journal's recovery
did (kb/editing.py `recover_edit`: the corpus and the index are left as they were before it).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock
from typing import Any, Literal

from kb.errors import IngestBusyError, KBError, NotFoundError

JobStatus = Literal["queued", "running", "done", "failed"]
KEEP_SECONDS = 7 * 24 * 3600  # a finished job's state is kept this long
WAIT_FOR_EDIT_SECONDS = 120  # a job waits this long for another editor's change to finish before it fails
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
Work = Callable[[Callable[[str, int, int], None]], dict[str, Any]]  # (on_progress) -> the report


@dataclass(frozen=True)
class Job:
    """An upload being indexed: its state, how far it got (0-1), and the report or the error."""

    id: str
    file_name: str
    status: JobStatus
    progress: float
    created_at: str
    finished_at: str | None = None
    report: dict[str, Any] | None = None
    error: str | None = None
    error_code: int | None = None  # the HTTP status a synchronous request would have got (409, 422, 503)
    editor: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def progress_of(stage: str, done: int, total: int) -> float:
    """Embedding is most of the work: it spans 0.1-0.9; reading comes before, writing the index after."""
    if stage == "embedding" and total:
        return round(0.1 + 0.8 * min(done / total, 1.0), 3)
    return 0.05


class Jobs:
    """The background uploads of one server process (one worker thread: edits of the corpus go one at a time)."""

    def __init__(self, folder: Path, *, explain: Callable[[KBError], tuple[int, str]]) -> None:
        self.folder = folder
        self.explain = explain  # a library error as the status and message the API would have answered with
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-upload")
        self._lock = Lock()

    def _path(self, job_id: str) -> Path:
        if not job_id or not set(job_id) <= _ID_CHARS or len(job_id) > 64:
            raise NotFoundError(f"no upload job {job_id[:64]!r}")
        return self.folder / f"{job_id}.json"

    def _save(self, job: Job) -> Job:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(job.id)
        scratch = path.with_name(path.name + ".tmp")
        scratch.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
        os.replace(scratch, path)
        return job

    def get(self, job_id: str) -> Job:
        """A job's state; NotFoundError for an id this server never gave (or one older than a week)."""
        path = self._path(job_id)
        try:
            return Job(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            raise NotFoundError(f"no upload job {job_id!r} (jobs are kept for 7 days)") from None

    def submit(self, file_name: str, work: Work, *, editor: str | None = None) -> Job:
        """Queue `work` (given a progress callback, it returns the ingest report) and return the queued job."""
        self._forget_old()
        job = self._save(Job(secrets.token_urlsafe(12), file_name, "queued", 0.0, _now(), editor=editor))
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job = self._save(replace(job, status="running", progress=0.05))
        last = [0.0]

        def on_progress(stage: str, done: int, total: int) -> None:
            value = progress_of(stage, done, total)
            if value - last[0] >= 0.05 or value >= 0.9:  # the file is rewritten at most ~20 times
                last[0] = value
                self._save(replace(job, progress=value))

        try:
            report = self._waiting_for_other_edits(work, on_progress)
        except KBError as exc:
            code, message = self.explain(exc)
            self._save(replace(job, status="failed", error=message, error_code=code, finished_at=_now()))
        except Exception as exc:  # noqa: BLE001 - a job never dies silently: its state says it failed
            logging.getLogger(__name__).exception("upload job %s failed", job.id)
            message = f"the upload failed on the server ({type(exc).__name__}); the corpus and index are as they were"
            self._save(replace(job, status="failed", error=message, error_code=500, finished_at=_now()))
        else:
            self._save(replace(job, status="done", progress=1.0, report=report, finished_at=_now()))

    @staticmethod
    def _waiting_for_other_edits(work: Work, on_progress: Callable[[str, int, int], None]) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_FOR_EDIT_SECONDS
        while True:
            try:
                return work(on_progress)
            except IngestBusyError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def fail_unfinished(self, why: str) -> list[Job]:
        """At start: jobs the previous process left queued or running are failed, saying why (what recovery did)."""
        failed = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                job = Job(**json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if job.status in ("queued", "running"):
                failed.append(self._save(replace(job, status="failed", error=why, error_code=503, finished_at=_now())))
        return failed

    def _forget_old(self) -> None:
        cutoff = time.time() - KEEP_SECONDS
        for path in self.folder.glob("*.json") if self.folder.is_dir() else []:
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                continue
