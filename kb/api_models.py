"""The web API's request and response models (Pydantic), shared by its rooms; OpenAPI names them as they are named here."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from kb.api_deps import current_settings
from kb.knowledge_base import MAX_K, MAX_QUERY_CHARS


class ErrorOut(BaseModel):
    detail: str


class HitOut(BaseModel):
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
    source_label: str = Field(default="", description="The publication's kind and date: 'Evaluation report · July 2020'.")
    tags: dict[str, list[str]] = {}
    dense_score: float | None = None
    lexical_score: float | None = None


class SearchOut(BaseModel):
    query: str
    results: list[HitOut]
    searched_for: str | None = None  # the query as searched, when a misspelt name was corrected
    corrections: list[str] = []  # "wokingam → Wokingham"


class FiltersIn(BaseModel):
    model: list[str] = []
    theme: list[str] = []
    doc_type: list[str] = []
    authority: list[str] = []


class TurnIn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The practitioner's question.")
    k: int = Field(default=5, ge=1, le=MAX_K)
    filters: FiltersIn = FiltersIn()
    history: list[TurnIn] = Field(
        default=[], description="Earlier turns, oldest first; only the most recent KB_MAX_HISTORY_TURNS (20) are read."
    )
    search_anyway: bool = Field(
        default=False,
        description="Answer from the publications even if the question reads as a safeguarding concern (the reader "
        "saw the safeguarding response and asked to search the topic).",
    )

    @field_validator("history", mode="before")
    @classmethod
    def recent_turns(cls, value: object) -> object:
        """A follow-up needs only the recent turns: older ones are dropped before any turn is parsed."""
        if isinstance(value, list):
            keep = current_settings().max_history_turns
            return value[-keep:] if keep else []
        return value


class CitationOut(BaseModel):
    n: int
    chunk_id: int
    doc_id: str
    title: str
    doc_type: str
    date: str | None
    section: str
    page: int | None
    text: str
    score: float
    speaker: str | None = None
    source_label: str = Field(
        default="",
        description="The publication's kind and date, with its age when old: 'Evaluation report · July 2020', "
        "'Transcript (one speaker's view) · 15 June 2022'.",
    )
    highlights: list[tuple[int, int]] = Field(default=[], description="Character spans of `text` that the answer quotes.")


class TermOut(BaseModel):
    abbreviation: str
    meaning: str


class AskOut(BaseModel):
    question: str
    answer: str
    confident: bool
    citations: list[CitationOut]
    kind: str = Field(description="What the question asks for: council, person, date, number, age, list, definition, ...")
    not_covered: list[str] = Field(default=[], description="Parts of the question that no passage answers.")
    corrections: list[str] = Field(default=[], description="Misspelt names read as others ('famly safegarding → ...').")
    search_query: str = Field(description="What was searched for (with corrections and what a follow-up inherits).")
    searched_for: str | None = Field(
        default=None, description="Set when the conversation or a correction changed the search: what was searched for instead."
    )
    terms: list[TermOut] = Field(default=[], description="Abbreviations the answer uses and what they stand for.")
    safeguarding: bool = Field(
        default=False,
        description="The question reports a present risk to someone: `answer` is the safeguarding response (what to do "
        "now), not an answer from the publications, and nothing was stored. Ask again with search_anyway to search.",
    )


class SharedCitationOut(CitationOut):
    version: str | None = Field(description="The version (content hash) of the publication the citation quotes.")
    status: Literal["current", "replaced", "deleted"] = Field(
        description="Whether that version is still the indexed one, was replaced by another, or was deleted."
    )
    current_title: str | None = Field(default=None, description="The publication's title now, unless deleted.")
    current_url: str | None = Field(default=None, description="When replaced: the document view of the current version.")


class SharedAnswerOut(AskOut):
    citations: list[SharedCitationOut]  # type: ignore[assignment]
    id: str
    url: str = Field(description="The page that shows this answer (give it to a colleague).")
    created_at: str
    index_version: str | None
    changed: bool = Field(description="A publication the answer quotes was replaced or deleted since it was shared.")


class PeerOut(BaseModel):
    id: str
    name: str
    role: Literal["innovator", "adopter", "outside the programme"]
    model: str | None
    score: float
    passages: list[CitationOut]
    quotes: list[str] = Field(description="Per passage, the sentence that connects the council to the topic.")


class PeersOut(BaseModel):
    topic: str
    councils: list[PeerOut]


class CouncilDocumentOut(BaseModel):
    doc_id: str
    title: str
    date: str | None
    passages: list[CitationOut]
    mentions: list[str] = Field(description="Per passage, the sentence that names the council.")


class CouncilOut(BaseModel):
    id: str
    name: str
    role: Literal["innovator", "adopter", "outside the programme"]
    model: str | None
    documents: list[CouncilDocumentOut]


class ModelAnswerOut(BaseModel):
    model: str
    answer: str
    confident: bool
    citations: list[CitationOut]


class CompareOut(BaseModel):
    question: str
    models: list[ModelAnswerOut]


class HealthOut(BaseModel):
    status: Literal["ok", "no_index", "index_error"]
    documents: int
    chunks: int
    index_version: str | None
    detail: str | None = None


class FacetOut(BaseModel):
    id: str
    name: str
    count: int


class SuggestionsOut(BaseModel):
    questions: list[str]


class FacetsOut(BaseModel):
    models: list[FacetOut]
    themes: list[FacetOut]
    doc_types: list[FacetOut]
    authorities: list[FacetOut]


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    doc_type: str
    date: str | None
    source: str | None
    publisher: str | None
    chunks: int
    indexed_at: str
    tags: dict[str, list[str]] = Field(default={}, description="Models, themes and authorities its passages concern.")
    file_name: str = Field(description="The name of its file (GET /documents/{doc_id}/file serves it).")


class DocumentDetailOut(DocumentOut):
    passages: list[HitOut]


class IngestOut(BaseModel):
    added: list[str]
    replaced: list[str]
    removed: list[str]
    documents: int
    chunks: int
    warnings: list[str] = Field(
        default_factory=list,
        description="Files indexed, but not quite as they say, e.g. \"note.md: doc_type 'timeline' is not a known type; "
        "indexed as 'document' (known: ...)\".",
    )
    kept: bool | None = Field(
        default=None,
        description="After a delete: whether the file was kept in the corpus history (false for a file indexed from outside "
        "the corpus folder, which stays where it is and is only taken out of the index).",
    )


class CitedIn(BaseModel):
    """What an answer cited (the page sends its citations; fields beyond these are ignored)."""

    n: int = Field(ge=1, le=1000)
    doc_id: str = Field(max_length=300)
    chunk_id: int | None = None
    title: str | None = Field(default=None, max_length=500)
    page: int | None = None


class FeedbackIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    answer: str = Field(max_length=20_000)
    helpful: StrictBool
    comment: str | None = Field(default=None, max_length=2_000)
    citations: list[CitedIn] = Field(default=[], max_length=50)
    filters: FiltersIn = FiltersIn()


class FeedbackOut(BaseModel):
    id: int
    question: str
    answer: str
    helpful: bool
    comment: str | None
    citations: list[dict[str, object]]
    filters: dict[str, list[str]]
    index_version: str | None
    created_at: str


class PreviewOut(BaseModel):
    doc_id: str
    file_name: str
    title: str
    doc_type: str
    date: str | None
    source: str | None
    sections: list[str]
    passages: list[str] = Field(description="The first passages as they would be indexed.")
    chunks: int
    replaces: str | None = Field(description="The title of the document with the same id, which the upload would replace.")
    warnings: list[str] = Field(default_factory=list, description="What would be indexed differently from what the file says.")


class MetadataIn(BaseModel):
    title: str | None = Field(default=None, max_length=500)
    doc_type: str | None = None
    date: str | None = Field(default=None, max_length=10)
    source: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=500)


class VersionOut(BaseModel):
    doc_id: str
    version: str
    action: str
    title: str | None
    file_name: str
    saved_at: str
    editor: str | None = Field(default=None, description="The named editor whose change kept this version (null: unnamed).")
    added_by: str | None = Field(default=None, description="The named editor who had put this version in place, if known.")


class RestoreOut(IngestOut):
    restored: VersionOut


ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorOut} for code in (401, 403, 404, 409, 413, 422, 429, 503)}
