"""The web service: a thin FastAPI shell over the kb library, plus the practitioners' chat page."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote

import fastapi_offline
from fastapi import Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, StrictBool, field_validator
from starlette.concurrency import run_in_threadpool

from kb.answering.compose import Answer
from kb.editor_api import JobAccepted, editor_router, gap_reason, is_editor, job_accepted, jobs_for, keep_gap, keep_unhelpful
from kb.editors import Identity
from kb.errors import (
    ConflictError,
    DocumentError,
    IndexMismatchError,
    IndexMissingError,
    IngestBusyError,
    InvalidInputError,
    KBError,
    NotFoundError,
    StorageError,
    UnknownDocumentError,
)
from kb.feedback import RateLimit, list_feedback, record_feedback
from kb.http_guards import SAVED_PAGE_POLICY, RequestGuard, authorize_editor, body_limit
from kb.ingest import IngestReport
from kb.knowledge_base import MAX_K, MAX_QUERY_CHARS, DocumentInfo, KnowledgeBase
from kb.settings import Settings, get_settings
from kb.shared_answers import SharedAnswer

STATIC = Path(__file__).resolve().parent / "kb" / "static"
DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"  # Swagger UI 5, shipped in a package
STATUS = {
    InvalidInputError: 422,
    DocumentError: 422,
    NotFoundError: 404,
    IngestBusyError: 409,
    ConflictError: 409,
    IndexMissingError: 503,
    IndexMismatchError: 503,
    StorageError: 503,
}

@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """On start, an upload that a crash interrupted is finished or rolled back, and the log says which."""
    from kb.editing import recover_interrupted

    settings = current_settings()
    outcome = recover_interrupted(settings.corpus_dir, settings.index_dir)
    if outcome:
        logging.getLogger("uvicorn.error").warning("recovered: %s", outcome)
    why = f"the server stopped before this upload was indexed: {outcome or 'the corpus and index are as they were'}"
    jobs_for(settings.index_dir, error_response).fail_unfinished(why)
    yield


app = FastAPI(
    lifespan=lifespan,
    title="SFPC knowledge base",
    description="Search and ask the Strengthening Families, Protecting Children publications; every answer cites its passages.",
    version="0.1.0",
    docs_url=None,  # served below from a package's copy of Swagger UI, not a CDN: /docs works offline
    redoc_url=None,
)
app.mount("/static", StaticFiles(directory=STATIC), name="static")
app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
editor_key = HTTPBearer(auto_error=False, description="An editor's key (kb editors add NAME) or KB_API_KEY, for editing.")


@lru_cache
def knowledge_base_for(index_dir: Path, prefer_onnx: bool) -> KnowledgeBase:
    """One knowledge base per index folder per process (it reloads itself when the index changes)."""
    return KnowledgeBase(index_dir, prefer_onnx=prefer_onnx)


def get_kb(settings: Annotated[Settings, Depends(get_settings)]) -> KnowledgeBase:
    return knowledge_base_for(settings.index_dir, settings.query_embedder == "onnx")


# ---- models -------------------------------------------------------------------------------------


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


# ---- errors -------------------------------------------------------------------------------------


REMEDIES: dict[type[KBError], str] = {
    IndexMissingError: "run `kb ingest` on the server, or add documents with POST /documents",
    IndexMismatchError: "run `kb ingest --rebuild` on the server",
    UnknownDocumentError: "GET /documents lists the indexed ones",
    ConflictError: "send the form field replace=true to replace it; the current version is kept (GET /history)",
}
_SERVER_PATH = re.compile(r"(?<![\w/.])/(?:[^/\s'\":]+/)+([^/\s'\":]+)")  # "/srv/kb/corpus/.upload-x/a.pdf" -> "a.pdf"


def error_detail(exc: KBError) -> str:
    """The library's message, with what to do about it through this API."""
    remedy = next((text for kind, text in REMEDIES.items() if isinstance(exc, kind)), None)
    message = _SERVER_PATH.sub(r"\1", str(exc))  # a file is named, never the server's folders
    return f"{message} ({remedy})" if remedy else message


def error_response(exc: KBError) -> tuple[int, str]:
    """The HTTP status and message of a library error (for a response, or a background job's state)."""
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400), error_detail(exc)


