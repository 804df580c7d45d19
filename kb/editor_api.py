"""The editors' web routes beyond documents: who a key belongs to, the gaps, and background upload jobs.

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

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from kb.editors import Identity
from kb.errors import KBError, StorageError
from kb.gaps import Reason, dismiss_topic, gap_reason, gap_topics, recheck_gaps, record_gap
from kb.http_guards import authorize_editor
from kb.jobs import Job, Jobs
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings, get_settings

JOBS_FOLDER = "jobs"  # in the index folder, beside the generations


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
    answer: str | None = Field(default=None, description="The answer they get now, once answered.")
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
    """Whether a request carries an editor's key (an editor's own test question is not a practitioner's gap)."""
    return isinstance(authorize_editor(settings, request.headers.get("authorization")), Identity)


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

    return router


__all__ = ["editor_router", "gap_reason", "is_editor", "job_accepted", "jobs_for", "keep_gap", "keep_unhelpful"]
