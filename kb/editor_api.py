"""The editors' room of the web API: their page, adding, describing, replacing, deleting and restoring documents (with
background upload jobs), who a key belongs to, the gaps, practitioners' feedback, and removing a shared answer.

A thin shell like api.py (which includes this router): each route makes one call into kb/ and wraps the result.
(No `from __future__ import annotations`: FastAPI must read the routes' annotations, which name the shell's
dependencies passed in to `editor_router`.)
"""


import logging
from collections.abc import Callable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from kb.api_deps import http_error
from kb.api_models import FeedbackOut, IngestOut, MetadataIn, PreviewOut, RestoreOut, VersionOut
from kb.editors import Identity
from kb.errors import KBError, StorageError
from kb.feedback import list_feedback
from kb.gaps import Reason, dismiss_topic, gap_reason, gap_topics, recheck_gaps, record_gap
from kb.http_guards import authorize_editor, body_limit
from kb.ingest import IngestReport
from kb.jobs import Job, Jobs
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings, get_settings

JOBS_FOLDER = "jobs"  # in the index folder, beside the generations
STATIC = Path(__file__).resolve().parent / "static"


class EditorOut(BaseModel):
    name: str | None = Field(description="The named editor this key belongs to; null for the shared KB_API_KEY.")


class TopicOut(BaseModel):
    id: int
    label: str = Field(description="The question nearest the topic's middle.")
    count: int = Field(description="How many times questions of this topic were asked.")
    questions: list[str] = Field(description="The distinct questions (personal details masked), most asked first.")
    first_asked: str
    last_asked: str
    reasons: dict[str, int] = Field(description="How many were refused, partly not covered, or marked not helpful.")
    status: str = Field(description="open, or answered: a recheck found every question answered now.")
    answer: str | None = Field(
        default=None,
        description="The answer at the last recheck that found the topic answered (a later edit can change it: recheck again).",
    )
    filters: list[dict[str, list[str]]] = []


class GapsOut(BaseModel):
    gaps: list[TopicOut]


class JobRef(BaseModel):
    id: str
    url: str


class JobAccepted(BaseModel):
    job: JobRef


class JobOut(BaseModel):
    id: str
    file_name: str
    status: str = Field(description="queued, running, done or failed.")
    progress: float = Field(ge=0, le=1)
    created_at: str
    finished_at: str | None = None
    report: dict[str, Any] | None = Field(default=None, description="When done: what POST /documents used to answer.")
    error: str | None = Field(default=None, description="When failed: why; the corpus and index are as they were.")
    error_code: int | None = Field(default=None, description="The HTTP status of the error (409, 422, 503...).")
    editor: str | None = None


@lru_cache
def jobs_for(index_dir: Path, explain: Callable[[KBError], tuple[int, str]]) -> Jobs:
    """One upload queue per index folder per process."""
    return Jobs(index_dir / JOBS_FOLDER, explain=explain)


def job_accepted(job: Job) -> JobAccepted:
    return JobAccepted(job=JobRef(id=job.id, url=f"/jobs/{job.id}"))


def is_editor(settings: Settings, request: Request) -> bool:
    """Whether a request carries an editor's key, or any key: an editor's own test question is not a practitioner's
    gap, nor is one asked with a key revoked while the editors' page was open (practitioners' pages send none)."""
    header = request.headers.get("authorization")
    return bool(header) or isinstance(authorize_editor(settings, header), Identity)


def keep_gap(
    settings: Settings, kb: KnowledgeBase, *, question: str, reason: Reason | None, filters: dict[str, list[str]]
) -> None:
    """Keep an unanswered question as a gap (unless keeping is off); a failure to keep it never fails the answer."""
    if reason is None or not settings.keep_gaps:
        return
    try:
        record_gap(
            settings.gaps_file,
            question=question,
            reason=reason,
            embed=kb.embed_query,
            filters={k: v for k, v in filters.items() if v},
            index_version=kb.index_version(),
            days=settings.gaps_days,
        )
    except StorageError as exc:
        logging.getLogger("uvicorn.error").warning("%s", exc)


def keep_unhelpful(settings: Settings, kb: KnowledgeBase, *, question: str, filters: dict[str, list[str]]) -> None:
    """An answer marked not helpful keeps its question as a gap, unless the server's answer to it is a safeguarding
    reply (asked again here: the page's copy of the answer is not trusted to say so)."""
    from kb.knowledge_base import ask
    from kb.search import Filters

    if not settings.keep_gaps:
        return
    try:
        again = ask(kb, question, filters=Filters.parse(**filters), threshold=settings.refusal_threshold)
    except KBError:
        return  # a question that cannot be asked (no words, no index) is no gap in the publications
    if not getattr(again, "safeguarding", False):
        keep_gap(settings, kb, question=question, reason="not helpful", filters=filters)


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
            raise http_error(413, body_limit(settings, upload=True)[1])
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


