"""The index on disk: a SQLite database (documents, chunks, vectors, tags, FTS5) and a FAISS index.

Each ingest writes a complete new generation directory and then atomically repoints `CURRENT` at it,
so a reader never sees a half-built index and a killed ingest leaves the previous one in place.
SQLite is the source of truth (vectors are stored there too); FAISS is rebuilt from it per generation.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from kb.chunking import CHUNKER_VERSION
from kb.errors import IndexMismatchError, IndexMissingError, IngestBusyError
from kb.model import MODEL_NAME
from kb.provenance import source_label
from kb.search import NO_FILTERS, Filters, Hit
from kb.settings import get_settings
from kb.subjects import document_subject

Connection = sqlite3.Connection  # what the writer hands an ingest between staging and committing
FORMAT_VERSION = 2  # 2: sentence vectors
DB_NAME = "kb.sqlite"
FAISS_NAME = "vectors.faiss"
MANIFEST_NAME = "manifest.json"
CURRENT_NAME = "CURRENT"
KEEP_GENERATIONS = 2
# Above this many chunks FAISS switches from exact to HNSW search (README, "Speed"; bench/scale.py):
# exact search grows ~0.06 ms per 1,000 chunks with one thread (3 ms at 50k, 6 ms at 100k, 60 ms at
# 1M, against a 15 ms budget for a whole /search), while HNSW stays under 1 ms with recall@10 of
# 0.98-1.0 but costs ~0.2 s per 1,000 chunks to build on every ingest, as it cannot remove vectors.
HNSW_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128  # the live one and the one before it, for readers still holding it

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    date TEXT,
    source TEXT,
    publisher TEXT,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    section TEXT NOT NULL,
    page INTEGER,
    speaker TEXT,
    text TEXT NOT NULL,
    embed_text TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    sentence_vectors BLOB NOT NULL DEFAULT x''  -- float16, one row per quotable sentence
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_by_hash ON chunks(text_hash);
CREATE TABLE IF NOT EXISTS chunk_tags (
    chunk_id INTEGER NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (chunk_id, facet, value)
);
CREATE INDEX IF NOT EXISTS tags_by_value ON chunk_tags(facet, value);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, title, section, expansion,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class Manifest:
    """What an index was built with; an index is only opened by the same model and chunker."""

    model: str
    dim: int
    chunker_version: str
    generation: int
    documents: int
    chunks: int
    built_at: str
    index_type: str = "flat"
    format_version: int = FORMAT_VERSION
    query_model: str = ""  # the ONNX export used to embed queries, relative to the index directory


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with foreign keys on; read-only connections may be shared across threads."""
    if read_only:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def current_generation(index_dir: Path) -> Path | None:
    """The live generation directory, or None before the first ingest."""
    pointer = index_dir / CURRENT_NAME
    if not pointer.exists():
        return None
    return index_dir / pointer.read_text(encoding="utf-8").strip()


