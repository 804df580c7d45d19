"""Named editors: each has their own key, of which only a hash is kept (a JSON file beside the index generations).

A key is 32 random bytes, so a plain SHA-256 of it cannot be guessed back; every stored hash is compared
with `hmac.compare_digest` and all of them are compared, so response times tell nothing about any key.
The single KB_API_KEY keeps working as an unnamed editor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kb.errors import ConflictError, InvalidInputError, NotFoundError, StorageError, is_disk_full

KEY_BYTES = 32
_NAME = re.compile(r"^[^\W_][\w .'’-]{0,63}$")  # a person's name: letters, digits, spaces, . ' - (no controls, no markup)


@dataclass(frozen=True)
class Editor:
    """A named editor (without their key)."""

    name: str
    added_at: str


@dataclass(frozen=True)
class Identity:
    """Who sent an editing request: a named editor, or `name=None` for the shared KB_API_KEY."""

    name: str | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _read(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(name): entry for name, entry in data.get("editors", {}).items() if isinstance(entry, dict)}


def _write(path: Path, editors: dict[str, dict[str, str]]) -> None:
    """Replace the file whole (a crash leaves the old one or the new one, never half of either)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    try:
        with open(scratch, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"editors": editors}, ensure_ascii=False, indent=1))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(scratch, 0o600)
        os.replace(scratch, path)
    except OSError as exc:
        scratch.unlink(missing_ok=True)
        why = "the disk is full" if is_disk_full(exc) else f"it cannot be written ({exc.strerror})"
        raise StorageError(f"the editors' file could not be saved: {why}; nothing was changed") from None


def check_name(name: str) -> str:
    """An editor's name as given, trimmed; only letters, digits, spaces and . ' - are allowed."""
    clean = " ".join(name.split())
    if not _NAME.match(clean):
        raise InvalidInputError(
            f"editor name {name[:80]!r} is not allowed: give 1-64 letters, digits, spaces, dots, apostrophes or hyphens"
        )
    return clean


def add_editor(path: Path, name: str) -> tuple[Editor, str]:
    """A new editor and their key (shown once: only its hash is stored)."""
    name = check_name(name)
    editors = _read(path)
    if any(existing.casefold() == name.casefold() for existing in editors):
        raise ConflictError(f"an editor named {name!r} already exists: remove them first to give them a new key")
    key = secrets.token_urlsafe(KEY_BYTES)
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    _write(path, {**editors, name: {"key_sha256": _hash(key), "added_at": added_at}})
    return Editor(name, added_at), key


def list_editors(path: Path) -> list[Editor]:
    """The named editors, in the order they were added."""
    entries = sorted(_read(path).items(), key=lambda item: item[1].get("added_at", ""))
    return [Editor(name, entry.get("added_at", "")) for name, entry in entries]


def remove_editor(path: Path, name: str) -> Editor:
    """Take an editor's key away (their name stays in the history of what they did)."""
    editors = _read(path)
    found = next((existing for existing in editors if existing.casefold() == " ".join(name.split()).casefold()), None)
    if found is None:
        known = ", ".join(editors) or "none yet"
        raise NotFoundError(f"no editor named {name!r}; editors: {known}")
    entry = editors.pop(found)
    _write(path, editors)
    return Editor(found, entry.get("added_at", ""))


def has_editors(path: Path) -> bool:
    """Whether any named editor may edit (editing is on with them even without KB_API_KEY)."""
    return bool(_read(path))


def identify(path: Path, shared_key: str | None, key: str) -> Identity | None:
    """The editor whose key this is, or None; every stored hash and the shared key are compared in constant time."""
    presented = _hash(key).encode()
    found: Identity | None = None
    for name, entry in _read(path).items():
        if hmac.compare_digest(presented, str(entry.get("key_sha256", "")).encode()) and found is None:
            found = Identity(name)
    if shared_key is not None and hmac.compare_digest(key.encode(), shared_key.encode()) and found is None:
        found = Identity(None)
    return found
