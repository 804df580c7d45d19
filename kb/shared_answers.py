"""Shared answers: an answer the server gave, kept under a link a colleague can open later.

Only answers the server composed itself are kept (the shell asks, then keeps the result), so nobody can publish
a fabricated answer under the knowledge base's name. Each citation keeps the version of the publication it quoted
(the document's content hash); when the answer is read back, each says whether that publication is still
`current`, was `replaced` by another version, or was `deleted`. The file lives beside the index generations,
like feedback, so re-indexing never touches it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from kb.errors import InvalidInputError, NotFoundError, StorageError, is_disk_full
from kb.feedback import open_kept

Status = Literal["current", "replaced", "deleted"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS shared_answers (
    id TEXT PRIMARY KEY,
    answer TEXT NOT NULL,            -- the answer as the API gave it (JSON)
    versions TEXT NOT NULL,          -- {doc_id: content hash} of the publications it cites
    index_version TEXT,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SharedCitation:
    """A kept citation, with the version of the publication it quotes and whether that version is still indexed."""

    citation: dict[str, Any]
    version: str | None
    status: Status
    current_title: str | None = None  # the publication's title now, when it is still indexed


@dataclass(frozen=True)
class SharedAnswer:
    """A kept answer as it was given, and its citations' status against the index as it is now."""

    id: str
    answer: dict[str, Any]
    citations: list[SharedCitation] = field(default_factory=list)
    index_version: str | None = None
    created_at: str = ""

    @property
    def changed(self) -> bool:
        """Whether a publication it quotes has since been replaced or deleted."""
        return any(c.status != "current" for c in self.citations)


def _connect(path: Path) -> sqlite3.Connection:
    return open_kept(path, SCHEMA)


def keep_answer(
    path: Path, *, answer: Mapping[str, Any], versions: Mapping[str, str], index_version: str | None
) -> SharedAnswer:
    """Keep an answer the server gave (with the content hashes of the documents it cites) under a new random id."""
    if answer.get("safeguarding"):
        raise InvalidInputError(
            "a safeguarding response is never kept or shared: questions that report a risk to someone are never stored"
        )
    answer_id = secrets.token_urlsafe(9)  # 72 random bits: a link cannot be guessed from another
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        conn = _connect(path)
        try:
            with conn:
                conn.execute(
                    "INSERT INTO shared_answers (id, answer, versions, index_version, created_at) VALUES (?, ?, ?, ?, ?)",
                    (answer_id, json.dumps(dict(answer)), json.dumps(dict(versions)), index_version, created_at),
                )
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        why = "the disk is full" if is_disk_full(exc) else f"it cannot be written ({exc})"
        raise StorageError(f"the answer could not be kept: {why}; nothing was stored") from None
    return read_answer(path, answer_id, current=versions)


def read_answer(
    path: Path, answer_id: str, *, current: Mapping[str, str], titles: Mapping[str, str] | None = None
) -> SharedAnswer:
    """A kept answer, its citations marked against `current` ({doc_id: content hash} of the live index)."""
    row = None
    if path.exists():
        conn = _connect(path)
        try:
            row = conn.execute("SELECT * FROM shared_answers WHERE id = ?", (answer_id,)).fetchone()
        finally:
            conn.close()
    if row is None:
        raise NotFoundError("this shared answer does not exist: the link may be mistyped, or an editor removed it")
    answer, versions = json.loads(row["answer"]), json.loads(row["versions"])
    titles = titles or {}
    citations = []
    for citation in answer.get("citations", []):
        doc_id = citation.get("doc_id", "")
        version = versions.get(doc_id)
        now = current.get(doc_id)
        status: Status = "deleted" if now is None else "current" if now == version else "replaced"
        citations.append(SharedCitation(citation, version, status, titles.get(doc_id) if now else None))
    return SharedAnswer(row["id"], answer, citations, row["index_version"], row["created_at"])


def remove_answer(path: Path, answer_id: str) -> None:
    """Delete a kept answer (an editor's decision); its link then says it was removed."""
    removed = 0
    if path.exists():
        conn = _connect(path)
        try:
            with conn:
                removed = conn.execute("DELETE FROM shared_answers WHERE id = ?", (answer_id,)).rowcount
        finally:
            conn.close()
    if not removed:
        raise NotFoundError(f"no shared answer with id {answer_id!r}")