def read_manifest(generation: Path) -> Manifest:
    """The manifest of a generation, or IndexMismatchError if it is missing or unreadable."""
    try:
        data = json.loads((generation / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexMismatchError(
            f"the index manifest in {generation} is missing or damaged ({exc}); it must be rebuilt from the corpus"
        ) from None


def check_compatible(manifest: Manifest) -> None:
    """Refuse an index built with another model, chunker or file format."""
    expected = (MODEL_NAME, CHUNKER_VERSION, FORMAT_VERSION)
    found = (manifest.model, manifest.chunker_version, manifest.format_version)
    if found != expected:
        raise IndexMismatchError(
            f"the index was built with model {manifest.model!r}, chunker v{manifest.chunker_version}, "
            f"format {manifest.format_version}; this kb uses model {MODEL_NAME!r}, chunker v{CHUNKER_VERSION}, "
            f"format {FORMAT_VERSION}; it must be rebuilt from the corpus."
        )


EXACT_FILTER_LIMIT = 50_000  # filtered HNSW searches over at most this many chunks are scored exactly
IDF_CACHE_SIZE = 50_000  # words whose weight or presence a snapshot remembers; cleared when full
CACHED_WORD_CHARS = 40  # longer "words" (none in English; any number in a hostile question) are looked up each time


@dataclass
class IndexReader:
    """A read-only snapshot of one generation: every read of the index goes through it.

    It owns the generation's SQLite connection and FAISS index, and caches what it has looked up
    (word weights, whether the corpus uses a word) for as long as it lives. `users` counts the
    requests holding it, so that a replaced snapshot is closed when the last one lets go.
    """

    generation: Path
    manifest: Manifest
    db: sqlite3.Connection
    vectors: Any  # faiss.IndexIDMap2
    users: int = 0
    _idf: dict[str, float] = field(default_factory=dict)
    _mentions: dict[str, bool] = field(default_factory=dict)
    _subjects: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        """Release the SQLite connection."""
        self.db.close()

    # -- passages ---------------------------------------------------------------------------------

    def hits(self, scored: Sequence[tuple[int, float, float | None, float | None]]) -> list[Hit]:
        """Hits for (chunk_id, score, dense, lexical) tuples, keeping their order."""
        if not scored:
            return []
        ids = [s[0] for s in scored]
        marks = ",".join("?" * len(ids))
        rows = {
            r["chunk_id"]: r
            for r in self.db.execute(
                "SELECT c.chunk_id, c.doc_id, d.title, d.doc_type, d.date, c.section, c.page, c.speaker, c.text,"
                " json_extract(d.meta, '$.date_from') AS date_from"
                f" FROM chunks c JOIN documents d USING (doc_id) WHERE c.chunk_id IN ({marks})",
                ids,
            )
        }
        tags: dict[int, dict[str, list[str]]] = {i: {"model": [], "theme": [], "authority": []} for i in ids}
        for row in self.db.execute(
            f"SELECT chunk_id, facet, value FROM chunk_tags WHERE chunk_id IN ({marks}) ORDER BY value", ids
        ):
            tags[row["chunk_id"]].setdefault(row["facet"], []).append(row["value"])
        hits: list[Hit] = []
        old = get_settings().source_old_years
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
                    source_label=source_label(
                        row["doc_type"], row["date"], speaker=row["speaker"], date_from=row["date_from"], old_after_years=old
                    ),
                    tags=tags[chunk_id],
                    dense_score=None if dense is None else round(dense, 6),
                    lexical_score=None if lexical is None else round(lexical, 6),
                )
            )
        return hits

    def passages(self, chunk_ids: Sequence[int]) -> list[Hit]:
        """Passages by id, in the order given, with no scores."""
        return self.hits([(cid, 0.0, None, None) for cid in chunk_ids])

    def document_subject(self, doc_id: str) -> str:
        """What a document is about as a whole (kb/subjects.py), worked out once per snapshot."""
        if doc_id not in self._subjects:
            document = self.db.execute("SELECT source, title FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
            texts = [r[0] for r in self.db.execute("SELECT text FROM chunks WHERE doc_id = ?", (doc_id,))]
            models = Counter(
                r[0]
                for r in self.db.execute(
                    "SELECT t.value FROM chunk_tags t JOIN chunks c USING (chunk_id) WHERE c.doc_id = ? AND t.facet = 'model'",
                    (doc_id,),
                )
            )
            source, title = (document[0], document[1]) if document else (None, "")
            self._subjects[doc_id] = document_subject(
                source=source, passages=texts, models=models, title=title, doc_id=doc_id
            )
        return self._subjects[doc_id]

    def document_passages(self, doc_id: str) -> list[Hit]:
        """A document's passages in reading order."""
        return self.passages(
            [r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]
        )

    def following(self, chunk_id: int, count: int) -> list[Hit]:
        """Up to `count` passages after one in its document and section."""
        rows = self.db.execute(
            "SELECT n.chunk_id FROM chunks c JOIN chunks n ON n.doc_id = c.doc_id AND n.section = c.section"
            " AND n.ordinal > c.ordinal WHERE c.chunk_id = ? ORDER BY n.ordinal LIMIT ?",
            (chunk_id, count),
        ).fetchall()
        return self.passages([r[0] for r in rows])

    def previous_passage(self, chunk_id: int) -> tuple[str | None, str] | None:
        """The speaker and text of the passage before one in its document, if there is one."""
        row = self.db.execute(
            "SELECT p.speaker, p.text FROM chunks c JOIN chunks p ON p.doc_id = c.doc_id AND p.ordinal = c.ordinal - 1"
            " WHERE c.chunk_id = ?",
            (chunk_id,),
        ).fetchone()
        return None if row is None else (row["speaker"], row["text"])

    def sentence_vectors(self, chunk_ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of each passage's quotable sentences (float16 rows)."""
        if not chunk_ids:
            return {}
        rows = self.db.execute(
            f"SELECT chunk_id, sentence_vectors FROM chunks WHERE chunk_id IN ({','.join('?' * len(chunk_ids))})", list(chunk_ids)
        ).fetchall()
        return {
            r["chunk_id"]: np.frombuffer(r["sentence_vectors"], dtype=np.float16).reshape(-1, self.manifest.dim) for r in rows
        }

    def chunk_documents(self) -> dict[int, str]:
        """Every passage's document id."""
        return {r[0]: r[1] for r in self.db.execute("SELECT chunk_id, doc_id FROM chunks")}

    # -- searching --------------------------------------------------------------------------------

    def allowed_ids(self, filters: Filters) -> np.ndarray | None:
        """Chunk ids passing the filters, or None when there are no filters."""
        if not filters:
            return None
        where, params = _filter_clause(filters)
        rows = self.db.execute(f"SELECT chunk_id FROM chunks WHERE {where}", params).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def dense(self, vector: np.ndarray, *, k: int, filters: Filters = NO_FILTERS) -> list[tuple[int, float]]:
        """(chunk_id, cosine) pairs, best first; filters restrict FAISS itself through an id selector."""
        ids = self.allowed_ids(filters)
        if self.vectors.ntotal == 0 or (ids is not None and len(ids) == 0):
            return []
        k = min(k, self.vectors.ntotal)
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        if ids is not None and self.manifest.index_type == "hnsw" and len(ids) <= EXACT_FILTER_LIMIT:
            # A selective filter starves the HNSW graph walk of allowed neighbours: score the allowed ids exactly.
            scores_all = self.vectors.reconstruct_batch(ids) @ query.ravel()
            best = np.argsort(-scores_all)[:k]
            return [(int(ids[i]), float(scores_all[i])) for i in best]
        selector = faiss.IDSelectorBatch(ids) if ids is not None else None
        if self.manifest.index_type == "hnsw":
            params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, k), sel=selector)  # type: ignore[attr-defined]
        else:
            params = faiss.SearchParameters(sel=selector) if selector is not None else None  # type: ignore[call-arg]
        scores, found = self.vectors.search(query, k, params=params)
        return [(int(i), float(s)) for i, s in zip(found[0], scores[0], strict=True) if i >= 0]

    def stored_vectors(self, chunk_ids: Sequence[int]) -> np.ndarray:
        """The passages' own vectors, one row each."""
        return np.vstack([self.vectors.reconstruct(int(cid)) for cid in chunk_ids])

    def lexical(
        self, expression: str, *, k: int, weights: Sequence[float], filters: Filters = NO_FILTERS
    ) -> list[tuple[int, float]]:
        """(chunk_id, bm25 score) pairs for an FTS5 MATCH expression, best first (higher is better)."""
        where, params = _filter_clause(filters)
        restrict = f" AND rowid IN (SELECT chunk_id FROM chunks WHERE {where})" if filters else ""
        columns = ", ".join(str(w) for w in weights)
        rows = self.db.execute(
            f"SELECT rowid AS chunk_id, -bm25(chunks_fts, {columns}) AS score FROM chunks_fts"
            f" WHERE chunks_fts MATCH ?{restrict} ORDER BY score DESC LIMIT ?",
            [expression, *params, k],
        ).fetchall()
        return [(int(r["chunk_id"]), float(r["score"])) for r in rows]

    def documents_matching(self, expression: str) -> set[str]:
        """The ids of documents with a passage (its text, title or section) that matches an FTS5 expression."""
        rows = self.db.execute(
            "SELECT DISTINCT c.doc_id FROM chunks_fts JOIN chunks c ON c.chunk_id = chunks_fts.rowid WHERE chunks_fts MATCH ?",
            [expression],
        )
        return {r["doc_id"] for r in rows}

    def count_matches(self, expression: str, filters: Filters = NO_FILTERS) -> int:
        """How many passages match an FTS5 expression (and pass the filters)."""
        where, params = _filter_clause(filters)
        restrict = f" AND rowid IN (SELECT chunk_id FROM chunks WHERE {where})" if filters else ""
        return int(
            self.db.execute(
                f"SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?{restrict}", [expression, *params]
            ).fetchone()[0]
        )

    def passages_containing(self, token: str) -> list[Hit]:
        """Every passage holding a word (as keyword search stems it), in document and reading order."""
        rows = self.db.execute(
            "SELECT c.chunk_id FROM chunks_fts f JOIN chunks c ON c.chunk_id = f.rowid WHERE chunks_fts MATCH ?"
            " ORDER BY c.doc_id, c.ordinal",
            [f'"{token}"'],
        ).fetchall()
        return self.passages([r[0] for r in rows])

    def word_weight(self, token: str) -> float:
        """Inverse document frequency of a word over the passages (cached for this snapshot)."""
        if token not in self._idf:
            df = (
                self.db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [f'"{token}"']).fetchone()[0]
                if token
                else 0
            )
            weight = math.log(1 + self.manifest.chunks / (df + 1))
            if len(token) > CACHED_WORD_CHARS:
                return weight
            if len(self._idf) >= IDF_CACHE_SIZE:
                self._idf.clear()
            self._idf[token] = weight
        return self._idf[token]

    def uses_word(self, token: str) -> bool:
        """Does any passage contain this word (cached for this snapshot)?"""
        if token not in self._mentions:
            row = self.db.execute("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", [f'"{token}"']).fetchone()
            if len(token) > CACHED_WORD_CHARS:
                return row is not None
            if len(self._mentions) >= IDF_CACHE_SIZE:
                self._mentions.clear()
            self._mentions[token] = row is not None
        return self._mentions[token]

    # -- documents and facets ---------------------------------------------------------------------

    def document_rows(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Documents (one, or all by title) with their chunk counts and the tags of their passages."""
        query = "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) AS chunks FROM documents d"
        if doc_id is not None:
            rows = self.db.execute(query + " WHERE doc_id = ?", (doc_id,)).fetchall()
        else:
            rows = self.db.execute(query + " ORDER BY d.title").fetchall()
        documents = [dict(r) for r in rows]
        tags: dict[str, dict[str, list[str]]] = {}
        query = "SELECT DISTINCT c.doc_id, t.facet, t.value FROM chunk_tags t JOIN chunks c USING (chunk_id)"
        params: tuple[str, ...] = ()
        if doc_id is not None:
            query, params = query + " WHERE c.doc_id = ?", (doc_id,)
        for r in self.db.execute(query + " ORDER BY t.facet, t.value", params):
            tags.setdefault(r["doc_id"], {}).setdefault(r["facet"], []).append(r["value"])
        for document in documents:
            document["tags"] = tags.get(document["doc_id"], {})
        return documents

    def document_versions(self) -> dict[str, tuple[str, str]]:
        """Every document's content hash (the version indexed) and title, by id."""
        rows = self.db.execute("SELECT doc_id, content_hash, title FROM documents")
        return {r["doc_id"]: (r["content_hash"], r["title"]) for r in rows}

    def tag_counts(self) -> dict[tuple[str, str], int]:
        """How many passages carry each (facet, value) tag."""
        return {
            (r["facet"], r["value"]): r["n"]
            for r in self.db.execute("SELECT facet, value, count(*) AS n FROM chunk_tags GROUP BY facet, value")
        }

    def doc_type_counts(self) -> dict[str, int]:
        """How many documents have each type."""
        return {r["doc_type"]: r["n"] for r in self.db.execute("SELECT doc_type, count(*) AS n FROM documents GROUP BY doc_type")}


def _filter_clause(filters: Filters) -> tuple[str, list[str]]:
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


def open_index(index_dir: Path) -> IndexReader:
    """Open the live generation for reading, with clear errors when there is none or it doesn't fit."""
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissingError(f"no index in {index_dir}: it has not been built from the corpus yet")
    manifest = read_manifest(generation)
    check_compatible(manifest)
    # One query at a time is searched faster by one thread than by an OpenMP team (bench/scale.py:
    # 100k exact, 6.6 ms against 15 ms on two cores); concurrent requests use the other core.
    faiss.omp_set_num_threads(1)
    try:
        vectors = faiss.read_index(str(generation / FAISS_NAME))
        if not (generation / DB_NAME).exists():
            raise OSError(f"{DB_NAME} is missing")
        db = connect(generation / DB_NAME, read_only=True)
        db.execute("SELECT count(*) FROM chunks").fetchone()
    except (OSError, RuntimeError, sqlite3.DatabaseError) as exc:
        raise IndexMismatchError(f"the index in {generation} is damaged ({exc}); it must be rebuilt from the corpus") from None
    if vectors.ntotal != manifest.chunks:
        raise IndexMismatchError(
            f"the index in {generation} is inconsistent (FAISS holds {vectors.ntotal} vectors,"
            f" the manifest says {manifest.chunks}); it must be rebuilt from the corpus"
        )
    return IndexReader(generation=generation, manifest=manifest, db=db, vectors=vectors)


def _read_generation(generation: Path, sql: str, params: Sequence[str] = ()) -> list[sqlite3.Row]:
    """Rows from a generation's database without opening FAISS (what an ingest needs of the live index)."""
    try:
        conn = connect(generation / DB_NAME, read_only=True)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise IndexMismatchError(f"the index in {generation} is damaged ({exc}); it must be rebuilt from the corpus") from None


def indexed_documents(generation: Path) -> dict[str, tuple[str, str]]:
    """A generation's documents: doc_id -> (content hash, source path)."""
    rows = _read_generation(generation, "SELECT doc_id, content_hash, path FROM documents")
    return {r["doc_id"]: (r["content_hash"], r["path"]) for r in rows}


def document_titles(generation: Path) -> dict[str, str]:
    """A generation's documents: doc_id -> title."""
    return {r["doc_id"]: r["title"] for r in _read_generation(generation, "SELECT doc_id, title FROM documents")}


def stored_embeddings(generation: Path, text_hashes: Sequence[str]) -> dict[str, tuple[bytes, bytes]]:
    """Vector and sentence-vector blobs of the passages with these text hashes, to reuse instead of embedding."""
    found: dict[str, tuple[bytes, bytes]] = {}
    for start in range(0, len(text_hashes), 500):
        batch = list(text_hashes[start : start + 500])
        sql = f"SELECT text_hash, vector, sentence_vectors FROM chunks WHERE text_hash IN ({','.join('?' * len(batch))})"
        found.update({r["text_hash"]: (r["vector"], r["sentence_vectors"]) for r in _read_generation(generation, sql, batch)})
    return found


@dataclass(frozen=True)
class PassageRow:
    """A passage as the writer stores it: text and place, vectors, tags and the words keyword search adds."""

    ordinal: int
    title: str
    section: str
    page: int | None
    speaker: str | None
    text: str
    embed_text: str
    text_hash: str
    vector: bytes
    sentence_vectors: bytes
    tags: tuple[tuple[str, str], ...]
    expansion: str
    asked: str = ""  # a transcript reply: the question it answers, searched by keyword as a section heading is


def insert_document(conn: sqlite3.Connection, document: dict[str, Any], passages: Sequence[PassageRow]) -> list[int]:
    """Insert a document (its `documents` columns), its passages with vectors, tags and FTS rows; the new ids."""
    columns = ", ".join(document)
    conn.execute(f"INSERT INTO documents ({columns}) VALUES ({', '.join('?' * len(document))})", list(document.values()))
    ids: list[int] = []
    for row in passages:
        cursor = conn.execute(
            "INSERT INTO chunks (doc_id, ordinal, section, page, speaker, text, embed_text, text_hash, vector, sentence_vectors)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document["doc_id"],
                row.ordinal,
                row.section,
                row.page,
                row.speaker,
                row.text,
                row.embed_text,
                row.text_hash,
                row.vector,
                row.sentence_vectors,
            ),
        )
        chunk_id = cursor.lastrowid
        assert chunk_id is not None
        ids.append(chunk_id)
        conn.executemany(
            "INSERT INTO chunk_tags (chunk_id, facet, value) VALUES (?, ?, ?)", [(chunk_id, f, v) for f, v in row.tags]
        )
        conn.execute(
            "INSERT INTO chunks_fts (rowid, text, title, section, expansion) VALUES (?, ?, ?, ?, ?)",
            (chunk_id, row.text, row.title, " ".join(filter(None, (row.section, row.asked))), row.expansion),
        )
    return ids