@app.exception_handler(KBError)
async def kb_error(_: Request, exc: KBError) -> JSONResponse:
    status, detail = error_response(exc)
    return JSONResponse(status_code=status, content={"detail": detail})


@app.exception_handler(RequestValidationError)
async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    messages = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        messages.append(f"{where or 'request'}: {error.get('msg', 'is not valid')}")
    return JSONResponse(status_code=422, content={"detail": "; ".join(messages)})


def require_editor(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(editor_key)] = None,
) -> Identity:
    """Editing needs `Authorization: Bearer <key>`, a named editor's key or KB_API_KEY (the Authorize button on
    /docs); without either on the server it is off. (Uploads are checked before their body is read, by RequestGuard.)"""
    who = authorize_editor(settings, f"Bearer {credentials.credentials}" if credentials else None)
    if not isinstance(who, Identity):
        raise _http(*who)
    return who


Editor = Annotated[Identity, Depends(require_editor)]


def current_settings() -> Settings:
    """The settings a request sees (tests override the dependency; middleware has no dependencies)."""
    return app.dependency_overrides.get(get_settings, get_settings)()


app.add_middleware(RequestGuard, settings=current_settings)


def _http(status: int, detail: str) -> Exception:
    from fastapi import HTTPException

    return HTTPException(status_code=status, detail=detail)


ERRORS: dict[int | str, dict[str, object]] = {code: {"model": ErrorOut} for code in (401, 403, 404, 409, 413, 422, 429, 503)}
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".md": "text/markdown; charset=utf-8",
    ".markdown": "text/markdown; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# An uploaded web page may carry script: it opens as itself only inside a sandbox (SAVED_PAGE_POLICY: an origin of
# its own, no script), never as a page of this site.
SAVED_PAGES = {".html", ".htm"}
SERVED_AS_TEXT = ("text/plain", "text/html")
DOWNLOADED = {".docx"}


@lru_cache
def feedback_limit(per_hour: int) -> RateLimit:
    """One limiter per configured rate, shared by every request of the process."""
    return RateLimit(per_hour, 3600)


def document_out(info: DocumentInfo) -> DocumentOut:
    """A document's metadata with its file's name in place of its server path."""
    fields = {k: v for k, v in asdict(info).items() if k != "path"}
    return DocumentOut(**fields, file_name=Path(info.path).name)


# ---- routes -------------------------------------------------------------------------------------


@app.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html")


@app.get("/library", include_in_schema=False)
def documents_page() -> FileResponse:
    """The list of documents the knowledge base holds, with filters."""
    return FileResponse(STATIC / "library.html")


@app.get("/editor", include_in_schema=False)
def editors_page() -> FileResponse:
    """The editors' page: add (with a preview), describe, replace, delete and restore publications."""
    return FileResponse(STATIC / "editor.html")


@app.get("/answers/{answer_id}/view", include_in_schema=False)
def shared_answer_page(answer_id: str) -> FileResponse:
    """A shared answer with its sources, and what changed in them since."""
    return FileResponse(STATIC / "answer.html")


@app.get("/documents/{doc_id}/view", include_in_schema=False)
def document_page(doc_id: str) -> FileResponse:
    """A document's passages in reading order, opened at a cited passage (?passage=<chunk_id>&mark=<start>-<end>)."""
    return FileResponse(STATIC / "document.html")


@app.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


@app.get("/docs", include_in_schema=False)
def api_docs() -> HTMLResponse:
    """Swagger UI from the fastapi-offline package's copy, so the API page loads without internet."""
    return get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - API",
        swagger_js_url="/docs-assets/swagger-ui-bundle.js",
        swagger_css_url="/docs-assets/swagger-ui.css",
        swagger_favicon_url="/favicon.ico",
    )


