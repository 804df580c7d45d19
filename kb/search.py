"""Search results and the pieces every search shares: filters, dense (FAISS) search, hit assembly."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

import faiss
import numpy as np

from kb.documents import check_doc_type
from kb.store import HNSW_EF_SEARCH, IndexReader
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
EXACT_FILTER_LIMIT = 50_000  # filtered HNSW searches over at most this many chunks are scored exactly


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
    tags: dict[str, list[str]] = field(default_factory=dict)
    dense_score: float | None = None
    lexical_score: float | None = None


def filter_clause(filters: Filters) -> tuple[str, list[str]]:
    """SQL restricting `chunks.chunk_id` to the filters, used inside both searches."""
    clauses: list[str] = []
    params: list[str] = []
    for facet in ("model", "theme", "authority"):
        values = getattr(filters, facet)
        if values:
            marks = ",".join("?" * len(values))
            clauses.append(f"chunk_id IN (SELECT chunk_id FROM chunk_tags WHERE facet = '{facet}' AND value IN ({marks}))")
            params.extend(values)
    if filters.doc_type:
        marks = ",".join("?" * len(filters.doc_type))
        clauses.append(f"doc_id IN (SELECT doc_id FROM documents WHERE doc_type IN ({marks}))")
        params.extend(filters.doc_type)
    return (" AND ".join(clauses) or "1"), params


def allowed_ids(db: sqlite3.Connection, filters: Filters) -> np.ndarray | None:
    """Chunk ids passing the filters, or None when there are no filters."""
    if not filters:
        return None
    where, params = filter_clause(filters)
    rows = db.execute(f"SELECT chunk_id FROM chunks WHERE {where}", params).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def dense_search(reader: IndexReader, vector: np.ndarray, *, k: int, filters: Filters = NO_FILTERS) -> list[tuple[int, float]]:
    """(chunk_id, cosine) pairs, best first; filters restrict FAISS itself through an id selector."""
    ids = allowed_ids(reader.db, filters)
    if reader.vectors.ntotal == 0 or (ids is not None and len(ids) == 0):
        return []
    k = min(k, reader.vectors.ntotal)
    query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
    if ids is not None and reader.manifest.index_type == "hnsw" and len(ids) <= EXACT_FILTER_LIMIT:
        # A selective filter starves the HNSW graph walk of allowed neighbours: score the allowed ids exactly.
        scores_all = reader.vectors.reconstruct_batch(ids) @ query.ravel()
        best = np.argsort(-scores_all)[:k]
        return [(int(ids[i]), float(scores_all[i])) for i in best]
    selector = faiss.IDSelectorBatch(ids) if ids is not None else None
    if reader.manifest.index_type == "hnsw":
        params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k), sel=selector)  # type: ignore[attr-defined]
    else:
        params = faiss.SearchParameters(sel=selector) if selector is not None else None  # type: ignore[call-arg]
    scores, found = reader.vectors.search(query, k, params=params)
    return [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]


def load_hits(db: sqlite3.Connection, scored: Sequence[tuple[int, float, float | None, float | None]]) -> list[Hit]:
    """Hits for (chunk_id, score, dense, lexical) tuples, keeping their order."""
    if not scored:
        return []
    ids = [s[0] for s in scored]
    marks = ",".join("?" * len(ids))
    rows = {
        r["chunk_id"]: r
        for r in db.execute(
            "SELECT c.chunk_id, c.doc_id, d.title, d.doc_type, d.date, c.section, c.page, c.speaker, c.text"
            f" FROM chunks c JOIN documents d USING (doc_id) WHERE c.chunk_id IN ({marks})",
            ids,
        )
    }
    tags: dict[int, dict[str, list[str]]] = {i: {"model": [], "theme": [], "authority": []} for i in ids}
    for row in db.execute(f"SELECT chunk_id, facet, value FROM chunk_tags WHERE chunk_id IN ({marks}) ORDER BY value", ids):
        tags[row["chunk_id"]].setdefault(row["facet"], []).append(row["value"])
    hits: list[Hit] = []
    for chunk_id, score, dense, lexical in scored:
        row = rows.get(chunk_id)
        if row is None:
            continue
        hits.append(
            Hit(
                rank=len(hits) + 1,
                score=round(score, 6),
                chunk_id=chunk_id,
                doc_id=row["doc_id"],
                title=row["title"],
                doc_type=row["doc_type"],
                date=row["date"],
                section=row["section"],
                page=row["page"],
                text=row["text"],
                speaker=row["speaker"],
                tags=tags[chunk_id],
                dense_score=None if dense is None else round(dense, 6),
                lexical_score=None if lexical is None else round(lexical, 6),
            )
        )
    return hits
