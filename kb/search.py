"""What a search takes and gives: facet filters and the hits (passages with their citation fields and scores)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.documents import check_doc_type
from kb.taxonomy import resolve_filter


@dataclass(frozen=True)
class Filters:
    """Facet filters: values within a facet are alternatives (OR); facets combine with AND."""

    model: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()

    @classmethod
    def parse(
        cls,
        *,
        model: list[str] | None = None,
        theme: list[str] | None = None,
        authority: list[str] | None = None,
        doc_type: list[str] | None = None,
    ) -> Filters:
        """Validate user-supplied values (ids or names); unknown ones raise with the valid list."""
        return cls(
            model=tuple(resolve_filter("model", model or [])),
            theme=tuple(resolve_filter("theme", theme or [])),
            authority=tuple(resolve_filter("authority", authority or [])),
            doc_type=tuple(check_doc_type(value) for value in doc_type or []),
        )

    def __bool__(self) -> bool:
        return bool(self.model or self.theme or self.authority or self.doc_type)


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its citation fields, tags and scores."""

    rank: int
    score: float
    chunk_id: int
    doc_id: str
    title: str
    doc_type: str
    date: str | None
    section: str
    page: int | None
    text: str
    speaker: str | None = None
    source_label: str = ""  # the publication's kind and date: "Evaluation report · July 2020" (kb/provenance.py)
    tags: dict[str, list[str]] = field(default_factory=dict)
    dense_score: float | None = None
    lexical_score: float | None = None