@app.get("/health", response_model=HealthOut)
def health(kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> HealthOut | JSONResponse:
    """Whether the index is there, how big it is, and its version (changes with every ingest)."""
    try:
        manifest = kb.reader.manifest
    except (IndexMissingError, IndexMismatchError) as exc:
        status: Literal["no_index", "index_error"] = "no_index" if isinstance(exc, IndexMissingError) else "index_error"
        down = HealthOut(status=status, documents=0, chunks=0, index_version=None, detail=error_detail(exc))
        return JSONResponse(status_code=503, content=down.model_dump())
    return HealthOut(
        status="ok",
        documents=manifest.documents,
        chunks=manifest.chunks,
        index_version=kb.index_version(),
    )


@app.get("/search", response_model=SearchOut, responses=ERRORS)
def search(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for.")],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
    model: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    theme: Annotated[list[str], Query()] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query()] = [],  # noqa: B006
    authority: Annotated[list[str], Query()] = [],  # noqa: B006
) -> SearchOut:
    """Ranked passages, the same objects as `kb search --json`."""
    from kb.search import Filters

    filters = Filters.parse(model=model, theme=theme, doc_type=doc_type, authority=authority)
    hits = kb.search(q, k=k, filters=filters)
    return SearchOut(query=q, results=[HitOut(**asdict(h)) for h in hits])


def answer_question(body: AskIn, kb: KnowledgeBase, settings: Settings) -> Answer:
    """The answer POST /ask and POST /answers give to a request body."""
    from kb.answering.conversation import Turn
    from kb.knowledge_base import ask as ask_kb
    from kb.search import Filters

    return ask_kb(
        kb,
        body.question,
        k=body.k,
        filters=Filters.parse(**body.filters.model_dump()),
        history=[Turn(t.role, t.content) for t in body.history],
        threshold=settings.refusal_threshold,
        safeguarding_check=not body.search_anyway,
    )


def ask_out(answer: Answer) -> AskOut:
    return AskOut(
        question=answer.question,
        answer=answer.answer,
        confident=answer.confident,
        citations=[CitationOut(**asdict(c)) for c in answer.citations],
        kind=answer.kind,
        not_covered=answer.not_covered,
        corrections=answer.corrections,
        search_query=answer.search_query,
        searched_for=answer.searched_for,
        safeguarding=answer.safeguarding,
        terms=[TermOut(abbreviation=short, meaning=meaning) for short, meaning in answer.terms],
    )


@app.post("/ask", response_model=AskOut, responses=ERRORS)
def ask(
    body: AskIn,
    request: Request,
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> AskOut:
    """A short answer quoted from the passages with [n] citations, or a plain 'not covered'."""
    answer = answer_question(body, kb, settings)
    # An editor's test question is not a practitioner's gap; nor is a question first read as a safeguarding concern.
    if not is_editor(settings, request) and not body.search_anyway:
        keep_gap(settings, kb, question=body.question, reason=gap_reason(answer), filters=body.filters.model_dump())
    return ask_out(answer)


def document_view(doc_id: str) -> str:
    return f"/documents/{quote(doc_id, safe='')}/view"


def shared_out(shared: SharedAnswer) -> SharedAnswerOut:
    citations = [
        SharedCitationOut(
            **CitationOut.model_validate(c.citation).model_dump(),
            version=c.version,
            status=c.status,
            current_title=c.current_title,
            current_url=document_view(str(c.citation.get("doc_id", ""))) if c.status == "replaced" else None,
        )
        for c in shared.citations
    ]
    given = AskOut.model_validate({**shared.answer, "citations": []})
    return SharedAnswerOut(
        **given.model_dump(exclude={"citations"}),
        citations=citations,
        id=shared.id,
        url=f"/answers/{shared.id}/view",
        created_at=shared.created_at,
        index_version=shared.index_version,
        changed=shared.changed,
    )


def current_versions(kb: KnowledgeBase) -> tuple[dict[str, str], dict[str, str]]:
    versions = kb.document_versions()
    return {d: v for d, (v, _) in versions.items()}, {d: t for d, (_, t) in versions.items()}


@app.post("/answers", response_model=SharedAnswerOut, status_code=201, responses=ERRORS)
def share_answer(
    body: AskIn, kb: Annotated[KnowledgeBase, Depends(get_kb)], settings: Annotated[Settings, Depends(get_settings)]
) -> SharedAnswerOut:
    """Answer a question as POST /ask does and keep the answer under a link (`url`) a colleague can open; a
    safeguarding concern is never kept (422)."""
    from kb.shared_answers import keep_answer, read_answer

    if kb.is_safeguarding_concern(body.question):
        raise InvalidInputError(
            "a question that reports a risk to someone is never kept or shared; follow your safeguarding procedures"
        )
    answer = answer_question(body, kb, settings)
    versions, titles = current_versions(kb)
    cited = {c.doc_id: versions[c.doc_id] for c in answer.citations if c.doc_id in versions}
    kept = keep_answer(
        settings.shared_answers_file, answer=ask_out(answer).model_dump(), versions=cited, index_version=kb.index_version()
    )
    return shared_out(read_answer(settings.shared_answers_file, kept.id, current=versions, titles=titles))


@app.get("/answers/{answer_id}", response_model=SharedAnswerOut, responses=ERRORS)
def shared_answer(
    answer_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)], settings: Annotated[Settings, Depends(get_settings)]
) -> SharedAnswerOut:
    """A shared answer exactly as it was given, each citation with the version it quotes and whether that is still
    `current`, `replaced` or `deleted`."""
    from kb.shared_answers import read_answer

    versions, titles = current_versions(kb)
    return shared_out(read_answer(settings.shared_answers_file, answer_id, current=versions, titles=titles))


