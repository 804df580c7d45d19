"""The knowledge base as the shells see it: an index that reloads itself, plus search and documents."""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from kb import store
from kb.answers import CONFIDENCE_THRESHOLD, Answer, Turn, compose_answer, unknown_names
from kb.chunking import quotable_sentences
from kb.documents import DOC_TYPES
from kb.embedding import Embedder, SentenceTransformerEmbedder, embed
from kb.errors import IndexMissingError, InvalidInputError, UnknownDocumentError
from kb.hybrid import DEFAULT_FUSION, FusionParams, Scored, hybrid_search
from kb.lexical import lexical_search, match_expression
from kb.questions import MAX_SEARCH_CHARS, correct_names, resolve_follow_up
from kb.search import NO_FILTERS, Filters, Hit, dense_search, filter_clause, load_hits
from kb.taxonomy import load_taxonomy

MAX_K = 50
QUERY_CACHE_SIZE = 512
MENTION_CACHE_SIZE = 50_000  # words looked up for spelling and names; cleared when full
MAX_QUERY_CHARS = MAX_SEARCH_CHARS
SearchMode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class DocumentInfo:
    """An indexed document and how many chunks it has."""

    doc_id: str
    title: str
    doc_type: str
    date: str | None
    source: str | None
    publisher: str | None
    path: str
    chunks: int
    indexed_at: str


