"""Request bodies limited before they are read, the key checked before an upload, security headers: through the
API's own ASGI interface, counting how much of each body the server pulled in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api
from kb.settings import Settings, get_settings

from .conftest import AUTH, EDITOR_KEY

MB = 1024 * 1024


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    chosen = Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "corpus", api_key=EDITOR_KEY)
    api.app.dependency_overrides[get_settings] = lambda: chosen
    yield chosen
    api.app.dependency_overrides.clear()


def call(method: str, path: str, headers: dict[str, str], chunks: Iterator[bytes]) -> tuple[int, dict[str, str], str, int]:
    """Send a request whose body streams from `chunks`; the status, headers, body and the chunks the server read."""
    pulled = 0
    replies: list[dict] = []  # type: ignore[type-arg]

    async def receive() -> dict:  # type: ignore[type-arg]
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict) -> None:  # type: ignore[type-arg]
        replies.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(api.app(scope, receive, send))
    start = next(m for m in replies if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in replies if m["type"] == "http.response.body").decode()
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body, pulled


def endless(size: int = MB) -> Iterator[bytes]:
    while True:
        yield b"x" * size


MULTIPART = {"content-type": "multipart/form-data; boundary=b"}


def endless_file() -> Iterator[bytes]:
    """A multipart form whose one file never ends."""
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.md"\r\nContent-Type: text/markdown\r\n\r\n'
    yield from endless()


def test_an_upload_without_the_key_is_refused_before_its_body_is_read(settings: Settings) -> None:
    status, _, body, pulled = call("POST", "/documents", {**MULTIPART, "content-length": str(2 * 1024 * MB)}, endless())
    assert status == 401 and "Authorization: Bearer" in body and pulled == 0
    status, _, _, pulled = call("POST", "/documents/preview", {**MULTIPART, "authorization": "Bearer wrong"}, endless())
    assert status == 401 and pulled == 0


def test_an_upload_over_the_limit_is_refused_from_its_length_or_as_it_streams(settings: Settings) -> None:
    declared = {**MULTIPART, **{k.lower(): v for k, v in AUTH.items()}, "content-length": str(2 * 1024 * MB)}
    status, _, body, pulled = call("POST", "/documents", declared, endless())
    assert (status, pulled) == (413, 0) and "larger than the 20 MB limit (KB_MAX_UPLOAD_MB)" in body
    streamed = {**MULTIPART, **{k.lower(): v for k, v in AUTH.items()}}  # chunked: no length to go by
    status, _, body, pulled = call("POST", "/documents", streamed, endless_file())
    assert status == 413 and "KB_MAX_UPLOAD_MB" in body and pulled <= 22


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_json_body_over_the_limit_gets_a_413_without_being_read(settings: Settings, declared: bool) -> None:
    headers = {"content-type": "application/json"} | ({"content-length": str(200 * MB)} if declared else {})
    status, _, body, pulled = call("POST", "/ask", headers, endless(64 * 1024))
    assert status == 413 and "larger than the 1,024 KB limit (KB_MAX_JSON_KB)" in body
    assert pulled == 0 if declared else pulled <= 17


def test_a_long_history_is_trimmed_to_the_most_recent_turns_before_they_are_parsed(settings: Settings) -> None:
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(80)]  # 40 exchanges
    ask = api.AskIn.model_validate({"question": "And Family Valued?", "history": turns})
    assert [t.content for t in ask.history] == [f"turn {i}" for i in range(60, 80)]
    bad_but_old = [{"role": "nobody"}] * 1000 + turns  # turns past the limit are never parsed, so never refused
    assert len(api.AskIn.model_validate({"question": "x", "history": bad_but_old}).history) == 20


def test_every_response_carries_the_security_headers(settings: Settings) -> None:
    client = TestClient(api.app)
    for path in ("/", "/editor", "/static/app.js", "/no-such-page", "/docs"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, path
        assert ("'unsafe-inline'" in policy) == (path == "/docs"), path  # Swagger UI's inline start-up script only
    refused = client.post("/documents", headers={"Authorization": "Bearer nope"}, files={"file": ("a.md", b"# A\n\nB.")})
    assert refused.status_code == 401 and refused.headers["content-security-policy"]


def test_the_pages_use_no_inline_script_or_style() -> None:
    """The policy forbids inline code: every page must load its scripts and styles from files."""
    for page in sorted((Path(api.STATIC)).glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<style" not in html and " style=" not in html and " onclick=" not in html, page.name
        assert all("src=" in tag.split(">")[0] for tag in html.split("<script")[1:]), page.name
