"""Word's list numbering as Word shows it: "1.", "2." ... before the items of a numbered list, a dash before a bullet's.

python-docx gives a paragraph's text without its number: the number lives in the document's numbering part (a list
instance, `w:num`, points at an abstract list whose levels say the format, the text around the number and where it
starts) and is counted as Word counts it, across every paragraph of the same abstract list, a level's count
restarting under a new item of the level above it, or where a list instance overrides its start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kb.chunking import LIST_ITEM_MARKER

BULLET = "-"  # how a bullet (or a numbering this reader does not spell out) is written before its item
_NUMBER_FORMATS = frozenset({"decimal", "decimalZero"})
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class _Level:
    number_format: str
    text: str  # "%1.", "%1)", "%1.%2." ...
    start: int


class Numbering:
    """The numbers of one document's list paragraphs, read in order (each call to `marker` counts an item)."""

    def __init__(self, document: Any) -> None:
        self._abstract_of: dict[str, str] = {}
        self._start_overrides: dict[str, dict[int, int]] = {}
        self._levels: dict[str, dict[int, _Level]] = {}
        self._counts: dict[str, dict[int, int]] = {}
        self._last_instance: dict[str, str] = {}
        self._style_numbering: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # no numbering part: every list is bulleted
            root = None
        if root is not None:
            self._read(root)
        for style in document.styles:
            found = _style_numbering(style)
            if found:
                self._style_numbering[style.style_id] = found

    def _read(self, root: Any) -> None:
        for abstract in root.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for level in abstract.iterchildren(f"{_W}lvl"):
                levels[int(level.get(f"{_W}ilvl", "0"))] = _Level(
                    number_format=_value(level, "numFmt") or "decimal",
                    text=_value(level, "lvlText") or "",
                    start=int(_value(level, "start") or 1),
                )
            self._levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for instance in root.iterchildren(f"{_W}num"):
            num_id = instance.get(f"{_W}numId", "")
            self._abstract_of[num_id] = _value(instance, "abstractNumId") or ""
            overrides = {}
            for override in instance.iterchildren(f"{_W}lvlOverride"):
                start = _value(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start)
            self._start_overrides[num_id] = overrides

    def marker(self, paragraph: Any, style_id: str | None) -> str:
        """The marker Word draws before a list paragraph: "3." for the third item of a numbered list, else a dash."""
        num_id, level = _paragraph_numbering(paragraph) or self._style_numbering.get(style_id or "", ("", 0))
        abstract = self._abstract_of.get(num_id)
        spec = self._levels.get(abstract or "", {}).get(level)
        if abstract is None or spec is None:
            return BULLET
        counts = self._counts.setdefault(abstract, {})
        overrides = self._start_overrides.get(num_id, {})
        if self._last_instance.get(abstract) != num_id and level in overrides:
            counts[level] = overrides[level] - 1  # a list instance that restarts the count
        self._last_instance[abstract] = num_id
        counts[level] = counts[level] + 1 if level in counts else spec.start
        for deeper in [lvl for lvl in counts if lvl > level]:
            del counts[deeper]  # an item of this level restarts the levels under it
        if spec.number_format not in _NUMBER_FORMATS:
            return BULLET
        written = re.sub(r"%(\d)", lambda m: str(counts.get(int(m.group(1)) - 1, 1)), spec.text)
        # Only a number the chunker and the answer units read as one ("3.", "3)"; not "1.2."): others as bullets.
        return written if LIST_ITEM_MARKER.fullmatch(f"{written} ") else BULLET


def _value(element: Any, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")


def _numbering_in(properties: Any) -> tuple[str, int] | None:
    """The list instance and level that paragraph properties (a paragraph's or a style's `w:pPr`) set, if any."""
    numbering = properties.numPr if properties is not None else None
    if numbering is None or numbering.numId is None:
        return None
    level = numbering.ilvl.val if numbering.ilvl is not None else 0
    return str(numbering.numId.val), int(level)


def _paragraph_numbering(paragraph: Any) -> tuple[str, int] | None:
    """The list instance and level set on the paragraph itself (numId 0 switches a style's numbering off)."""
    return _numbering_in(paragraph._p.pPr)


def _style_numbering(style: Any) -> tuple[str, int] | None:
    """The list instance a paragraph style numbers its paragraphs with ("List Number"), through the styles it is based on."""
    seen = 0
    while style is not None and seen < 10:
        element = getattr(style, "element", None)
        found = _numbering_in(element.pPr if element is not None and hasattr(element, "pPr") else None)
        if found:
            return found
        style = getattr(style, "base_style", None)
        seen += 1
    return None
