"""Issue 21 in real Chromium at 1280x800 and 390x844: a shared answer's page, several conversations, a new answer read
from its question, focus after peers and compare, the council view, sources once with snippets, the document view,
the documents page's search, sort and address, and printing. Screenshots go to tmp_path (and SCREENSHOTS, if set)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import AUTH
from .test_accessibility import violations
from .test_browser import ask_on_page


def shot(page: Page, tmp_path: Path, name: str, *, full_page: bool = False) -> None:
    """A screenshot for a person to look at (kept where SCREENSHOTS points, when it is set)."""
    folder = Path(os.environ.get("SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=full_page)


def test_link_to_an_answer_opens_the_same_answer_with_its_sources(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    answer = ask_on_page(page, "What is Family Safeguarding?")
    answer.get_by_role("button", name="Link to this answer").click()
    link = answer.locator(".share-link a")
    expect(link).to_be_visible(timeout=30_000)
    address = link.get_attribute("href") or ""
    assert re.fullmatch(r"/answers/[\w-]+/view", address)
    assert violations(page) == []
    shot(page, tmp_path, "share-link")
    given = answer.locator(".answer-text").inner_text()
    page.goto(server + address)
    shared = page.locator("#answer")
    expect(shared.locator(".answer-text")).to_have_text(given)
    expect(page.locator("#question")).to_have_text("What is Family Safeguarding?")
    assert shared.locator("ol.sources > li").count() >= 1 and shared.locator("q.snippet").first.inner_text()
    assert page.locator(".changed").count() == 0  # its sources are as they were
    assert violations(page) == []
    shot(page, tmp_path, "shared-answer", full_page=True)
    # A removed answer's link says so in plain words.
    answer_id = address.split("/")[2]
    assert page.request.delete(f"{server}/answers/{answer_id}", headers=AUTH).status == 204
    page.reload()
    expect(page.locator("#status")).to_contain_text("This shared answer is not available")
    assert violations(page) == []


def test_a_safeguarding_panel_has_no_link_button(server: str, page: Page) -> None:
    page.goto(server)
    concern = ask_on_page(page, "A 9 year old just told me her stepdad hits her, what do I do now?")
    expect(concern.get_by_role("heading", name="Safeguarding: act on this now")).to_be_visible()
    assert concern.get_by_role("button", name="Link to this answer").count() == 0
    concern.get_by_role("button", name="Search the publications for this topic anyway").click()
    anyway = page.locator(".msg.assistant").nth(1)
    expect(anyway.locator("a.source-title").first).to_be_visible(timeout=60_000)
    assert anyway.get_by_role("button", name="Link to this answer").count() == 0  # the concern's topic is not shared either


def test_several_conversations_are_kept_switched_and_deleted(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    ask_on_page(page, "What is No Wrong Door?")
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg")).to_have_count(0)
    ask_on_page(page, "What is Family Valued?")
    page.reload()
    panel = page.locator("#conversations")
    panel.locator("summary").click()
    names = panel.locator("button.conversation")
    expect(names).to_have_count(2)
    assert names.all_inner_texts() == ["What is Family Valued?", "What is No Wrong Door?"]  # newest first, by first question
    expect(panel.locator('[aria-current="true"]')).to_have_text("What is Family Valued?")
    assert violations(page) == []
    shot(page, tmp_path, "conversations")
    names.nth(1).click()
    expect(page.locator(".msg.user")).to_have_text(["What is No Wrong Door?"])
    follow_up = ask_on_page(page, "Who is it for?")  # the switched-to conversation carries the follow-up
    assert "Answer from the knowledge base" in follow_up.inner_text()
    page.get_by_role("button", name="Delete the conversation “What is Family Valued?”").click()
    expect(names).to_have_count(1)
    page.reload()
    expect(page.locator(".msg.user")).to_have_count(2)  # the open conversation, with its follow-up
    page.locator("#conversations summary").click()
    page.get_by_role("button", name="Delete the conversation “What is No Wrong Door?”").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#conversations")).to_be_hidden()
    page.reload()
    expect(page.locator("#suggestions li").first).to_be_visible()


def test_a_new_answer_is_shown_from_its_question(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    for question in ("What is Family Safeguarding?", "What is No Wrong Door?"):
        ask_on_page(page, question)
    answer = ask_on_page(page, "Which councils adopted Family Valued?")
    question = page.locator(".msg.user").last
    page.wait_for_timeout(600)  # a smooth scroll settles
    top = question.bounding_box()["y"]  # type: ignore[index]
    first_line = answer.locator(".answer-text").bounding_box()["y"]  # type: ignore[index]
    height = page.viewport_size["height"]  # type: ignore[index]
    assert 0 <= top < height / 2 and first_line < height - 200, (top, first_line)
    shot(page, tmp_path, "new-answer")


def test_focus_returns_to_the_button_after_peers_and_compare(server: str, page: Page) -> None:
    page.goto(server)
    answer = ask_on_page(page, "Which councils have worked on reunification?")
    for name, panel in (("Which councils have done this?", ".peers"), ("Compare the three models", ".compare")):
        button = answer.get_by_role("button", name=name)
        button.focus()
        page.keyboard.press("Enter")
        expect(answer.locator(panel)).to_be_visible(timeout=60_000)
        assert page.evaluate("document.activeElement.textContent") == name
        page.keyboard.press("Enter")  # pressed again: nothing added
        page.wait_for_timeout(300)
        assert answer.locator(panel).count() == 1


def test_the_council_view_keeps_its_close_button_in_view(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    answer = ask_on_page(page, "Which councils have worked on reunification?")
    answer.get_by_role("button", name="Which councils have done this?").click()
    council = page.locator(".peers button.council").first
    council.wait_for(timeout=60_000)
    council.click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    titles = dialog.locator(".council-document h3").all_inner_texts()
    assert titles and len(titles) == len(set(titles))  # each document once
    first = dialog.locator(".council-document").first
    assert first.locator(".mention q").inner_text()  # the sentence that names the council
    expect(first.locator("details p").first).to_be_hidden()  # its passages on demand
    first.locator("summary").click()
    expect(first.locator("details p").first).to_be_visible()
    assert violations(page) == []
    page.evaluate("document.getElementById('council').scrollTop = 100000")
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_in_viewport()
    shot(page, tmp_path, "council")
    close.click()
    expect(dialog).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent") == council.inner_text()  # back on the council's name


def test_sources_are_listed_once_with_snippets(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    answer = ask_on_page(page, "What is Family Safeguarding?")
    answer.locator("details.more-passages summary").click()
    for sources in answer.locator("ol.sources").all():
        titles = sources.locator("> li > a.source-title").all_inner_texts()
        assert titles and len(titles) == len(set(titles)), titles
        for snippet in sources.locator("q.snippet").all_inner_texts():
            assert len(snippet) > 20
    numbers = [int(n.strip("[]")) for n in answer.locator("a.snippet-ref").all_inner_texts()]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))  # every citation keeps its number
    shot(page, tmp_path, "sources", full_page=True)


def test_a_conversation_prints_with_its_sources_in_full(server: str, page: Page, tmp_path: Path) -> None:
    page.goto(server)
    answer = ask_on_page(page, "What is Family Safeguarding?")
    page.emulate_media(media="print")
    expect(page.locator("#ask-form")).to_be_hidden()
    expect(answer.locator(".feedback")).to_be_hidden()
    full = answer.locator("ol.sources .passage-full").first
    expect(full).to_be_visible()
    assert len(full.inner_text()) > len(answer.locator("q.snippet").first.inner_text())
    expect(answer.locator("ol.sources .print-url").first).to_contain_text("/documents/")
    shot(page, tmp_path, "print", full_page=True)
    page.emulate_media(media="screen")


def test_the_document_view_shows_shared_text_once_and_the_quote_in_view(server: str, any_page: Page) -> None:
    page = any_page
    info = page.request.get(f"{server}/documents/transcript-macalister-trowler").json()
    passages = info["passages"]
    page.goto(f"{server}/documents/transcript-macalister-trowler/view")
    page.locator(".passage").first.wait_for()
    shown = page.locator(".passage-text").all_inner_texts()
    whole = "\n".join(p["text"] for p in passages)
    repeated = [s for s in shown if len(s) > 40 and sum(t.count(s[-40:]) for t in shown) > 1]
    assert not repeated, repeated[:1]
    assert len("".join(shown)) < len(whole)  # the shared sentences are there once
    # A quote far down a long passage is scrolled into view, not the passage's top.
    longest = max(passages, key=lambda p: len(p["text"]))
    end = len(longest["text"])
    page.goto(f"{server}/documents/transcript-macalister-trowler/view?passage={longest['chunk_id']}&mark={end - 30}-{end}")
    expect(page.locator(".passage.cited mark")).to_be_in_viewport()


def test_a_missing_document_is_explained_in_plain_words(server: str, any_page: Page) -> None:
    page = any_page
    page.goto(f"{server}/documents/no-such-publication/view?passage=3")
    expect(page.locator("h1")).to_have_text("This document is no longer in the knowledge base")
    text = page.locator("main").inner_text()
    assert "GET /documents" not in text and "no document with id" not in text
    expect(page.get_by_role("link", name="Find it on the documents page")).to_be_visible()
    assert violations(page) == []


def test_the_documents_page_searches_sorts_and_keeps_it_in_the_address(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(f"{server}/library")
    cards = page.locator(".document-card h2")
    expect(cards).to_have_count(6)
    found = page.request.get(f"{server}/documents", params={"q": "Coventry"}).json()
    assert 1 < len(found) < 6 and any(d["doc_type"] == "journal" for d in found)  # title or text
    page.get_by_label("Search titles and text").fill("Coventry")
    expect(cards).to_have_count(len(found))
    expect(page.locator("#count")).to_contain_text(f"{len(found)} of 6 documents match for “Coventry”")
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("button", name="Journal", exact=True).click()
    expect(cards).to_have_count(1)
    assert "q=Coventry" in page.url and "sort=newest" in page.url and "doc_type=journal" in page.url
    assert violations(page) == []
    shot(page, tmp_path, "documents-search")
    page.reload()
    expect(cards).to_have_count(1)
    assert page.get_by_label("Search titles and text").input_value() == "Coventry"
    assert page.get_by_role("button", name="Journal", exact=True).get_attribute("aria-pressed") == "true"
    page.goto(f"{server}/library?sort=newest")
    expect(cards).to_have_count(6)
    dates = [d.split(" · ")[1] for d in page.locator(".document-card .meta").all_inner_texts()]
    assert len(dates) == 6 and dates == sorted(dates, reverse=True)
    page.goto(f"{server}/library?sort=title")
    expect(cards).to_have_count(6)
    titles = cards.all_inner_texts()
    assert titles == sorted(titles, key=str.lower)
