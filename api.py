"""The web service: one FastAPI app over the kb library, its routes in rooms by audience (kb/practitioner_api.py: the
chat page and questions; kb/documents_api.py: documents; kb/editor_api.py: editors), each a thin shell over kb/."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

import fastapi_offline
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from kb import documents_api, practitioner_api
from kb.api_deps import (
    current_settings,
    error_detail,
    error_response,
    get_kb,
    knowledge_base_for,
    require_editor,
    serve,
)
from kb.api_models import ERRORS, AskIn, HealthOut
from kb.editor_api import editor_router, jobs_for
from kb.errors import IndexMismatchError, IndexMissingError, KBError
from kb.http_guards import RequestGuard
from kb.knowledge_base import KnowledgeBase
from kb.practitioner_api import feedback_limit

STATIC = Path(__file__).resolve().parent / "kb" / "static"
DESCRIPTION = "Search and ask the Strengthening Families, Protecting Children publications; every answer cites its passages."
DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"  # Swagger UI 5, shipped in a package


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


async def kb_error(_: Request, exc: Exception) -> JSONResponse:
    status, detail = error_response(exc) if isinstance(exc, KBError) else (500, "internal error")
    return JSONResponse(status_code=status, content={"detail": detail})


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    messages = []
    for error in exc.errors() if isinstance(exc, RequestValidationError) else []:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        messages.append(f"{where or 'request'}: {error.get('msg', 'is not valid')}")
    return JSONResponse(status_code=422, content={"detail": "; ".join(messages)})


def create_app() -> FastAPI:
    """The app: the three rooms' routes, the service's own (/docs, /health, /favicon.ico), static files, error
    handlers and the request guard."""
    app = FastAPI(
        lifespan=lifespan,
        title="SFPC knowledge base",
        description=DESCRIPTION,
        version="0.1.0",
        docs_url=None,  # served below from a package's copy of Swagger UI, not a CDN: /docs works offline
        redoc_url=None,
    )
    serve(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    app.add_exception_handler(KBError, kb_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(RequestGuard, settings=current_settings)

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

    app.include_router(practitioner_api.router)
    app.include_router(documents_api.router)
    app.include_router(editor_router(get_kb=get_kb, require_editor=require_editor, explain=error_response, errors=ERRORS))
    return app


app = create_app()

__all__ = ["STATIC", "AskIn", "KnowledgeBase", "app", "create_app", "feedback_limit", "get_kb", "knowledge_base_for"]