class KnowledgeBase:
    """Opens the live index lazily and re-opens it when an ingest publishes a new generation."""

    def __init__(self, index_dir: Path, *, embedder: Embedder | None = None, prefer_onnx: bool = True) -> None:
        self.index_dir = index_dir
        self.prefer_onnx = prefer_onnx
        # One query at a time is searched faster by one thread than by an OpenMP team (bench/scale.py:
        # 100k exact, 6.6 ms against 15 ms on two cores); concurrent requests use the other core.
        faiss.omp_set_num_threads(1)
        self._embedder = embedder
        self._reference: Embedder | None = None  # the reference model, while there is no index to read the export from
        self._reader: store.IndexReader | None = None
        self._lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._idf_cache: dict[tuple[Path, str], float] = {}
        self._mention_cache: dict[tuple[Path, str], bool] = {}

    @property
    def reader(self) -> store.IndexReader:
        """The live generation, swapped in (never half-built) when `CURRENT` changes."""
        with self._lock:
            live = store.current_generation(self.index_dir)
            if self._reader is None or live != self._reader.generation:
                self._reader = store.open_index(self.index_dir)
            return self._reader

    @property
    def _answering_reader(self) -> store.IndexReader:
        """The generation the latest search read: an answer's later lookups (sentence vectors, word weights,
        neighbouring passages) stay in the generation its passages came from, without re-reading `CURRENT`."""
        return self._reader if self._reader is not None else self.reader

    @property
    def embedder(self) -> Embedder:
        """The query embedder, loaded on first use: the index's ONNX export (no torch), if it has one.

        Before any index exists (the first upload into an empty knowledge base), the reference model
        embeds; it is not kept as the query embedder, so the export is used once an ingest made one."""
        try:
            reader = self.reader
        except IndexMissingError:
            with self._lock:
                if self._embedder is not None:
                    return self._embedder
                if self._reference is None:
                    self._reference = SentenceTransformerEmbedder()
                return self._reference
        with self._lock:
            if self._embedder is None:
                onnx_path = reader.generation.parent / reader.manifest.query_model if reader.manifest.query_model else None
                if self.prefer_onnx and onnx_path is not None and onnx_path.is_file():
                    from kb.onnx_model import OnnxEmbedder

                    self._embedder = OnnxEmbedder(onnx_path)
                else:
                    self._embedder = SentenceTransformerEmbedder()
            return self._embedder

    def embed_query(self, text: str) -> np.ndarray:
        """One normalised query vector; repeated questions come from a bounded LRU cache."""
        with self._lock:
            cached = self._query_cache.get(text)
            if cached is not None:
                self._query_cache.move_to_end(text)
                return cached
        vector = embed(self.embedder, [text])[0]
        with self._lock:
            self._query_cache[text] = vector
            while len(self._query_cache) > QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return vector

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        filters: Filters = NO_FILTERS,
        mode: SearchMode = "hybrid",
        fusion: FusionParams = DEFAULT_FUSION,
    ) -> list[Hit]:
        """Ranked passages for a query."""
        query = validate_query(query)
        if not 1 <= k <= MAX_K:
            raise InvalidInputError(f"k must be between 1 and {MAX_K}, got {k}")
        reader = self.reader
        scored: list[Scored]
        if mode == "lexical":
            scored = [Scored(cid, s, None, s) for cid, s in lexical_search(reader, query, k=k, filters=filters)]
        elif mode == "dense":
            scored = [Scored(cid, s, s, None) for cid, s in dense_search(reader, self.embed_query(query), k=k, filters=filters)]
        elif mode == "hybrid":
            scored = hybrid_search(reader, query, self.embed_query(query), k=k, filters=filters, params=fusion)
        else:
            raise InvalidInputError(f"unknown search mode {mode!r}; expected hybrid, dense or lexical")
        return load_hits(reader.db, scored)

    def sentence_vectors(self, hits: Sequence[Hit]) -> list[np.ndarray]:
        """Per hit, the vectors of its quotable sentences: stored at ingest, embedded now if missing."""
        if not hits:
            return []
        reader = self._answering_reader
        ids = [h.chunk_id for h in hits]
        rows = reader.db.execute(
            f"SELECT chunk_id, sentence_vectors FROM chunks WHERE chunk_id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        stored = {
            r["chunk_id"]: np.frombuffer(r["sentence_vectors"], dtype=np.float16).reshape(-1, reader.manifest.dim) for r in rows
        }
        result = []
        for hit in hits:
            contexts = [context for _, context in quotable_sentences(hit.text, section=hit.section, speaker=hit.speaker)]
            vectors = stored.get(hit.chunk_id)
            if vectors is None or len(vectors) != len(contexts):
                vectors = embed(self.embedder, contexts) if contexts else np.zeros((0, reader.manifest.dim), dtype=np.float32)
            result.append(vectors.astype(np.float32))
        return result

    def prompting_questions(self, hits: Sequence[Hit]) -> list[str]:
        """Per hit, the question a transcript turn answers: the previous turn, when another speaker asked it."""
        result = []
        db = self._answering_reader.db
        for hit in hits:
            prompt = ""
            if hit.speaker:
                row = db.execute(
                    "SELECT p.speaker, p.text FROM chunks c JOIN chunks p ON p.doc_id = c.doc_id AND p.ordinal = c.ordinal - 1"
                    " WHERE c.chunk_id = ?",
                    (hit.chunk_id,),
                ).fetchone()
                first = hit.text.split("\n\n", 1)[0]
                opens_turn = first.startswith(f"{hit.speaker}:")
                if row is not None and opens_turn and row["speaker"] and row["speaker"] != hit.speaker:
                    last = row["text"].rsplit("\n\n", 1)[-1]
                    last = last.split(": ", 1)[1] if last.startswith(f"{row['speaker']}:") else last
                    prompt = last.strip() if last.strip().endswith("?") else ""
            result.append(prompt)
        return result

    def following_passages(self, hit: Hit, count: int) -> list[Hit]:
        """Up to `count` passages after a hit in its document and section (a list that runs on)."""
        db = self._answering_reader.db
        rows = db.execute(
            "SELECT n.chunk_id FROM chunks c JOIN chunks n ON n.doc_id = c.doc_id AND n.section = c.section"
            " AND n.ordinal > c.ordinal WHERE c.chunk_id = ? ORDER BY n.ordinal LIMIT ?",
            (hit.chunk_id, count),
        ).fetchall()
        return load_hits(db, [(r[0], 0.0, None, None) for r in rows])

    def passages_containing(self, word: str) -> list[Hit]:
        """Every passage holding a word (as keyword search stems it), in document and reading order."""
        token = "".join(ch for ch in word if ch.isalnum())
        if not token:
            return []
        db = self.reader.db
        rows = db.execute(
            "SELECT c.chunk_id FROM chunks_fts f JOIN chunks c ON c.chunk_id = f.rowid WHERE chunks_fts MATCH ?"
            " ORDER BY c.doc_id, c.ordinal",
            [f'"{token}"'],
        ).fetchall()
        return load_hits(db, [(r[0], 0.0, None, None) for r in rows])

    def count_matches(self, query: str, filters: Filters = NO_FILTERS) -> int:
        """How many passages hold any of the query's words (and pass the filters)."""
        expression = match_expression(query)
        if not expression:
            return 0
        where, params = filter_clause(filters)
        restrict = f" AND rowid IN (SELECT chunk_id FROM chunks WHERE {where})" if filters else ""
        row = self.reader.db.execute(
            f"SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?{restrict}", [expression, *params]
        ).fetchone()
        return int(row[0])

    def word_weight(self, word: str) -> float:
        """Inverse document frequency of a word over the passages (stemmed as keyword search stems it)."""
        reader = self._answering_reader
        key = (reader.generation, word)
        if key not in self._idf_cache:
            token = "".join(ch for ch in word if ch.isalnum())
            df = (
                reader.db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [f'"{token}"']).fetchone()[0]
                if token
                else 0
            )
            self._idf_cache[key] = math.log(1 + reader.manifest.chunks / (df + 1))
        return self._idf_cache[key]

    def corpus_mentions(self, word: str) -> bool:
        """Does any passage contain this word (stemmed as keyword search stems it)?"""
        token = "".join(ch for ch in word if ch.isalnum())
        if not token:
            return True
        reader = self._answering_reader
        key = (reader.generation, token)
        if key not in self._mention_cache:
            row = reader.db.execute("SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT 1", [f'"{token}"']).fetchone()
            if len(self._mention_cache) >= MENTION_CACHE_SIZE:
                self._mention_cache.clear()
            self._mention_cache[key] = row is not None
        return self._mention_cache[key]

    def facets(self) -> dict[str, list[dict[str, object]]]:
        """Every filter value with its display name and how many passages (doc types: documents) have it."""
        db = self.reader.db
        taxonomy = load_taxonomy()
        counts: dict[tuple[str, str], int] = {
            (r["facet"], r["value"]): r["n"]
            for r in db.execute("SELECT facet, value, count(*) AS n FROM chunk_tags GROUP BY facet, value")
        }
        result: dict[str, list[dict[str, object]]] = {}
        for facet, key in (("model", "models"), ("theme", "themes"), ("authority", "authorities")):
            result[key] = [
                {"id": term.id, "name": term.name, "count": counts.get((facet, term.id), 0)}
                for term in taxonomy.facet(facet).values()
            ]
        doc_counts = {
            r["doc_type"]: r["n"] for r in db.execute("SELECT doc_type, count(*) AS n FROM documents GROUP BY doc_type")
        }
        result["doc_types"] = [{"id": t, "name": t, "count": doc_counts.get(t, 0)} for t in DOC_TYPES]
        return result

    def documents(self) -> list[DocumentInfo]:
        """Every indexed document with its chunk count, by title."""
        rows = self.reader.db.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) AS chunks FROM documents d ORDER BY d.title"
        ).fetchall()
        return [_document_info(r) for r in rows]

    def document(self, doc_id: str) -> tuple[DocumentInfo, list[Hit]]:
        """One document's metadata and its chunks in reading order."""
        db = self.reader.db
        row = db.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id) AS chunks FROM documents d WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise UnknownDocumentError(f"no document with id {doc_id!r} in the index")
        ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]
        return _document_info(row), load_hits(db, [(cid, 0.0, None, None) for cid in ids])


