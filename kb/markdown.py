"""Markdown and plain text: front matter, headings as sections, list items, transcript speakers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from kb.errors import DocumentError
from kb.text_blocks import Block, cell_value, normalise_text

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_SPEAKER = re.compile(r"^([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}):\s+(\S.*)$", re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")  # "|---|:--:|" under a table's first row


class _MetadataLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written: '2024-02-30' reaches the date check instead of failing in the parser."""


_MetadataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml_mapping(path: Path, text: str) -> dict[str, Any]:
    """A YAML mapping of metadata (front matter or a sidecar), or DocumentError saying what is wrong."""
    try:
        data = yaml.load(text, Loader=_MetadataLoader) or {}  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DocumentError(str(path), f"metadata is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DocumentError(str(path), "metadata must be a YAML mapping of field: value")
    return {str(k): v for k, v in data.items()}


def split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.DOTALL)
    if not match:
        raise DocumentError(str(path), "front matter starts with '---' but has no closing '---' line")
    return parse_yaml_mapping(path, match.group(1)), text[match.end() :]


def _clean_inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return normalise_text(re.sub(r"\s*\n\s*", " ", text))


def looks_like_transcript(body: str) -> bool:
    """Is most of the text turns by named speakers ("Sam Hollis: Welcome ...")? Four turns at least."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip() and not _HEADING.match(p.strip())]
    turns = sum(bool(_SPEAKER.match(p)) for p in paragraphs)
    return turns >= 4 and turns >= 0.5 * len(paragraphs)


def markdown_blocks(body: str, *, is_transcript: bool) -> tuple[list[Block], str | None]:
    """Paragraphs and list items with their heading path; transcript turns carry their speaker."""
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    first_heading: str | None = None
    speaker: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal speaker
        text = _clean_inline("\n".join(paragraph))
        paragraph.clear()
        if not text:
            return
        section = tuple(h for _, h in headings)
        new_turn = False
        if is_transcript:
            match = _SPEAKER.match(text)
            if match:
                speaker, new_turn = match.group(1), True
        blocks.append(Block(text=text, section=section, speaker=speaker if is_transcript else None, new_turn=new_turn))

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, title = len(heading.group(1)), _clean_inline(heading.group(2))
            first_heading = first_heading or title
            headings[:] = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, title)]
            speaker = None
        elif not line.strip():
            flush()
        elif row := _TABLE_ROW.match(line):
            # A table row is a paragraph of its own, its cells as the other formats give them ("2021 | 735").
            flush()
            if not _TABLE_RULE.match(line):
                paragraph.append(" | ".join(cell_value(cell.strip()) for cell in row.group(1).split("|")))
                flush()
        elif _LIST_ITEM.match(line):
            flush()
            paragraph.append(line.strip())
        else:
            paragraph.append(line)
    flush()
    return blocks, first_heading
