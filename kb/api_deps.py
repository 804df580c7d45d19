"""What every room of the web API shares: the knowledge base and settings a request sees, the editors' key, and how
a library error becomes an HTTP status and message."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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
    OutsideCorpusError,
    StorageError,
    UnknownDocumentError,
)
from kb.http_guards import authorize_editor
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings, get_settings

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
REMEDIES: dict[type[KBError], str] = {
    IndexMissingError: "run `kb ingest` on the server, or add documents with POST /documents",
    IndexMismatchError: "run `kb ingest --rebuild` on the server",
    UnknownDocumentError: "GET /documents lists the indexed ones",
    OutsideCorpusError: "",  # its message says what to do
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


editor_key = HTTPBearer(auto_error=False, description="An editor's key (kb editors add NAME) or KB_API_KEY, for editing.")
_served: list[FastAPI] = []  # the app being served (create_app binds it): its dependency overrides are the settings


@lru_cache
def knowledge_base_for(index_dir: Path, prefer_onnx: bool) -> KnowledgeBase:
    """One knowledge base per index folder per process (it reloads itself when the index changes)."""
    return KnowledgeBase(index_dir, prefer_onnx=prefer_onnx)


def get_kb(settings: Annotated[Settings, Depends(get_settings)]) -> KnowledgeBase:
    return knowledge_base_for(settings.index_dir, settings.query_embedder == "onnx")


def serve(app: FastAPI) -> None:
    """Make `app` the one whose settings `current_settings` reads."""
    _served[:] = [app]


def current_settings() -> Settings:
    """The settings a request sees (tests override the dependency; middleware and validators have no dependencies)."""
    overrides = _served[0].dependency_overrides if _served else {}
    return overrides.get(get_settings, get_settings)()


def http_error(status: int, detail: str) -> HTTPException:
    return HTTPException(status_code=status, detail=detail)


def require_editor(
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(editor_key)] = None,
) -> Identity:
    """Editing needs `Authorization: Bearer <key>`, a named editor's key or KB_API_KEY (the Authorize button on
    /docs); without either on the server it is off. (Uploads are checked before their body is read, by RequestGuard.)"""
    who = authorize_editor(settings, f"Bearer {credentials.credentials}" if credentials else None)
    if not isinstance(who, Identity):
        raise http_error(*who)
    return who


Editor = Annotated[Identity, Depends(require_editor)]