def validate_query(query: str) -> str:
    """A non-empty question of at most MAX_QUERY_CHARS characters."""
    query = query.strip()
    if not query:
        raise InvalidInputError("the question is empty; type a few words to search for")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInputError(f"the question is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    if not re.search(r"[^\W_]", query):
        raise InvalidInputError("the question has no words to search for (only punctuation or symbols); type a few words")
    return query


def _document_info(row: sqlite3.Row) -> DocumentInfo:
    return DocumentInfo(**{f.name: row[f.name] for f in fields(DocumentInfo)})


def ask(
    kb: KnowledgeBase,
    question: str,
    *,
    k: int = 5,
    filters: Filters = NO_FILTERS,
    history: Sequence[Turn] = (),
    threshold: float = CONFIDENCE_THRESHOLD,
) -> Answer:
    """Answer a question (a follow-up uses the conversation so far) with cited passages.

    Misspelt programme, model and council names are corrected first (the answer says so); a question
    that the filtered passages cannot answer says how many passages match without the filters.
    """
    question = validate_query(question)
    corrected, corrections = correct_names(question, is_known_word=kb.corpus_mentions)
    follow_up = resolve_follow_up(corrected, [t.content for t in history if t.role == "user"])
    search_query = follow_up.search_query

    def answer_from(scope: Filters) -> Answer:
        hits = kb.search(search_query, k=k, filters=scope)
        return compose_answer(
            follow_up.question,
            hits,
            sentence_vectors=kb.sentence_vectors,
            query_vector=kb.embed_query(search_query),
            search_query=search_query,
            word_weight=kb.word_weight,
            prompts=kb.prompting_questions,
            following=kb.following_passages,
            unknown=unknown_names(corrected, kb.corpus_mentions),
            threshold=threshold,
            context=follow_up.context,
            asked=question,
        )

    answer = answer_from(filters)
    if corrections:
        answer = replace(answer, corrections=[f"{c.typed} → {c.corrected}" for c in corrections])
    if filters and not answer.confident:
        answer = replace(answer, answer=_filtered_refusal(kb, search_query, filters, answer_from(NO_FILTERS).confident))
    return answer


def _filtered_refusal(kb: KnowledgeBase, query: str, filters: Filters, answerable_without: bool) -> str:
    """Why a filtered question got no answer, and what the filters leave out."""
    within, overall = kb.count_matches(query, filters), kb.count_matches(query)
    taxonomy = load_taxonomy()
    named = [
        f"{facet.replace('_', ' ')}: {', '.join(taxonomy.facet(facet)[v].name if facet != 'doc_type' else v for v in values)}"
        for facet in ("model", "theme", "authority", "doc_type")
        if (values := getattr(filters, facet))
    ]
    outcome = (
        "and the knowledge base can answer it from them: clear the filters to see the answer"
        if answerable_without
        else "but none of them answers it either"
    )
    return (
        f"Nothing in the passages that match your filters ({'; '.join(named)}) answers this question: "
        f"{within} passage{'s' if within != 1 else ''} match with the filters. Without the filters {overall} "
        f"passage{'s' if overall != 1 else ''} match, {outcome}."
    )
