"""The knowledge base as the shells see it: an index that reloads itself, plus search and documents."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

import numpy as np

from kb import store
from kb.answering.compose import CANDIDATE_PASSAGES, Answer, Candidates, compose_answer
from kb.answering.conversation import Turn
from kb.answering.model import AnswerModel
from kb.answering.question import MAX_SEARCH_CHARS, FollowUp, correct_names, normalise_typing, refers_back, resolve_follow_up
from kb.answering.refusal import CONFIDENCE_THRESHOLD, unknown_names
from kb.chunking import question_answered, quotable_sentences
from kb.embedding import Embedder, SentenceTransformerEmbedder, embed
from kb.errors import IndexMismatchError, IndexMissingError, InvalidInputError, NotFoundError, UnknownDocumentError
from kb.hybrid import DEFAULT_FUSION, FusionParams, Scored, hybrid_search, reference_lists_last
from kb.lexical import STOPWORDS, lexical_search, match_expression
from kb.safeguarding import load_concern_model, load_response
from kb.search import NO_FILTERS, Filters, Hit
from kb.taxonomy import load_taxonomy, terms_in

MAX_K = 50
QUERY_CACHE_SIZE = 512
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
    tags: dict[str, list[str]] = field(default_factory=dict)  # models, themes, authorities its passages concern


class KnowledgeBase:
    """Opens the live index lazily and re-opens it when an ingest publishes a new generation."""

    def __init__(self, index_dir: Path, *, embedder: Embedder | None = None, prefer_onnx: bool = True) -> None:
        self.index_dir = index_dir
        self.prefer_onnx = prefer_onnx
        self._embedder = embedder
        self._reference: Embedder | None = None  # the reference model, while there is no index to read the export from
        self._reader: store.IndexReader | None = None
        self._retired: list[store.IndexReader] = []  # replaced snapshots still held by a request
        self._lock = threading.RLock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def reader(self) -> store.IndexReader:
        """The live generation's snapshot (opened when `CURRENT` changes); requests take one with `snapshot()`."""
        with self._lock:
            return self._live()

    def _live(self) -> store.IndexReader:
        live = store.current_generation(self.index_dir)
        if self._reader is None or live != self._reader.generation:
            fresh = store.open_index(self.index_dir)
            if self._reader is not None:
                self._retired.append(self._reader)
            self._reader = fresh
        self._close_retired()
        return self._reader

    def _close_retired(self) -> None:
        """Snapshots of replaced generations are closed once no request holds them."""
        for old in [r for r in self._retired if r.users == 0]:
            old.close()
            self._retired.remove(old)

    @contextmanager
    def snapshot(self, held: store.IndexReader | None = None) -> Iterator[store.IndexReader]:
        """One generation for a whole request: every read in it sees the same index, even if an ingest
        publishes a new one meanwhile. A caller that already holds a snapshot passes it on (`held`)."""
        if held is not None:
            yield held
            return
        with self._lock:
            reader = self._live()
            reader.users += 1
        try:
            yield reader
        finally:
            with self._lock:
                reader.users -= 1
                self._close_retired()

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

    def is_safeguarding_concern(self, text: str) -> bool:
        """Does `text` report a present risk to a child or adult (kb/safeguarding.py)? Such text is never stored."""
        return load_concern_model().is_concern(text, self.embed_query(text))

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
        snap: store.IndexReader | None = None,
    ) -> list[Hit]:
        """Ranked passages for a query."""
        query = validate_query(query)
        if not 1 <= k <= MAX_K:
            raise InvalidInputError(f"k must be between 1 and {MAX_K}, got {k}")
        with self.snapshot(snap) as reader:
            scored: list[Scored]
            if mode == "lexical":
                scored = [Scored(cid, s, None, s) for cid, s in lexical_search(reader, query, k=k, filters=filters)]
            elif mode == "dense":
                scored = [Scored(cid, s, s, None) for cid, s in reader.dense(self.embed_query(query), k=k, filters=filters)]
            elif mode == "hybrid":
                # Twice as many, so that lists of sources can give way to passages that say something.
                scored = hybrid_search(reader, query, self.embed_query(query), k=2 * k, filters=filters, params=fusion)
                return reference_lists_last(reader.hits(scored), k)
            else:
                raise InvalidInputError(f"unknown search mode {mode!r}; expected hybrid, dense or lexical")
            return reader.hits(scored)

    def sentence_vectors(self, hits: Sequence[Hit], *, snap: store.IndexReader | None = None) -> list[np.ndarray]:
        """Per hit, the vectors of its quotable sentences: stored at ingest, embedded now if missing."""
        if not hits:
            return []
        with self.snapshot(snap) as reader:
            stored = reader.sentence_vectors([h.chunk_id for h in hits])
            dim = reader.manifest.dim
        result = []
        for hit in hits:
            contexts = [context for _, context in quotable_sentences(hit.text, section=hit.section, speaker=hit.speaker)]
            vectors = stored.get(hit.chunk_id)
            if vectors is None or len(vectors) != len(contexts):
                vectors = embed(self.embedder, contexts) if contexts else np.zeros((0, dim), dtype=np.float32)
            result.append(vectors.astype(np.float32))
        return result

    def prompting_questions(self, hits: Sequence[Hit], *, snap: store.IndexReader | None = None) -> list[str]:
        """Per hit, the question a transcript turn answers: the previous turn, when another speaker asked it."""
        result = []
        with self.snapshot(snap) as reader:
            for hit in hits:
                previous = reader.previous_passage(hit.chunk_id) if hit.speaker else None
                result.append(question_answered(*previous, hit.speaker, hit.text) if previous else "")
        return result

    def document_subjects(self, hits: Sequence[Hit], *, snap: store.IndexReader | None = None) -> list[str]:
        """Per hit, what its document is about as a whole: the council and model its passages keep naming."""
        with self.snapshot(snap) as reader:
            return [reader.document_subject(hit.doc_id) for hit in hits]

    def following_passages(self, hit: Hit, count: int, *, snap: store.IndexReader | None = None) -> list[Hit]:
        """Up to `count` passages after a hit in its document and section (a list that runs on)."""
        with self.snapshot(snap) as reader:
            return reader.following(hit.chunk_id, count)

    def passages_containing(self, word: str, *, snap: store.IndexReader | None = None) -> list[Hit]:
        """Every passage holding a word (as keyword search stems it), in document and reading order."""
        token = _token(word)
        if not token:
            return []
        with self.snapshot(snap) as reader:
            return reader.passages_containing(token)

    def count_matches(self, query: str, filters: Filters = NO_FILTERS, *, snap: store.IndexReader | None = None) -> int:
        """How many passages hold any of the query's words (and pass the filters)."""
        expression = match_expression(query)
        if not expression:
            return 0
        with self.snapshot(snap) as reader:
            return reader.count_matches(expression, filters)

    def word_weight(self, word: str, *, snap: store.IndexReader | None = None) -> float:
        """Inverse document frequency of a word over the passages (stemmed as keyword search stems it)."""
        with self.snapshot(snap) as reader:
            return reader.word_weight(_token(word))

    def corpus_mentions(self, word: str, *, snap: store.IndexReader | None = None) -> bool:
        """Does any passage contain this word (stemmed as keyword search stems it)?"""
        token = _token(word)
        if not token:
            return True
        with self.snapshot(snap) as reader:
            return reader.uses_word(token)

    def facets(self) -> dict[str, list[dict[str, object]]]:
        """Every filter value with its display name and how many passages (doc types: documents) have it."""
        with self.snapshot() as reader:
            counts, doc_counts = reader.tag_counts(), reader.doc_type_counts()
        taxonomy = load_taxonomy()
        result: dict[str, list[dict[str, object]]] = {}
        for facet, key in (("model", "models"), ("theme", "themes"), ("authority", "authorities")):
            result[key] = [
                {"id": term.id, "name": term.name, "count": counts.get((facet, term.id), 0)}
                for term in taxonomy.facet(facet).values()
            ]
        result["doc_types"] = [{"id": t, "name": name, "count": doc_counts.get(t, 0)} for t, name in taxonomy.doc_types.items()]
        return result

    def documents(self, *, matching: str | None = None) -> list[DocumentInfo]:
        """Every indexed document with its chunk count, by title; with `matching`, only those whose title or text
        holds every word of it (as keyword search stems words: "conference" finds "conferences")."""
        words = [w for w in re.findall(r"[^\W_]+", (matching or "").lower()) if w not in STOPWORDS]
        with self.snapshot() as reader:
            rows = reader.document_rows()
            if words:
                held = reader.documents_matching(" AND ".join(f'"{w}"' for w in dict.fromkeys(words)))
                rows = [r for r in rows if r["doc_id"] in held]
            return [_document_info(r) for r in rows]

    def document(self, doc_id: str) -> tuple[DocumentInfo, list[Hit]]:
        """One document's metadata and its chunks in reading order."""
        with self.snapshot() as reader:
            rows = reader.document_rows(doc_id)
            if not rows:
                raise UnknownDocumentError(f"no document with id {doc_id!r} in the index")
            return _document_info(rows[0]), reader.document_passages(doc_id)

    def document_versions(self) -> dict[str, tuple[str, str]]:
        """{doc_id: (content hash, title)} of the live index: which version of each publication answers quote."""
        with self.snapshot() as reader:
            return reader.document_versions()

    def index_version(self) -> str | None:
        """The live generation and when it was built ("3@2026-11-23T10:00:00+00:00"), or None without an index."""
        try:
            manifest = self.reader.manifest
        except (IndexMissingError, IndexMismatchError):
            return None
        return f"{manifest.generation}@{manifest.built_at}"

    def document_file(self, doc_id: str) -> Path:
        """The file a document was indexed from, as long as it is still there."""
        with self.snapshot() as reader:
            rows = reader.document_rows(doc_id)
        if not rows:
            raise UnknownDocumentError(f"no document with id {doc_id!r} in the index")
        path = Path(rows[0]["path"])
        if not path.is_file():
            raise NotFoundError(f"the original file of {doc_id!r} is no longer in the corpus (it was {path.name})")
        return path


