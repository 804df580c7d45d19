"""Practitioners' feedback on answers (helpful or not, with a comment), kept in its own SQLite file.

The file lives apart from the index generations, so re-indexing never touches it; each entry records the
index version the answer came from, so an editor can tell whether a later ingest may have changed it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock
from typing import Any

from kb.errors import InvalidInputError, StorageError, is_disk_full

MAX_QUESTION_CHARS = 1_000
MAX_ANSWER_CHARS = 20_000
MAX_COMMENT_CHARS = 2_000
MAX_CITATIONS = 50

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT,
    citations TEXT NOT NULL DEFAULT '[]',
    filters TEXT NOT NULL DEFAULT '{}',
    index_version TEXT,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Feedback:
    """One practitioner's verdict on one answer."""

    id: int
    question: str
    answer: str
    helpful: bool
    comment: str | None
    citations: list[dict[str, Any]] = field(default_factory=list)  # what the answer cited: n, doc_id, chunk_id, title, page
    filters: dict[str, list[str]] = field(default_factory=dict)
    index_version: str | None = None
    created_at: str = ""


def open_kept(path: Path, schema: str) -> sqlite3.Connection:
    """A SQLite file kept beside the index generations (feedback, gaps, shared answers), its tables made if new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.executescript(schema)
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    return open_kept(path, SCHEMA)


def record_feedback(
    path: Path,
    *,
    question: str,
    answer: str,
    helpful: bool,
    comment: str | None = None,
    citations: Sequence[dict[str, Any]] = (),
    filters: dict[str, list[str]] | None = None,
    index_version: str | None = None,
) -> Feedback:
    """Store one piece of feedback and return it with its id and time."""
    question, comment = question.strip(), (comment or "").strip() or None
    if not question:
        raise InvalidInputError("feedback needs the question the answer was for")
    for name, value, limit in (
        ("question", question, MAX_QUESTION_CHARS),
        ("answer", answer, MAX_ANSWER_CHARS),
        ("comment", comment or "", MAX_COMMENT_CHARS),
    ):
        if len(value) > limit:
            raise InvalidInputError(f"the {name} is {len(value)} characters long; the limit is {limit}")
    if len(citations) > MAX_CITATIONS:
        raise InvalidInputError(f"{len(citations)} citations given; the limit is {MAX_CITATIONS}")
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        conn = _connect(path)
        try:
            with conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (question, answer, helpful, comment, citations, filters, index_version, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (question, answer, int(helpful), comment, json.dumps(list(citations)), json.dumps(filters or {}))
                    + (index_version, created_at),
                )
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        why = "the disk is full" if is_disk_full(exc) else f"it cannot be written ({exc})"
        raise StorageError(f"the feedback could not be saved: {why}; nothing was stored") from None
    return Feedback(
        int(cursor.lastrowid or 0), question, answer, helpful, comment, list(citations), filters or {}, index_version, created_at
    )


def list_feedback(path: Path, *, limit: int = 100, helpful: bool | None = None) -> list[Feedback]:
    """The newest feedback first; only the helpful (or unhelpful) ones if asked."""
    if not path.exists():
        return []
    conn = _connect(path)
    try:
        where, params = ("", []) if helpful is None else (" WHERE helpful = ?", [int(helpful)])
        rows = conn.execute(f"SELECT * FROM feedback{where} ORDER BY id DESC LIMIT ?", [*params, limit]).fetchall()
    finally:
        conn.close()
    return [
        Feedback(
            id=r["id"],
            question=r["question"],
            answer=r["answer"],
            helpful=bool(r["helpful"]),
            comment=r["comment"],
            citations=json.loads(r["citations"]),
            filters=json.loads(r["filters"]),
            index_version=r["index_version"],
            created_at=r["created_at"],
        )
        for r in rows
    ]


class RateLimit:
    """At most `events` per `seconds` for each client (a sliding window kept in memory, per process)."""

    def __init__(self, events: int, seconds: float) -> None:
        self.events, self.seconds = events, seconds
        self._seen: dict[str, deque[float]] = {}
        self._lock = Lock()

    def retry_after(self, client: str) -> float:
        """0 if the client may go ahead now (and counts this event), else seconds until it may."""
        now = time.monotonic()
        with self._lock:
            window = self._seen.setdefault(client, deque())
            while window and window[0] <= now - self.seconds:
                window.popleft()
            if len(window) >= self.events:
                return window[0] + self.seconds - now
            window.append(now)
            if len(self._seen) > 10_000:  # forget idle clients so the table stays small
                self._seen = {c: w for c, w in self._seen.items() if w and w[-1] > now - self.seconds}
            return 0.0
