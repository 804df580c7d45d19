"""Gaps: the questions practitioners asked and did not get an answer to, grouped into topics an editor can act on.

A question is kept when it was refused, answered only in part, or its answer was marked not helpful, never
when the answer is a safeguarding reply. Before anything is stored, e-mail addresses, phone numbers and
dates (a date of birth cannot be told from any other date) are masked; questions older than KB_GAPS_DAYS
are deleted. They live in their own SQLite file beside the index generations, like feedback.

Topics are made when they are read: questions, oldest first, join the topic whose mean vector is nearest if
its cosine similarity reaches SIMILAR, or start their own (greedy clustering on the bundled model's vectors).
A topic is named after its question nearest that mean; its id is the id of its first question.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from kb.errors import NotFoundError, StorageError, is_disk_full
from kb.feedback import open_kept

SIMILAR = 0.7  # cosine similarity of a question to a topic's mean vector for it to join the topic
Reason = Literal["refused", "partly not covered", "not helpful"]
Status = Literal["open", "answered"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '{}',
    index_version TEXT,
    reason TEXT NOT NULL,
    vector BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',  -- open, answered, dismissed
    answer TEXT
);
"""

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d\s().-]{8,}\d(?!\w)")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)


class AnswerLike(Protocol):
    """What `gap_reason` reads of an answer (kb.answering.compose.Answer)."""

    @property
    def confident(self) -> bool: ...

    @property
    def not_covered(self) -> list[str]: ...

    @property
    def safeguarding(self) -> bool: ...


@dataclass(frozen=True)
class Topic:
    """Similar questions that did not get an answer, most asked first."""

    id: int
    label: str
    count: int
    questions: list[str]
    first_asked: str
    last_asked: str
    reasons: dict[str, int]
    status: Status
    answer: str | None = None  # the answer they now get, once a recheck found them answered
    filters: list[dict[str, list[str]]] = field(default_factory=list)  # the filters they were asked with, where any


def mask_personal_details(text: str) -> str:
    """The question with e-mail addresses, phone numbers and dates replaced by [email], [phone] and [date]."""
    text = _EMAIL.sub("[email]", text)
    text = _DATE.sub("[date]", text)
    return _PHONE.sub(lambda m: "[phone]" if 10 <= sum(c.isdigit() for c in m.group()) <= 15 else m.group(), text)


def gap_reason(answer: AnswerLike) -> Reason | None:
    """Why an answer makes its question a gap, or None. A safeguarding reply is never kept (it is not a gap
    in the publications, and its question may say more about a child than any other)."""
    if answer.safeguarding:
        return None
    if not answer.confident:
        return "refused"
    if answer.not_covered:
        return "partly not covered"
    return None


def is_kept_as_gap(answer: AnswerLike) -> bool:
    """Whether the question of this answer is kept as a gap."""
    return gap_reason(answer) is not None


def _connect(path: Path) -> sqlite3.Connection:
    return open_kept(path, SCHEMA)


def _forget_old(conn: sqlite3.Connection, days: int) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with conn:
        conn.execute("DELETE FROM gaps WHERE asked_at < ?", (cutoff,))


def record_gap(
    path: Path,
    *,
    question: str,
    reason: Reason,
    embed: Callable[[str], np.ndarray],
    filters: dict[str, list[str]] | None = None,
    index_version: str | None = None,
    days: int = 90,
) -> None:
    """Keep one unanswered question, masked (and embedded as masked); questions older than `days` go."""
    masked = mask_personal_details(" ".join(question.split()))
    vector = np.asarray(embed(masked), dtype=np.float32)
    asked_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        conn = _connect(path)
        try:
            _forget_old(conn, days)
            with conn:
                conn.execute(
                    "INSERT INTO gaps (question, asked_at, filters, index_version, reason, vector) VALUES (?, ?, ?, ?, ?, ?)",
                    (masked, asked_at, json.dumps(filters or {}), index_version, reason, vector.tobytes()),
                )
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        why = "the disk is full" if is_disk_full(exc) else f"it cannot be written ({exc})"
        raise StorageError(f"the unanswered question could not be kept: {why}") from None