def editor_router(
    *,
    get_kb: Callable[..., KnowledgeBase],
    require_editor: Callable[..., Identity],
    explain: Callable[[KBError], tuple[int, str]],
    errors: dict[int | str, dict[str, Any]],
) -> APIRouter:
    """The routes, wired to the shell's own dependencies (so tests' overrides of them apply here too)."""
    router = APIRouter(responses=errors)
    Who = Annotated[Identity, Depends(require_editor)]
    SettingsDep = Annotated[Settings, Depends(get_settings)]

    @router.get("/editors/me", response_model=EditorOut)
    def who_am_i(who: Who) -> EditorOut:
        """Whose key this is (the editors' page greets them by name)."""
        return EditorOut(name=who.name)

    @router.get("/gaps", response_model=GapsOut, dependencies=[Depends(require_editor)])
    def gaps(settings: SettingsDep) -> GapsOut:
        """What practitioners asked and did not get, grouped into topics, most asked first (editors' key needed)."""
        topics = gap_topics(settings.gaps_file, days=settings.gaps_days)
        return GapsOut(gaps=[TopicOut.model_validate(asdict(t)) for t in topics])

    @router.post("/gaps/recheck", response_model=GapsOut, dependencies=[Depends(require_editor)])
    def recheck(settings: SettingsDep, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> GapsOut:
        """Ask each open topic's questions again against the current index; topics now answered say so."""
        from kb.knowledge_base import ask
        from kb.search import Filters

        def ask_again(question: str, filters: dict[str, list[str]]) -> Any:
            return ask(kb, question, filters=Filters.parse(**filters), threshold=settings.refusal_threshold)

        topics = recheck_gaps(settings.gaps_file, ask_again, days=settings.gaps_days)
        return GapsOut(gaps=[TopicOut.model_validate(asdict(t)) for t in topics])

    @router.post("/gaps/{topic_id}/dismiss", response_model=TopicOut, dependencies=[Depends(require_editor)])
    def dismiss(topic_id: int, settings: SettingsDep) -> TopicOut:
        """Hide a topic (dealt with, or out of scope); a new question like it starts a new topic."""
        return TopicOut.model_validate(asdict(dismiss_topic(settings.gaps_file, topic_id, days=settings.gaps_days)))

    @router.get("/jobs/{job_id}", response_model=JobOut, dependencies=[Depends(require_editor)])
    def job(job_id: str, settings: SettingsDep) -> JobOut:
        """An upload's state: queued, running (with progress 0-1), done (with the report) or failed (with why)."""
        return JobOut.model_validate(asdict(jobs_for(settings.index_dir, explain).get(job_id)))

    Editor = Annotated[Identity, Depends(require_editor)]
    ERRORS = errors

    @router.get("/editor", include_in_schema=False)
    def editors_page() -> FileResponse:
        """The editors' page: add (with a preview), describe, replace, delete and restore publications."""
        return FileResponse(STATIC / "editor.html")


    @router.delete("/answers/{answer_id}", status_code=204, responses=ERRORS, dependencies=[Depends(require_editor)])
    def remove_shared_answer(answer_id: str, settings: Annotated[Settings, Depends(get_settings)]) -> None:
        """Remove a shared answer (editors' key needed); its link then says it was removed."""
        from kb.shared_answers import remove_answer

        remove_answer(settings.shared_answers_file, answer_id)


    @router.get("/feedback", response_model=list[FeedbackOut], responses=ERRORS, dependencies=[Depends(require_editor)])
    def feedback(
        settings: Annotated[Settings, Depends(get_settings)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        helpful: bool | None = None,
    ) -> list[FeedbackOut]:
        """Practitioners' feedback, newest first (editors' key needed)."""
        entries = list_feedback(settings.feedback_file, limit=limit, helpful=helpful)
        return [FeedbackOut.model_validate(asdict(e)) for e in entries]


    @router.post("/documents/preview", response_model=PreviewOut, responses=ERRORS, dependencies=[Depends(require_editor)])
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


    @router.post("/documents", response_model=JobAccepted, status_code=202, responses=ERRORS)
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

        job = jobs_for(settings.index_dir, explain).submit(name, index_upload, editor=who.name)
        return job_accepted(job)


    @router.patch("/documents/{doc_id}", response_model=IngestOut, responses=ERRORS)
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


    @router.get("/history", response_model=list[VersionOut], responses=ERRORS, dependencies=[Depends(require_editor)])
    def kept_versions(settings: Annotated[Settings, Depends(get_settings)], doc_id: str | None = None) -> list[VersionOut]:
        """Replaced, re-described and deleted versions kept in the corpus history, newest first."""
        from kb.editing import history

        return [VersionOut.model_validate(asdict(v)) for v in history(settings.corpus_dir, doc_id)]


    @router.post("/documents/{doc_id}/restore", response_model=RestoreOut, responses=ERRORS)
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


    @router.delete("/documents/{doc_id}", response_model=IngestOut, responses=ERRORS)
    def delete_document(who: Editor, doc_id: str, settings: Annotated[Settings, Depends(get_settings)]) -> IngestOut:
        """Remove a document from the index; its file moves to the corpus history (POST /documents/{id}/restore)."""
        from kb.editing import delete_document as delete
        from kb.editing import in_corpus

        kept = in_corpus(doc_id, settings.corpus_dir)
        report = delete(doc_id, corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, editor=who.name)
        return ingest_out(report).model_copy(update={"kept": kept})

    return router


__all__ = ["editor_router", "gap_reason", "is_editor", "job_accepted", "jobs_for", "keep_gap", "keep_unhelpful"]
