"""The chat page in a real headless Chromium against `kb serve` on a free loopback port."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, Route, expect

from .conftest import AUTH


def test_from_an_answer_find_the_councils_and_compare_the_models(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_label("Your question").fill("Which councils have worked on reunification?")
    page.keyboard.press("Enter")
    page.locator(".msg.assistant .more").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Which councils have done this?").click()
    first = page.locator(".peers li").first
    first.wait_for(timeout=60_000)
    assert first.inner_text().startswith("Coventry City Council (adopter, Family Valued)")
    first.locator("button.council").click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert page.locator("#council-title").inner_text() == "Coventry City Council"
    assert "Issue 6 | Strengthening Families Journal" in dialog.inner_text()
    assert page.evaluate("document.getElementById('council').scrollTop") == 0  # opens at the council's name
    assert page.locator("#council-title").bounding_box()["y"] >= 0  # type: ignore[index]
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
    turn = "{question: `question ${i}`, data: {answer: 'answer', citations: []}, filters: {}}"
    page.evaluate(f"for (let i = 0; i < 30; i++) exchanges.push({turn})")
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
    chip = page.get_by_role("button", name="No Wrong Door", exact=True)
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


def ask_on_page(page: Page, question: str) -> Locator:
    """Type a question, send it with Enter, and wait for its answer (the last one in the thread)."""
    answers = page.locator(".msg.assistant")
    count = answers.count()
    page.get_by_label("Your question").fill(question)
    page.keyboard.press("Enter")
    expect(answers).to_have_count(count + 1, timeout=60_000)
    return answers.last


def test_a_citation_opens_the_document_at_the_quoted_passage(server: str, any_page: Page, tmp_path: Path) -> None:
    page = any_page
    page.goto(server)
    answer = ask_on_page(page, "What is Family Safeguarding?")
    assert "Answer from the knowledge base" in answer.inner_text()
    marker = answer.locator("a.cite").first
    href = marker.get_attribute("href") or ""
    assert "/documents/programme-overview" in href and marker.get_attribute("target") == "_blank"
    quoted = " ".join(answer.locator(".answer-text").inner_text().split())
    with page.context.expect_page() as opened:
        marker.click()
    view = opened.value
    cited = view.locator(".passage.cited")
    cited.wait_for()
    expect(cited).to_be_in_viewport()
    marked = [" ".join(m.split()) for m in cited.locator("mark").all_inner_texts()]
    assert marked and all(m in quoted for m in marked)  # what the answer quotes from [1] is highlighted
    assert view.locator("h1").inner_text() == "Pre-reading material - Programme Overview"
    assert "Programme overview" in view.locator("#meta").inner_text()  # the type by its name
    pdf = view.get_by_role("link", name="Open the PDF at page")
    page_number = view.locator(".passage.cited .where").inner_text().split()[1]
    assert (pdf.get_attribute("href") or "").endswith(f"/documents/programme-overview/file#page={page_number}")
    response = view.request.get(f"{server}/documents/programme-overview/file")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert view.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    view.screenshot(path=str(tmp_path / "document.png"))  # for a person to look at
    page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)


def test_sources_list_what_is_quoted_first_and_fold_the_rest(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_role("button", name="Programme overview", exact=True).click()  # a filter: shown with the answer
    answer = ask_on_page(page, "What is Family Safeguarding?")
    assert "Filters: Type: Programme overview" in answer.inner_text()
    quoted = answer.locator("ol.sources").first.locator("> li")
    assert quoted.count() == 1 and quoted.first.get_attribute("value") == "1"  # one publication: listed once
    cited = quoted.first.locator("a.snippet-ref")
    assert 1 <= cited.count() <= 3  # an answer quotes up to three units, each with its snippet
    where = quoted.first.locator(".where").inner_text()
    # The source's kind and date (with its age once old); then each passage's section and page (or the one's).
    kind_and_date = r"Programme overview · June 2022( · \d+ years old)?"
    assert re.match(kind_and_date, where), where
    places = " ".join(quoted.first.locator(".passage-where").all_inner_texts()) or where
    assert "Family Safeguarding: Hertfordshire County Council · page " in places, places
    more = answer.locator("details.more-passages")
    assert more.locator("summary").inner_text().startswith("More passages") and more.get_attribute("open") is None
    more.locator("summary").click()
    assert more.locator("a.snippet-ref").count() == 5 - cited.count()  # the five passages found: quoted ones, then the rest
    assert all(len(s) > 20 for s in more.locator("q.snippet").all_inner_texts())  # each with a snippet
    # A passage's section and page stand on a line of their own under its quote, never read as its last words.
    placed = answer.locator(".snippets li:has(.passage-where)").all()
    assert placed
    for item in placed:
        quote, place = item.locator("q.snippet").bounding_box(), item.locator(".passage-where").bounding_box()
        assert quote and place and place["y"] >= quote["y"] + quote["height"] - 1
    # On a phone a wrapped title keeps its number beside its first line.
    for item in answer.locator("ol.sources > li").all():
        link, box = item.locator("a.source-title").bounding_box(), item.bounding_box()
        assert link and box and abs(link["y"] - box["y"]) < 4


def test_a_transcript_source_names_its_speaker(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_role("button", name="Transcript", exact=True).click()
    answer = ask_on_page(page, "What did Isabelle Trowler say about the care review?")
    wheres = answer.locator(".where").all_text_contents()  # quoted and folded sources
    speakers = ("Isabelle Trowler", "Josh Macallister", "Josh McAllister")
    assert wheres and any(w.split(" · ")[0] in speakers for w in wheres), wheres
    assert not any("transcript ·" in w for w in wheres)  # the type by its name, not its id
    assert any("Transcript (one speaker's view) · 15 June 2022" in w for w in wheres), wheres  # one person's view


def test_feedback_is_given_with_the_keyboard_and_reaches_the_editors(server: str, page: Page) -> None:
    page.goto(server)
    answer = ask_on_page(page, "What is No Wrong Door?")
    answer.get_by_role("button", name="Not helpful").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("It should say which ages it serves.")  # the comment box has the focus
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(answer.locator(".feedback")).to_contain_text("Thank you", timeout=10_000)
    entries = page.request.get(f"{server}/feedback", headers=AUTH).json()
    entry = entries[0]
    assert entry["question"] == "What is No Wrong Door?" and entry["helpful"] is False
    assert entry["comment"] == "It should say which ages it serves." and entry["index_version"]
    assert entry["citations"] and entry["citations"][0]["doc_id"]
    assert page.request.get(f"{server}/feedback").status == 401  # only editors read it


def test_copy_reload_and_new_conversation(server: str, page: Page) -> None:
    page.goto(server)
    page.get_by_role("button", name="No Wrong Door", exact=True).click()
    answer = ask_on_page(page, "What is No Wrong Door?")
    answer.get_by_role("button", name="Copy answer").click()
    expect(answer.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("No Wrong Door") and "Sources:\n[1] " in copied and "/documents/" in copied

    page.reload()
    expect(page.locator(".msg.assistant")).to_have_count(1)
    assert page.get_by_role("button", name="No Wrong Door", exact=True).get_attribute("aria-pressed") == "true"
    follow_up = ask_on_page(page, "Who is it for?")  # the restored conversation still carries the follow-up
    assert "Answer from the knowledge base" in follow_up.inner_text()

    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg")).to_have_count(0)
    assert page.get_by_role("button", name="No Wrong Door", exact=True).get_attribute("aria-pressed") == "false"
    page.reload()
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert page.locator(".msg").count() == 0


def test_suggested_questions_come_from_the_corpus_and_are_answered(server: str, page: Page) -> None:
    page.goto(server)
    suggestions = page.locator("#suggestions li button")
    expect(suggestions.first).to_be_visible()
    texts = suggestions.all_inner_texts()
    assert "What is Family Valued?" in texts and any("learnt about" in t for t in texts)
    suggestions.last.click()
    answer = page.locator(".msg.assistant").first
    answer.wait_for(timeout=60_000)
    assert "Answer from the knowledge base" in answer.inner_text()
    expect(page.locator("#suggestions")).to_be_hidden()


def test_the_documents_page_filters_and_opens_documents(server: str, any_page: Page) -> None:
    page = any_page
    page.goto(f"{server}/library")
    cards = page.locator(".document-card")
    expect(cards).to_have_count(6)
    assert "Transcript · 2022-06-15 · 28 passages" in page.locator(".document-card", has_text="In discussion").inner_text()
    page.get_by_role("button", name="Transcript", exact=True).click()
    expect(cards).to_have_count(1)
    assert "1 of 6 documents" in page.locator("#count").inner_text()
    page.get_by_text("Themes and councils").click()
    page.get_by_role("button", name="Coventry City Council", exact=True).click()  # no transcript names Coventry
    expect(cards).to_have_count(0)
    page.get_by_role("button", name="Transcript", exact=True).click()
    expect(cards).to_have_count(2)  # Coventry alone: the journal and the event page
    page.get_by_role("link", name="Issue 6 | Strengthening Families Journal").click()
    expect(page.locator("h1")).to_have_text("Issue 6 | Strengthening Families Journal")
    expect(page.locator(".passage")).to_have_count(5)
    assert "Journal · 2024-03" in page.locator("#meta").inner_text()


def test_a_long_word_stays_inside_its_bubble(server: str, page: Page) -> None:
    page.goto(server)
    ask_on_page(page, "What is " + "x" * 300 + "?")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