def _rows(path: Path, days: int) -> list[sqlite3.Row]:
    if not path.exists():
        return []
    conn = _connect(path)
    try:
        _forget_old(conn, days)
        return conn.execute("SELECT * FROM gaps WHERE status != 'dismissed' ORDER BY id").fetchall()
    finally:
        conn.close()


def _clusters(rows: list[sqlite3.Row]) -> list[list[sqlite3.Row]]:
    """Greedy clustering: each question joins the nearest topic mean at SIMILAR or above, or starts a topic."""
    members: list[list[sqlite3.Row]] = []
    sums: list[np.ndarray] = []
    for row in rows:
        vector = np.frombuffer(row["vector"], dtype=np.float32)
        best, score = -1, SIMILAR
        for index, total in enumerate(sums):
            similarity = float(vector @ total) / max(float(np.linalg.norm(total)), 1e-12)
            if similarity >= score:
                best, score = index, similarity
        if best < 0:
            members.append([row])
            sums.append(vector.copy())
        else:
            members[best].append(row)
            sums[best] += vector
    return members


def _topic(rows: list[sqlite3.Row]) -> Topic:
    vectors = np.stack([np.frombuffer(r["vector"], dtype=np.float32) for r in rows])
    nearest = rows[int(np.argmax(vectors @ vectors.mean(axis=0)))]
    asked = Counter(r["question"] for r in rows)
    answered = [r for r in rows if r["status"] == "answered"]
    filters = [json.loads(r["filters"]) for r in rows]
    return Topic(
        id=rows[0]["id"],
        label=nearest["question"],
        count=len(rows),
        questions=[q for q, _ in asked.most_common()],
        first_asked=rows[0]["asked_at"],
        last_asked=rows[-1]["asked_at"],
        reasons=dict(Counter(r["reason"] for r in rows).most_common()),
        status="answered" if len(answered) == len(rows) else "open",
        answer=answered[-1]["answer"] if len(answered) == len(rows) else None,
        filters=[f for i, f in enumerate(filters) if f and f not in filters[:i]],
    )


def gap_topics(path: Path, *, days: int = 90) -> list[Topic]:
    """The topics of unanswered questions (dismissed ones left out), most asked first, then most recent."""
    topics = [_topic(rows) for rows in _clusters(_rows(path, days))]
    return sorted(topics, key=lambda t: (t.count, t.last_asked), reverse=True)


def _topic_rows(path: Path, topic_id: int, days: int) -> list[sqlite3.Row]:
    for rows in _clusters(_rows(path, days)):
        if rows[0]["id"] == topic_id:
            return rows
    raise NotFoundError(f"no open or answered gap topic with id {topic_id} (GET /gaps lists them)")


def _set_status(path: Path, ids: list[int], status: str, answer: str | None = None) -> None:
    conn = _connect(path)
    try:
        with conn:
            conn.executemany("UPDATE gaps SET status = ?, answer = ? WHERE id = ?", [(status, answer, i) for i in ids])
    finally:
        conn.close()


def dismiss_topic(path: Path, topic_id: int, *, days: int = 90) -> Topic:
    """Hide a topic an editor has dealt with (or will not); a new question like it starts a new topic."""
    rows = _topic_rows(path, topic_id, days)
    _set_status(path, [r["id"] for r in rows], "dismissed")
    return _topic(rows)


def recheck_gaps(path: Path, ask: Callable[[str, dict[str, list[str]]], Any], *, days: int = 90) -> list[Topic]:
    """Ask each open topic's questions again (with the filters they were asked with); a topic whose questions all
    get confident answers now is marked answered, with the answer to its first question. The topics after."""
    for rows in _clusters(_rows(path, days)):
        pending = [r for r in rows if r["status"] != "answered"]
        if not pending:
            continue
        answers = {}
        for row in pending:
            asked = (row["question"], row["filters"])
            if asked not in answers:
                answers[asked] = ask(row["question"], json.loads(row["filters"]))
        if all(a.confident and not a.not_covered and not getattr(a, "safeguarding", False) for a in answers.values()):
            _set_status(path, [r["id"] for r in pending], "answered", next(iter(answers.values())).answer)
    return gap_topics(path, days=days)