@app.delete("/answers/{answer_id}", status_code=204, responses=ERRORS, dependencies=[Depends(require_editor)])
def remove_shared_answer(answer_id: str, settings: Annotated[Settings, Depends(get_settings)]) -> None:
    """Remove a shared answer (editors' key needed); its link then says it was removed."""
    from kb.shared_answers import remove_answer

    remove_answer(settings.shared_answers_file, answer_id)


@app.get("/peers", response_model=PeersOut, responses=ERRORS)
def peers(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="A topic: 'reunification', 'kinship care'.")],
    model: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    theme: Annotated[list[str], Query()] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query()] = [],  # noqa: B006
    authority: Annotated[list[str], Query()] = [],  # noqa: B006
) -> PeersOut:
    """The councils with evidence about a topic, ranked, each with its role, model and cited passages."""
    from kb.peers import find_peers
    from kb.search import Filters

    filters = Filters.parse(model=model, theme=theme, doc_type=doc_type, authority=authority)
    return PeersOut.model_validate(asdict(find_peers(kb, q, filters=filters)))


@app.get("/councils/{council_id}", response_model=CouncilOut, responses=ERRORS)
def council(council_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> CouncilOut:
    """A council's role and model, and every passage that names it, grouped by document, newest first."""
    from kb.peers import council_page

    return CouncilOut.model_validate(asdict(council_page(kb, council_id)))


@app.get("/compare", response_model=CompareOut, responses=ERRORS)
def compare(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="A question to ask of each model.")],
) -> CompareOut:
    """The question answered for Family Valued, Family Safeguarding and No Wrong Door, side by side."""
    from kb.compare import compare_models

    return CompareOut.model_validate(asdict(compare_models(kb, q)))


@app.get("/facets", response_model=FacetsOut, responses=ERRORS)
def facets(kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> FacetsOut:
    """Models, themes, document types and authorities with counts, for building filters."""
    return FacetsOut.model_validate(kb.facets())


@app.get("/suggestions", response_model=SuggestionsOut, responses=ERRORS)
def suggestions(kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> SuggestionsOut:
    """A few questions the knowledge base answers, drawn from its models and themes (for an empty chat)."""
    from kb.suggestions import suggested_questions

    return SuggestionsOut(questions=suggested_questions(kb))


@app.get("/documents", response_model=list[DocumentOut], responses=ERRORS)
def documents(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="Only documents whose title or text holds every word.")
    ] = None,
) -> list[DocumentOut]:
    """The indexed documents, by title."""
    return [document_out(d) for d in kb.documents(matching=q)]