def delete_document(conn: sqlite3.Connection, doc_id: str) -> list[int]:
    """Delete a document with its chunks, tags and FTS rows; returns the chunk ids it had."""
    ids = [r[0] for r in conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
    conn.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT chunk_id FROM chunks WHERE doc_id = ?)", (doc_id,))
    conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
    return ids


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time; a second ingest stops at once with a message instead of mixing indexes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusyError(f"another ingest is updating {index_dir}; wait for it to finish and try again") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stage_generation(index_dir: Path, base: Path | None) -> tuple[Path, sqlite3.Connection]:
    """A new generation directory holding a copy of `base`'s database (or an empty one)."""
    remove_staged(index_dir)
    number = _next_number(index_dir)
    staged = index_dir / f"gen-{number:06d}.tmp"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    conn = connect(staged / DB_NAME)
    if base is not None:
        try:
            source = connect(base / DB_NAME, read_only=True)
            source.backup(conn)
            source.close()
        except sqlite3.DatabaseError as exc:
            conn.close()
            shutil.rmtree(staged, ignore_errors=True)
            raise IndexMismatchError(f"the index in {base} is damaged ({exc}); it must be rebuilt from the corpus") from None
    conn.executescript(SCHEMA)
    return staged, conn


def commit_generation(
    index_dir: Path,
    staged: Path,
    conn: sqlite3.Connection,
    *,
    dim: int,
    query_model: str = "",
    base: Path | None = None,
    removed_ids: Sequence[int] = (),
    added_ids: Sequence[int] = (),
    added_vectors: np.ndarray | None = None,
) -> Manifest:
    """Update (or rebuild) FAISS for the staged database, write the manifest, then switch `CURRENT` atomically.

    The previous generation's FAISS index is updated with the removed and added ids, so that adding one
    document to a large index costs about what the document costs; it is rebuilt from SQLite whenever
    that is not possible or the counts disagree.
    """
    conn.commit()
    count = conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
    index_type = "hnsw" if count > HNSW_THRESHOLD else "flat"
    index = _updated_faiss(base, removed_ids, added_ids, added_vectors) if base is not None and index_type == "flat" else None
    if index is None or index.ntotal != count:
        ids, matrix = load_vectors(conn, dim=dim)
        index = new_faiss_index(index_type, dim)
        if len(ids):
            index.add_with_ids(matrix, ids)
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    pages, free = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA freelist_count").fetchone()[0]
    if free > pages // 4:
        conn.execute("VACUUM")  # only when deletions have left a quarter of the file empty
    conn.close()
    faiss.write_index(index, str(staged / FAISS_NAME))
    final = staged.with_suffix("")
    manifest = Manifest(
        model=MODEL_NAME,
        dim=dim,
        chunker_version=CHUNKER_VERSION,
        generation=int(final.name.split("-")[1]),
        documents=documents,
        chunks=int(index.ntotal),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        query_model=query_model,
        index_type=index_type,
    )
    (staged / MANIFEST_NAME).write_text(json.dumps(manifest.__dict__, indent=2), encoding="utf-8")
    _fsync_dir(staged)
    os.rename(staged, final)
    pointer = index_dir / (CURRENT_NAME + ".tmp")
    pointer.write_text(final.name, encoding="utf-8")
    with open(pointer) as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT_NAME)
    _fsync_dir(index_dir)
    _prune(index_dir)
    return manifest


