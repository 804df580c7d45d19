"""The documents room of the web API: the documents page and a document's view, the list of documents (searched by
title and text), one document, its original file, and the facets to filter by. A thin shell over kb/."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse

from kb.api_deps import get_kb
from kb.api_models import ERRORS, DocumentDetailOut, DocumentOut, FacetsOut, HitOut
from kb.http_guards import SAVED_PAGE_POLICY
from kb.knowledge_base import MAX_QUERY_CHARS, DocumentInfo, KnowledgeBase

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter()
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


def document_out(info: DocumentInfo) -> DocumentOut:
    """A document's metadata with its file's name in place of its server path."""
    fields = {k: v for k, v in asdict(info).items() if k != "path"}
    return DocumentOut(**fields, file_name=Path(info.path).name)


@router.get("/library", include_in_schema=False)
def documents_page() -> FileResponse:
    """The list of documents the knowledge base holds, with filters."""
    return FileResponse(STATIC / "library.html")


@router.get("/documents/{doc_id}/view", include_in_schema=False)
def document_page(doc_id: str) -> FileResponse:
    """A document's passages in reading order, opened at a cited passage (?passage=<chunk_id>&mark=<start>-<end>)."""
    return FileResponse(STATIC / "document.html")


@router.get("/facets", response_model=FacetsOut, responses=ERRORS)
def facets(kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> FacetsOut:
    """Models, themes, document types and authorities with counts, for building filters."""
    return FacetsOut.model_validate(kb.facets())


@router.get("/documents", response_model=list[DocumentOut], responses=ERRORS)
def documents(
    kb: Annotated[KnowledgeBase, Depends(get_kb)],
    q: Annotated[
        str | None, Query(max_length=MAX_QUERY_CHARS, description="Only documents whose title or text holds every word.")
    ] = None,
) -> list[DocumentOut]:
    """The indexed documents, by title."""
    return [document_out(d) for d in kb.documents(matching=q)]


@router.get("/documents/{doc_id}", response_model=DocumentDetailOut, responses=ERRORS)
def document(doc_id: str, kb: Annotated[KnowledgeBase, Depends(get_kb)]) -> DocumentDetailOut:
    """One document's metadata and its passages in reading order."""
    info, passages = kb.document(doc_id)
    return DocumentDetailOut(**document_out(info).model_dump(), passages=[HitOut(**asdict(h)) for h in passages])


@router.get(
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
