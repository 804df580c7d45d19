"""The programme taxonomy (kb/taxonomy.yaml): tagging chunks, validating filters, expanding queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import yaml

from kb.errors import InvalidInputError

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")
FACETS = ("model", "theme", "authority", "doc_type")


class Taggable(Protocol):
    """Anything with a title, a section path and text (a chunk, a search hit)."""

    @property
    def title(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Term:
    """One taxonomy entry: its id, display name, and the patterns that mention it."""

    id: str
    name: str
    patterns: tuple[re.Pattern[str], ...]
    model: str | None = None
    role: str | None = None  # an authority's place in the programme: innovator or adopter

    def mentioned_in(self, text: str) -> bool:
        """Does `text` mention this term by any of its aliases?"""
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class Taxonomy:
    """Models, authorities and themes, plus the alias table used for query expansion."""

    models: dict[str, Term]
    authorities: dict[str, Term]
    themes: dict[str, Term]
    doc_types: dict[str, str]  # id -> display name, in the file's order
    doc_type_cues: dict[str, tuple[re.Pattern[str], ...]]  # id -> the words that say a publication is of that kind
    aliases: tuple[tuple[tuple[re.Pattern[str], str], ...], ...]  # groups of (pattern, form)
    glossary: dict[str, str] = field(default_factory=dict)  # abbreviation -> what it stands for

    def facet(self, name: str) -> dict[str, Term]:
        """The terms of a facet by id."""
        return {"model": self.models, "theme": self.themes, "authority": self.authorities}[name]


def _is_acronym(alias: str) -> bool:
    return alias.isupper() or (len(alias) <= 5 and sum(c.isupper() for c in alias) >= 2)


def alias_pattern(alias: str) -> re.Pattern[str]:
    """Whole-word, whitespace-tolerant pattern; acronyms match case-sensitively."""
    body = r"\s+".join(re.escape(word) for word in normalise_quotes(alias).split())
    return re.compile(rf"(?<!\w){body}(?!\w)", 0 if _is_acronym(alias) else re.IGNORECASE)


def normalise_quotes(text: str) -> str:
    """Curly apostrophes as straight ones, so "children’s" matches "children's"."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def stands_for(meaning: str) -> str:
    """What a glossary abbreviation stands for, its explanation in brackets left out: "Public Law Outline"."""
    return re.sub(r"\s*\(.*\)$", "", meaning)


@lru_cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """Parse and compile the taxonomy file once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def terms(section: str, words: str) -> dict[str, Term]:
        return {
            key: Term(
                id=key,
                name=entry["name"],
                patterns=tuple(alias_pattern(a) for a in [entry["name"], *entry.get(words, [])]),
                model=entry.get("model"),
                role=entry.get("role"),
            )
            for key, entry in data[section].items()
        }

    glossary = {str(short): str(meaning) for short, meaning in (data.get("glossary") or {}).items()}
    # An abbreviation of the glossary is searched with what it stands for (its explanation in brackets left out).
    groups = dict(data.get("aliases", {}))
    for short, meaning in glossary.items():
        groups.setdefault(short, [stands_for(meaning)])
    aliases = tuple(tuple((alias_pattern(form), form) for form in [short, *expansions]) for short, expansions in groups.items())
    return Taxonomy(
        models=terms("models", "aliases"),
        authorities=terms("authorities", "aliases"),
        themes=terms("themes", "keywords"),
        doc_types={str(key): str(entry["name"]) for key, entry in data["doc_types"].items()},
        doc_type_cues={
            str(key): tuple(alias_pattern(str(cue)) for cue in entry.get("cues", []))
            for key, entry in data["doc_types"].items()
            if entry.get("cues")
        },
        aliases=aliases,
        glossary=glossary,
    )


def tag_chunk(chunk: Taggable, taxonomy: Taxonomy | None = None) -> dict[str, set[str]]:
    """Models, themes and authorities a chunk concerns; a section about a model passes it down."""
    taxonomy = taxonomy or load_taxonomy()
    text = normalise_quotes(f"{chunk.section}\n{chunk.text}")
    authorities = {t.id for t in taxonomy.authorities.values() if t.mentioned_in(text)}
    models = {t.id for t in taxonomy.models.values() if t.mentioned_in(text)}
    models |= {taxonomy.authorities[a].model or "" for a in authorities if taxonomy.authorities[a].model} - {""}
    if not models:
        # A passage in a document about one model (by its title) concerns that model.
        models = {t.id for t in taxonomy.models.values() if t.mentioned_in(normalise_quotes(chunk.title))}
    themes = {t.id for t in taxonomy.themes.values() if t.mentioned_in(text)}
    return {"model": models, "theme": themes, "authority": authorities}


def resolve_filter(facet: str, values: list[str], taxonomy: Taxonomy | None = None) -> list[str]:
    """Map filter values (ids or names, any case) to ids; an unknown one is an error listing the valid ones."""
    taxonomy = taxonomy or load_taxonomy()
    terms = taxonomy.facet(facet)
    lookup = {key.casefold(): key for key in terms} | {t.name.casefold(): key for key, t in terms.items()}
    resolved = []
    for value in values:
        key = lookup.get(value.strip().casefold())
        if key is None:
            raise InvalidInputError(f"unknown {facet} {value!r}; expected one of: {', '.join(sorted(terms))}")
        resolved.append(key)
    return resolved


def expand_query(query: str, taxonomy: Taxonomy | None = None) -> list[str]:
    """Full forms (and other spellings) of the acronyms and aliases the query uses."""
    taxonomy = taxonomy or load_taxonomy()
    text = normalise_quotes(query)
    extra: list[str] = []
    for group in taxonomy.aliases:
        if any(pattern.search(text) for pattern, _ in group):
            extra.extend(form for pattern, form in group if not pattern.search(text))
    for terms in (taxonomy.models, taxonomy.authorities):
        for term in terms.values():
            if any(p.search(text) for p in term.patterns[1:]) and not term.patterns[0].search(text):
                extra.append(term.name)
    return [e for e in dict.fromkeys(extra) if e.casefold() not in text.casefold()]


def mentioned_models(text: str, taxonomy: Taxonomy | None = None) -> set[str]:
    """Model ids a piece of text names."""
    taxonomy = taxonomy or load_taxonomy()
    return {t.id for t in taxonomy.models.values() if t.mentioned_in(normalise_quotes(text))}


def terms_in(text: str, taxonomy: Taxonomy | None = None) -> list[tuple[str, str]]:
    """The glossary's abbreviations a text uses (as written, whole words), with what each stands for, in order."""
    taxonomy = taxonomy or load_taxonomy()
    found = []
    for short, meaning in taxonomy.glossary.items():
        match = re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text)
        if match:
            found.append((match.start(), short, meaning))
    return [(short, meaning) for _, short, meaning in sorted(found)]
