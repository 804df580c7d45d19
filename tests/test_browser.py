"""The chat page in a real headless Chromium against `kb serve` on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out on this closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(corpus_index: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "KB_INDEX_DIR": str(corpus_index), "KB_HOST": "127.0.0.1", "KB_PORT": str(port)}
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("kb serve did not answer /health within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (make test and .ci/run do this)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 390, "height": 844})  # a phone-width screen
        browser.close()


def test_ask_see_cited_answer_and_open_the_passage(server: str, page: Page, tmp_path: Path) -> None:
    page.goto(server)
    page.get_by_label("Your question").fill("What is Family Valued?")
    page.keyboard.press("Enter")
    marker = page.locator(".msg.assistant .cite").first
    marker.wait_for(timeout=60_000)
    assert "Answer from the knowledge base" in page.locator(".msg.assistant").first.inner_text()
    marker.click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert "Family Valued" in dialog.inner_text()
    assert "overview" in page.locator("#passage-meta").inner_text()
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)  # for a person to look at
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing wider than the phone
    page.keyboard.press("Escape")

    page.get_by_label("Your question").fill("What is the capital of France?")
    page.get_by_role("button", name="Ask").click()
    page.locator(".msg.not-covered").wait_for(timeout=60_000)
    assert "Not covered by the knowledge base" in page.locator(".msg.not-covered").inner_text()


def test_from_an_answer_find_the_councils_and_compare_the_models(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_label("Your question").fill("Which councils have worked on reunification?")
    page.keyboard.press("Enter")
    page.locator(".msg.assistant .more").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Which councils have done this?").click()
    first = page.locator(".peers li").first
    first.wait_for(timeout=60_000)
    assert first.inner_text().startswith("Coventry County Council (adopter, Family Valued)")
    first.locator("button.council").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert page.locator("#passage-title").inner_text() == "Coventry County Council"
    assert "Issue 6 | Strengthening Families Journal" in dialog.inner_text()
    assert page.evaluate("document.getElementById('passage').scrollTop") == 0  # opens at the council's name
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Compare the three models").click()
    columns = page.locator(".compare .column")
    columns.nth(2).wait_for(timeout=60_000)
    assert [columns.nth(i).locator("h3").inner_text() for i in range(3)] == [
        "Family Valued",
        "Family Safeguarding",
        "No Wrong Door",
    ]
    # On a phone the three columns stack: each as wide as the answer.
    widths = [columns.nth(i).bounding_box()["width"] for i in range(3)]  # type: ignore[index]
    tops = [columns.nth(i).bounding_box()["y"] for i in range(3)]  # type: ignore[index]
    assert tops[0] < tops[1] < tops[2] and min(widths) > 300


def test_a_long_conversation_keeps_working(server: str, page: Page) -> None:
    """The API takes at most 50 earlier turns; the page once sent them all and every question after the
    26th exchange got a 422."""
    page.goto(server)
    turn = "{role: 'user', content: `question ${i}`}, {role: 'assistant', content: 'answer'}"
    page.evaluate(f"for (let i = 0; i < 30; i++) history.push({turn})")
    page.get_by_label("Your question").fill("What is Family Valued?")
    page.keyboard.press("Enter")
    page.locator(".msg.assistant, #status.error").first.wait_for(timeout=60_000)
    assert page.locator("#status.error").count() == 0
    assert "Answer from the knowledge base" in page.locator(".msg.assistant").first.inner_text()


def test_enter_does_not_send_a_second_question_while_one_is_in_flight(server: str, page: Page) -> None:
    page.goto(server)
    held: list[Route] = []
    page.route("**/ask", lambda route: held.append(route))  # the first question stays in flight until released below
    box = page.get_by_label("Your question")
    box.fill("What is Family Valued?")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('send').disabled")
    box.fill("What is No Wrong Door?")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.locator(".msg.user").count() == 1 and len(held) == 1
    assert box.input_value() == "What is No Wrong Door?"  # kept for when the answer is in
    held[0].continue_()
    page.locator(".msg.assistant").first.wait_for(timeout=60_000)
    assert page.locator(".msg.user").count() == 1


def test_the_api_page_loads_without_internet(server: str, page: Page) -> None:
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{server}/docs")
    page.get_by_role("button", name="Authorize").wait_for(timeout=30_000)  # the editors' key can be entered
    assert page.get_by_text("/peers").first.is_visible()
    assert failed == []


def test_filter_chips_are_keyboard_toggles(server: str, page: Page) -> None:
    page.goto(server)
    chip = page.get_by_role("button", name="No Wrong Door")
    chip.focus()
    page.keyboard.press("Enter")
    assert chip.get_attribute("aria-pressed") == "true"


def test_errors_are_shown_in_the_page(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_label("Your question").fill("x" * 1000)
    page.evaluate("document.getElementById('question').removeAttribute('maxlength')")
    page.get_by_label("Your question").fill("y" * 1200)
    page.keyboard.press("Enter")
    status = page.locator("#status.error")
    status.wait_for(timeout=30_000)
    assert "Could not get an answer" in status.inner_text() and "1000" in status.inner_text()