def _token(word: str) -> str:
    """A word as one FTS5 token (letters and digits only)."""
    return "".join(ch for ch in word if ch.isalnum())


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


def _document_info(row: Mapping[str, Any]) -> DocumentInfo:
    return DocumentInfo(**{f.name: row[f.name] for f in fields(DocumentInfo)})


def ask(
    kb: KnowledgeBase,
    question: str,
    *,
    k: int = 5,
    filters: Filters = NO_FILTERS,
    history: Sequence[Turn] = (),
    threshold: float = CONFIDENCE_THRESHOLD,
    snap: store.IndexReader | None = None,
    trace: list[Candidates] | None = None,
    model: AnswerModel | None = None,
    safeguarding_check: bool = True,
) -> Answer:
    """Answer a question (a follow-up uses the conversation so far) with cited passages.

    A question that reports a present risk to someone gets the safeguarding response instead (unless
    `safeguarding_check` is off: the reader asked to search the publications anyway). Misspelt programme,
    model and council names are corrected first (the answer says so); a question that the filtered
    passages cannot answer says how many passages match without the filters.
    """
    question = validate_query(question)
    if safeguarding_check and kb.is_safeguarding_concern(question):
        return safeguarding_answer(question)
    with kb.snapshot(snap) as snap:  # one generation for the whole answer
        mentions = partial(kb.corpus_mentions, snap=snap)
        corrected, corrections = correct_names(normalise_typing(question), is_known_word=mentions)
        # Earlier questions are read as meant too, so a follow-up never inherits a misspelling ("famly safegarding").
        earlier = [correct_names(normalise_typing(t.content), is_known_word=mentions)[0] for t in history if t.role == "user"]
        follow_up = resolve_follow_up(corrected, earlier)

        def answer_from(scope: Filters, follow: FollowUp = follow_up) -> Answer:
            hits = kb.search(follow.search_query, k=max(k, CANDIDATE_PASSAGES), filters=scope, snap=snap)
            return compose_answer(
                follow.question,
                hits,
                sentence_vectors=partial(kb.sentence_vectors, snap=snap),
                query_vector=kb.embed_query(follow.search_query),
                search_query=follow.search_query,
                word_weight=partial(kb.word_weight, snap=snap),
                prompts=partial(kb.prompting_questions, snap=snap),
                subjects=partial(kb.document_subjects, snap=snap),
                following=partial(kb.following_passages, snap=snap),
                known_word=mentions,
                unknown=unknown_names(corrected, mentions),
                threshold=threshold,
                context=follow.context,
                asked=question,
                cited=k,
                trace=trace,
                model=model,
            )

        answer = answer_from(filters)
        if not answer.confident and follow_up.context and not refers_back(corrected):
            # A question with its own subject ("When was issue 6 of the journal published?") that the
            # conversation's subject cannot answer is asked on its own before it is refused.
            alone = answer_from(filters, FollowUp(corrected))
            answer = alone if alone.confident else answer
        search_query = answer.search_query
        if corrections:
            answer = replace(answer, corrections=[str(c) for c in corrections])
        if corrections or search_query != corrected:
            # The conversation or a correction changed what was searched for: the answer says so.
            answer = replace(answer, searched_for=search_query)
        if filters and not answer.confident:
            counts = (kb.count_matches(search_query, filters, snap=snap), kb.count_matches(search_query, snap=snap))
            answer = replace(answer, answer=_filtered_refusal(counts, filters, answer_from(NO_FILTERS).confident))
    return replace(answer, terms=terms_in(answer.answer))