@app.get("/documents/{doc_id}", response_model=DocumentDetailOut, responses=ERRORS)
def document(doc_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> DocumentDetailOut:
    """One document's metadata and its passages in reading order."""
    info, passages = kb.document(doc_id)
    return DocumentDetailOut(**document_out(info).model_dump(), passages=[HitOut(**asdict(h)) for h in passages])


@app.get(
    "/documents/{doc_id}/file",
    response_class=FileResponse,
    responses={**ERRORS, 200: {"content": {media.split(";")[0]: {} for media in [*MEDIA_TYPES.values(), *SERVED_AS_TEXT]}}},
)
def document_file(doc_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> FileResponse:
    """The original file a document was indexed from (add #page=N to a PDF's address to open it at a page); Word
    files are downloads; a saved web page opens as itself, sandboxed (no script runs)."""
    path = kb.document_file(doc_id)
    suffix = path.suffix.lower()
    if suffix in SAVED_PAGES:
        headers = {"Content-Security-Policy": SAVED_PAGE_POLICY}
        return FileResponse(
            path, media_type="text/html; charset=utf-8", headers=headers, filename=path.name, content_disposition_type="inline"
        )
    media_type = MEDIA_TYPES.get(suffix, "text/plain; charset=utf-8")
    disposition = "attachment" if suffix in DOWNLOADED else "inline"
    # Every response carries X-Content-Type-Options: nosniff (kb/http_guards.py): a browser never guesses HTML from the bytes.
    return FileResponse(path, media_type=media_type, filename=path.name, content_disposition_type=disposition)


@app.post("/feedback", response_model=FeedbackOut, status_code=201, responses=ERRORS)
def give_feedback(
    body: FeedbackIn,
    request: Request,
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> FeedbackOut | JSONResponse:
    """Say whether an answer helped (no key needed); stored with the index version it came from."""
    if kb.is_safeguarding_concern(body.question):
        raise InvalidInputError(
            "feedback on a safeguarding concern is not kept: questions that report a risk to someone are never stored"
        )
    wait = feedback_limit(settings.feedback_per_hour).retry_after(request.client.host if request.client else "unknown")
    if wait:
        seconds = int(wait) + 1
        detail = f"too much feedback from this address: at most {settings.feedback_per_hour} an hour; try again in {seconds} s"
        return JSONResponse(status_code=429, content={"detail": detail}, headers={"Retry-After": str(seconds)})
    entry = record_feedback(
        settings.feedback_file,
        question=body.question,
        answer=body.answer,
        helpful=body.helpful,
        comment=body.comment,
        citations=[c.model_dump(exclude_none=True) for c in body.citations],
        filters={k: v for k, v in body.filters.model_dump().items() if v},
        index_version=kb.index_version(),
    )
    if not body.helpful:
        keep_unhelpful(settings, kb, question=body.question, filters=body.filters.model_dump())
    return FeedbackOut.model_validate(asdict(entry))


@app.get("/feedback", response_model=list[FeedbackOut], responses=ERRORS, dependencies=[Depends(require_editor)])
def feedback(
    settings: Annotated[Settings, Depends(get_settings)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    helpful: bool | None = None,
) -> list[FeedbackOut]:
    """Practitioners' feedback, newest first (editors' key needed)."""
    entries = list_feedback(settings.feedback_file, limit=limit, helpful=helpful)
    return [FeedbackOut.model_validate(asdict(e)) for e in entries]


class UploadForm:
    """The upload's file and the metadata fields sent with it (multipart form)."""

    def __init__(
        self,
        file: Annotated[
            UploadFile, File(description="PDF, Word (.docx), Markdown, text or web page (.html); at most KB_MAX_UPLOAD_MB.")
        ],
        title: Annotated[str | None, Form(max_length=500)] = None,
        doc_type: Annotated[str | None, Form(description="One of the types of GET /facets (doc_types).")] = None,
        date: Annotated[str | None, Form(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
        source: Annotated[str | None, Form(max_length=2000, description="Where it was published (a web address).")] = None,
        publisher: Annotated[str | None, Form(max_length=500)] = None,
    ) -> None:
        self.file = file
        self.metadata = {"title": title, "doc_type": doc_type, "date": date, "source": source, "publisher": publisher}

    async def content(self, settings: Settings) -> bytes:
        limit = int(settings.max_upload_mb * 1024 * 1024)
        content = await self.file.read(limit + 1)
        if len(content) > limit:
            raise _http(413, body_limit(settings, upload=True)[1])
        return content


def ingest_out(report: IngestReport) -> IngestOut:
    return IngestOut(
        added=report.added,
        replaced=report.replaced,
        removed=report.removed,
        documents=report.documents,
        chunks=report.chunks,
        warnings=[f"{Path(w.path).name}: {w.message}" for w in report.warnings],  # the file's name, never a server folder
    )


@app.post("/documents/preview", response_model=PreviewOut, responses=ERRORS, dependencies=[Depends(require_editor)])
async def preview_upload(
    form: Annotated[UploadForm, Depends()], settings: Annotated[Settings, Depends(get_settings)]
) -> PreviewOut:
    """What an upload would be indexed as: title, type, date, sections, first passages, and the document it
    would replace; nothing is saved."""
    from kb.editing import preview_document

    content = await form.content(settings)
    preview = await run_in_threadpool(
        preview_document,
        form.file.filename or "",
        content,
        form.metadata,
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
    )
    return PreviewOut.model_validate(asdict(preview))


@app.post("/documents", response_model=JobAccepted, status_code=202, responses=ERRORS)
async def upload_document(
    who: Editor,
    form: Annotated[UploadForm, Depends()],
    settings: Annotated[Settings, Depends(get_settings)],
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    replace: Annotated[bool, Form(description="Replace the document with the same id (kept in the history).")] = False,
) -> JobAccepted:
    """Queue a document to be saved into the corpus and indexed in the background (GET /jobs/{id} follows it).
    A bad name, type, size or metadata, or an id already taken without `replace=true` (409), is refused at once;
    a file that cannot be read fails its job and changes nothing."""
    from kb.editing import add_document, check_upload

    content, name = await form.content(settings), form.file.filename or ""
    check_upload(name, content, form.metadata, corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, replace=replace)

    def index_upload(on_progress: Callable[[str, int, int], None]) -> dict[str, object]:
        report = add_document(name, content, form.metadata, corpus_dir=settings.corpus_dir, index_dir=settings.index_dir,
                              replace=replace, embedder_factory=lambda: kb.embedder,  # the model the server already holds
                              editor=who.name, on_progress=on_progress)  # fmt: skip
        return ingest_out(report).model_dump()

    job = jobs_for(settings.index_dir, error_response).submit(name, index_upload, editor=who.name)
    return job_accepted(job)


@app.patch("/documents/{doc_id}", response_model=IngestOut, responses=ERRORS)
def describe_document(
    who: Editor,
    doc_id: str,
    body: MetadataIn,
    settings: Annotated[Settings, Depends(get_settings)],
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
) -> IngestOut:
    """Change a document's title, type, date, source or publisher (the previous version is kept in the history)."""
    from kb.editing import update_metadata

    report = update_metadata(
        doc_id,
        body.model_dump(exclude_none=True),
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
        embedder_factory=lambda: kb.embedder,
        editor=who.name,
    )
    return ingest_out(report)


@app.get("/history", response_model=list[VersionOut], responses=ERRORS, dependencies=[Depends(require_editor)])
def kept_versions(settings: Annotated[Settings, Depends(get_settings)], doc_id: str | None = None) -> list[VersionOut]:
    """Replaced, re-described and deleted versions kept in the corpus history, newest first."""
    from kb.editing import history

    return [VersionOut.model_validate(asdict(v)) for v in history(settings.corpus_dir, doc_id)]


@app.post("/documents/{doc_id}/restore", response_model=RestoreOut, responses=ERRORS)
def restore(
    who: Editor,
    doc_id: str,
    settings: Annotated[Settings, Depends(get_settings)],
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    version: str | None = None,
) -> RestoreOut:
    """Bring back a kept version (the newest unless `version` is given); the current one goes to the history."""
    from kb.editing import restore_document

    chosen, report = restore_document(
        doc_id,
        corpus_dir=settings.corpus_dir,
        index_dir=settings.index_dir,
        version=version,
        embedder_factory=lambda: kb.embedder,
        editor=who.name,
    )
    return RestoreOut(restored=VersionOut.model_validate(asdict(chosen)), **ingest_out(report).model_dump())


@app.delete("/documents/{doc_id}", response_model=IngestOut, responses=ERRORS)
def delete_document(who: Editor, doc_id: str, settings: Annotated[Settings, Depends(get_settings)]) -> IngestOut:
    """Remove a document from the index; its file moves to the corpus history (POST /documents/{id}/restore)."""
    from kb.editing import delete_document as delete

    report = delete(doc_id, corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, editor=who.name)
    return ingest_out(report)


app.include_router(editor_router(get_kb=get_kb, require_editor=require_editor, explain=error_response, errors=ERRORS))
