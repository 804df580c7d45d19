"""The practitioners' room of the web API: the chat page and a shared answer's page, searching, asking, shared answers,
peers, councils, comparisons, suggestions and feedback. A thin shell: each route makes one call into kb/."""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse

from kb.answering.compose import Answer
from kb.api_deps import get_kb
from kb.api_models import (
    ERRORS,
    AskIn,
    AskOut,
    CitationOut,
    CompareOut,
    CouncilOut,
    FeedbackIn,
    FeedbackOut,
    HitOut,
    PeersOut,
    SearchOut,
    SharedAnswerOut,
    SharedCitationOut,
    SuggestionsOut,
    TermOut,
)
from kb.editor_api import gap_reason, is_editor, keep_gap, keep_unhelpful
from kb.errors import InvalidInputError
from kb.feedback import RateLimit, record_feedback
from kb.knowledge_base import MAX_K, MAX_QUERY_CHARS, KnowledgeBase
from kb.settings import Settings, get_settings
from kb.shared_answers import SharedAnswer

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter()


@router.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    return FileResponse(STATIC / "index.html")


@router.get("/answers/{answer_id}/view", include_in_schema=False)
def shared_answer_page(answer_id: str) -> FileResponse:
    """A shared answer with its sources, and what changed in them since."""
    return FileResponse(STATIC / "answer.html")


@router.get("/search", response_model=SearchOut, responses=ERRORS)
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
    from kb.knowledge_base import search_as_meant
    from kb.search import Filters

    filters = Filters.parse(model=model, theme=theme, doc_type=doc_type, authority=authority)
    found = search_as_meant(kb, q, k=k, filters=filters)
    results = [HitOut(**asdict(h)) for h in found.hits]
    return SearchOut(query=q, results=results, searched_for=found.searched_for, corrections=found.corrections)


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


@router.post("/ask", response_model=AskOut, responses=ERRORS)
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


@router.post("/answers", response_model=SharedAnswerOut, status_code=201, responses=ERRORS)
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


@router.get("/answers/{answer_id}", response_model=SharedAnswerOut, responses=ERRORS)
def shared_answer(
    answer_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)], settings: Annotated[Settings, Depends(get_settings)]
) -> SharedAnswerOut:
    """A shared answer exactly as it was given, each citation with the version it quotes and whether that is still
    `current`, `replaced` or `deleted`."""
    from kb.shared_answers import read_answer

    versions, titles = current_versions(kb)
    return shared_out(read_answer(settings.shared_answers_file, answer_id, current=versions, titles=titles))


@router.get("/peers", response_model=PeersOut, responses=ERRORS)
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


@router.get("/councils/{council_id}", response_model=CouncilOut, responses=ERRORS)
def council(council_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> CouncilOut:
    """A council's role and model, and every passage that names it, grouped by document, newest first."""
    from kb.peers import council_page

    return CouncilOut.model_validate(asdict(council_page(kb, council_id)))


@router.get("/compare", response_model=CompareOut, responses=ERRORS)
def compare(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="A question to ask of each model.")],
) -> CompareOut:
    """The question answered for Family Valued, Family Safeguarding and No Wrong Door, side by side."""
    from kb.compare import compare_models

    return CompareOut.model_validate(asdict(compare_models(kb, q)))


@router.get("/suggestions", response_model=SuggestionsOut, responses=ERRORS)
def suggestions(kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> SuggestionsOut:
    """A few questions the knowledge base answers, drawn from its models and themes (for an empty chat)."""
    from kb.suggestions import suggested_questions

    return SuggestionsOut(questions=suggested_questions(kb))


@lru_cache
def feedback_limit(per_hour: int) -> RateLimit:
    """One limiter per configured rate, shared by every request of the process."""
    return RateLimit(per_hour, 3600)


@router.post("/feedback", response_model=FeedbackOut, status_code=201, responses=ERRORS)
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