@dataclass(frozen=True)
class Found:
    """A search as a reader typed it: the passages, and the query searched for when a correction changed it."""

    hits: list[Hit]
    searched_for: str | None = None
    corrections: list[str] = field(default_factory=list)


def search_as_meant(
    kb: KnowledgeBase, query: str, *, k: int = 5, filters: Filters = NO_FILTERS, mode: SearchMode = "hybrid"
) -> Found:
    """`kb search` and GET /search: misspelt programme, model and council names are corrected first, as `ask`
    corrects them ("wokingam" searches for Wokingham), and the result says so."""
    query = validate_query(query)
    with kb.snapshot() as snap:
        corrected, corrections = correct_names(query, is_known_word=partial(kb.corpus_mentions, snap=snap))
        hits = kb.search(corrected, k=k, filters=filters, mode=mode, snap=snap)
    if not corrections:
        return Found(hits)
    return Found(hits, corrected, [str(c) for c in corrections])


def safeguarding_answer(question: str) -> Answer:
    """The fixed safeguarding response (kb/taxonomy.yaml) to a question that reports a present risk: no quotes."""
    return Answer(
        question=question,
        answer=load_response().text,
        confident=False,
        citations=[],
        search_query=question,
        evidence=0.0,
        kind="safeguarding",
        safeguarding=True,
        terms=terms_in(load_response().text),
    )


def _filtered_refusal(counts: tuple[int, int], filters: Filters, answerable_without: bool) -> str:
    """Why a filtered question got no answer, and what the filters leave out."""
    within, overall = counts
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
