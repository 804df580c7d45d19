"""Recognising English councils (children's services authorities) wherever a text names them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.caching import memoised

COUNCILS_PATH = Path(__file__).with_name("councils.txt")
_SUFFIX = r"(?:\s+(?:City|County|Borough|Metropolitan\s+Borough|District))?\s+(?:Council|Borough)"
# Any "<Capitalised words> Council" also names a council (Welsh, Scottish, district councils ...).
_GENERIC = re.compile(r"\b((?:[A-Z][\w'’-]+\s+(?:(?:and|&|upon|on|of)\s+)?){1,5})Council\b")
_KINDS = frozenset({"City", "County", "Borough", "Metropolitan", "District", "Council", "CITY", "COUNTY", "BOROUGH", "COUNCIL"})
_NOT_PLACES = frozenset(
    {"The", "A", "Local", "Our", "Their", "Each", "Every", "Town", "Parish", "Children's", "Children’s", "Client"}
)


@dataclass(frozen=True)
class Council:
    """A council: its id (a slug of its name), its name and the other names it goes by."""

    id: str
    name: str
    aliases: tuple[str, ...]
    needs_suffix: bool  # the name is also an ordinary word: only "<name> Council" counts


def council_slug(name: str) -> str:
    """A council's id from its name ("Redcar & Cleveland" -> "redcar-and-cleveland")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def _name_pattern(name: str) -> str:
    words = [r"(?:and|&)" if w.lower() in ("and", "&") else re.escape(w) for w in re.split(r"[\s-]+", name)]
    return r"[\s-]+".join(words)


@dataclass(frozen=True)
class CouncilIndex:
    """All councils, with one compiled pattern that finds any of their names."""

    councils: dict[str, Council]
    by_name: dict[str, str]  # a normalised name or alias -> council id
    pattern: re.Pattern[str]

    def ids_in(self, text: str) -> set[str]:
        """Ids of the councils `text` names (a generic "<Place> Council" gets the slug of its place)."""
        found: set[str] = set()
        for match in self.pattern.finditer(text):
            name, suffix = match.group("name"), match.group("suffix")
            council_id = self.by_name.get(_normal(name))
            if council_id is None:
                continue
            capitalised = name[:1].isupper()
            if not capitalised:
                continue
            if self.councils[council_id].needs_suffix and not suffix and not name.isupper():
                continue
            found.add(council_id)
        for match in _GENERIC.finditer(text):
            words = match.group(1).split()
            if "Council" in words:  # "Cardiff Council and Glasgow City Council": the last council only
                words = words[len(words) - words[::-1].index("Council") :]
            kind_before_council = len(words) > 1 and words[-1] in _KINDS
            while words and (words[-1] in _KINDS or words[-1] in ("and", "&", "upon", "on", "of")):
                words = words[:-1]
            if kind_before_council and "of" in words:  # "Inspection of Brindleford Borough Council": Brindleford
                words = words[len(words) - words[::-1].index("of") :]
            while words and (words[0] in _NOT_PLACES or words[0] in ("and", "&")):
                words = words[1:]
            if words and _normal(" ".join(words)) not in self.by_name:
                found.add(council_slug(" ".join(words)))
        return found


def _normal(name: str) -> str:
    return re.sub(r"[\s-]+", " ", name.replace("&", "and").replace("’", "'")).strip().casefold()


@lru_cache
def load_councils(path: Path = COUNCILS_PATH) -> CouncilIndex:
    """Parse the councils list once per process."""
    councils: dict[str, Council] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|")]
        needs_suffix = names[0].endswith("!")
        first = names[0].rstrip("!")
        council = Council(id=council_slug(first), name=first, aliases=tuple(names[1:]), needs_suffix=needs_suffix)
        councils[council.id] = council
    by_name = {_normal(n): c.id for c in councils.values() for n in (c.name, *c.aliases)}
    names = sorted({n for c in councils.values() for n in (c.name, *c.aliases)}, key=len, reverse=True)
    alternatives = "|".join(_name_pattern(n) for n in names)
    # A name counts only when capitalised, so the many alternatives are tried only where a capital letter stands
    # (six times faster than trying them at every character).
    pattern = re.compile(rf"(?-i:(?=[A-Z]))(?<![\w-])(?P<name>{alternatives})(?![\w-])(?P<suffix>{_SUFFIX})?", re.IGNORECASE)
    return CouncilIndex(councils=councils, by_name=by_name, pattern=pattern)


@memoised
def _council_ids(text: str) -> frozenset[str]:
    return frozenset(load_councils().ids_in(text))


def councils_in(text: str) -> frozenset[str]:
    """Ids of the councils a text names ("Leeds", "LEEDS CITY COUNCIL", "Redcar & Cleveland", "Camden Council").

    Answers ask this of the same passages' sentences again and again, so results are cached."""
    return _council_ids(text)


def council_name(council_id: str) -> str:
    """A council's display name: from the list, or from the slug of a "<Place> Council" the text named."""
    council = load_councils().councils.get(council_id)
    return council.name if council else " ".join(w.capitalize() for w in council_id.split("-"))
