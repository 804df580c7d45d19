"""ASGI guards in front of the web API: request bodies limited before they are read, the editors' key checked
before an upload is accepted, and security headers on every response."""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.editors import Identity, has_editors, identify
from kb.settings import Settings

FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the metadata fields sent beside the file
# Pages load only the server's own scripts, styles and images; nothing may frame them.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (/docs) starts itself with an inline script, the one page that needs it.
# A saved web page opened as itself: in a sandbox (an origin of its own, no script, forms or pop-ups) that may load
# nothing but its own inline styles and inline images.
SAVED_PAGE_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class BodyTooLarge(HTTPException):
    """A request body went past its limit while it streamed in (an HTTPException, so that a body parser
    that meets it mid-read lets it through as the 413 it is)."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=413, detail=detail)


def authorize_editor(settings: Settings, authorization: str | None) -> Identity | tuple[int, str]:
    """Who may edit (a named editor, or the unnamed holder of KB_API_KEY), or why not (status and message).

    Keys are compared in constant time (kb/editors.py), so response times tell nothing about them."""
    if not settings.api_key and not has_editors(settings.editors_file):
        return 403, "editing is disabled on this server: set KB_API_KEY or add an editor (kb editors add NAME) to enable it"
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return 401, "editing needs the header 'Authorization: Bearer <key>' with an editor's key"
    identity = identify(settings.editors_file, settings.api_key, key.strip())
    return identity if identity is not None else (401, "this key is not valid: ask for a new one (kb editors add NAME)")


def editor_refusal(settings: Settings, authorization: str | None) -> tuple[int, str] | None:
    """Why a request may not edit (status and message), or None when it carries an editor's key."""
    who = authorize_editor(settings, authorization)
    return None if isinstance(who, Identity) else who


def body_limit(settings: Settings, *, upload: bool) -> tuple[int, str]:
    """The most bytes a request body may have, and the message that names the limit."""
    if upload:
        limit = int(settings.max_upload_mb * 1024 * 1024) + FORM_OVERHEAD
        return limit, f"the file is larger than the {settings.max_upload_mb:g} MB limit (KB_MAX_UPLOAD_MB)"
    limit = settings.max_json_kb * 1024
    return limit, f"the request body is larger than the {settings.max_json_kb:,} KB limit (KB_MAX_JSON_KB)"


class RequestGuard:
    """Refuses what can be refused from the headers (a too-large Content-Length, an upload without the
    editors' key) before reading a byte of the body, stops a body that streams past its limit, and adds
    the security headers to every response."""

    def __init__(self, app: ASGIApp, *, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] == "/docs" else CONTENT_SECURITY_POLICY
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                # A route that sets a stricter policy of its own (a saved web page's sandbox) keeps it.
                own = any(name.lower() == b"content-security-policy" for name, _ in headers)
                message["headers"] = [*headers, *SECURITY_HEADERS]
                if not own:
                    message["headers"].append((b"content-security-policy", policy.encode()))
            await send(message)

        headers = Headers(scope=scope)
        settings = self.settings()
        upload = headers.get("content-type", "").lower().startswith("multipart/")
        if upload:  # only editors' routes take files: no key, no body
            refusal = editor_refusal(settings, headers.get("authorization"))
            if refusal:
                await _reply(send_with_headers, *refusal)
                return
        limit, message = body_limit(settings, upload=upload)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _reply(send_with_headers, 413, message)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            event = await receive()
            received += len(event.get("body", b""))
            if received > limit:
                raise BodyTooLarge(message)
            return event

        try:
            await self.app(scope, counted, send_with_headers)
        except BodyTooLarge:  # read outside a parser that answers it itself
            if started:
                raise
            await _reply(send_with_headers, 413, message)


async def _reply(send: Send, status: int, detail: str) -> None:
    """A JSON {"detail"} response, sent without reading the request body."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
