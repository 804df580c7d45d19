"""A conversation: earlier turns, read from the page or a file, and the search a follow-up inherits from them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kb.answering.question import resolve_follow_up
from kb.errors import InvalidInputError


@dataclass(frozen=True)
class Turn:
    """One earlier message in a conversation."""

    role: str  # "user" | "assistant"
    content: str



def read_history(path: Path) -> list[Turn]:
    """Earlier turns from a JSON file: a list of {"role": "user"|"assistant", "content": "..."}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        turns = [Turn(role=str(t["role"]), content=str(t["content"])) for t in data]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(
            f'{path}: expected a JSON list of {{"role": "user"|"assistant", "content": "..."}} ({exc})'
        ) from None
    bad = [t.role for t in turns if t.role not in ("user", "assistant")]
    if bad:
        raise InvalidInputError(f"{path}: unknown role {bad[0]!r}; expected 'user' or 'assistant'")
    return turns


def contextualise(question: str, history: Sequence[Turn]) -> str:
    """The search query for a follow-up: the question read with what earlier user turns were about."""
    return resolve_follow_up(question, [t.content for t in history if t.role == "user"]).search_query