def new_faiss_index(index_type: str, dim: int) -> Any:
    """An empty id-mapped index: exact inner product, or HNSW above HNSW_THRESHOLD chunks.

    Inner product is cosine similarity on normalised vectors.
    """
    if index_type == "hnsw":
        graph = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        return faiss.IndexIDMap2(graph)
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def _updated_faiss(base: Path, removed_ids: Sequence[int], added_ids: Sequence[int], added_vectors: np.ndarray | None) -> Any:
    """The base generation's FAISS index with ids removed and added, or None if it can't be read."""
    try:
        index = faiss.read_index(str(base / FAISS_NAME))
    except RuntimeError:
        return None
    if len(removed_ids):
        index.remove_ids(np.asarray(removed_ids, dtype=np.int64))  # type: ignore[arg-type]
    if len(added_ids) and added_vectors is not None:
        index.add_with_ids(np.ascontiguousarray(added_vectors, dtype=np.float32), np.asarray(added_ids, dtype=np.int64))
    return index


def load_vectors(conn: sqlite3.Connection, *, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """All chunk ids and their vectors, in id order."""
    rows = conn.execute("SELECT chunk_id, vector FROM chunks ORDER BY chunk_id").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
    return ids, matrix


def _next_number(index_dir: Path) -> int:
    numbers = [int(p.name.split("-")[1].split(".")[0]) for p in index_dir.glob("gen-*")]
    return max(numbers, default=0) + 1


def remove_staged(index_dir: Path) -> None:
    """Staging directories left by a killed ingest are garbage (the caller holds the lock)."""
    for staged in index_dir.glob("gen-*.tmp"):
        shutil.rmtree(staged, ignore_errors=True)


def _prune(index_dir: Path) -> None:
    generations = sorted(p for p in index_dir.glob("gen-*") if p.suffix != ".tmp")
    for old in generations[:-KEEP_GENERATIONS]:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
