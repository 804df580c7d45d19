"""The editors' page in real Chromium: key, preview, add, explicit replace, edit details, delete, restore."""

from __future__ import annotations

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import EDITOR_KEY
from .docx_factory import word_document

expect.set_options(timeout=20_000)  # an edit re-indexes; on a busy two-core machine that can take longer than 5 s


def test_an_editor_adds_replaces_describes_deletes_and_restores(
    editor_server: tuple[str, Path], any_page: Page, tmp_path: Path
) -> None:
    url, corpus = editor_server
    page = any_page
    page.goto(f"{url}/editor")
    page.get_by_label("Editors' key").fill("wrong")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("The key was not accepted")
    page.get_by_label("Editors' key").fill(EDITOR_KEY)
    page.keyboard.press("Enter")
    rows = page.locator("#documents tbody tr")
    expect(rows).to_have_count(1)
    assert "Issue 6 | Strengthening Families Journal" in rows.first.inner_text() and "Journal" in rows.first.inner_text()
    assert Axe().run(page).response["violations"] == []

    # Add a Word document: preview first, nothing saved until "Add".
    page.get_by_label("Files").set_input_files(str(word_document(tmp_path / "kinship-guidance.docx")))
    page.locator("#up-type").select_option("guidance")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    expect(preview).to_contain_text("Kinship care guidance")
    assert "Support for carers" in preview.inner_text() and "Guidance" in preview.inner_text()
    assert not (corpus / "kinship-guidance.docx").exists()
    page.screenshot(path=str(tmp_path / "editor-preview.png"), full_page=True)
    preview.get_by_role("button", name="Add to the knowledge base").click()
    expect(rows).to_have_count(2)

    # The same name again: the preview warns, and only the explicit button replaces.
    (tmp_path / "journal-issue-6.md").write_text("# Issue 6 draft\n\nOne paragraph only.", encoding="utf-8")
    page.get_by_label("Files").set_input_files(str(tmp_path / "journal-issue-6.md"))
    page.locator("#up-type").select_option("")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview .warning")).to_contain_text("already exists")
    expect(page.locator(".preview .warning")).to_contain_text("Details corrected on the current version do not carry over")
    page.get_by_role("button", name="Replace “Issue 6 | Strengthening Families Journal”").click()
    expect(page.locator("#documents")).to_contain_text("Issue 6 draft")
    expect(page.locator("#history li")).to_have_count(1)

    # Restore the real issue, then edit its details and delete it; it is kept and comes back.
    page.get_by_role("button", name="Restore journal-issue-6.md").click()
    expect(page.locator("#documents")).to_contain_text("Issue 6 | Strengthening Families Journal")
    page.get_by_role("button", name="Edit details of Issue 6 | Strengthening Families Journal").click()
    page.locator("#ed-date").fill("2024-02-31")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#describe-error")).to_contain_text("not a real date")
    page.locator("#ed-date").fill("2024-03-04")
    page.locator("#ed-source").fill("https://example.org/journal/issue-6")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#documents")).to_contain_text("2024-03-04")
    view = page.context.new_page()  # the document view links the source it now has
    view.goto(f"{url}/documents/journal-issue-6/view")
    expect(view.get_by_role("link", name="https://example.org/journal/issue-6")).to_be_visible()
    # A Markdown copy of a web page: its original is the page at that address; the file is the text as indexed.
    assert view.get_by_role("link", name="Open the original web page").get_attribute("href") == "https://example.org/journal/issue-6"
    assert view.get_by_role("link", name="The text as indexed").get_attribute("href") == "/documents/journal-issue-6/file"
    view.close()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Issue 6 | Strengthening Families Journal").click()
    expect(rows).to_have_count(1)
    assert not (corpus / "journal-issue-6.md").exists()
    page.locator("#history li", has_text="deleted").get_by_role("button").click()
    expect(rows).to_have_count(2)
    assert (corpus / "journal-issue-6.md").exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)

    page.reload()  # the key is kept for the tab
    expect(rows).to_have_count(2)


def test_an_editor_signs_in_with_their_own_key_sees_gaps_and_feedback_and_tries_a_question(
    editor_server: tuple[str, Path], any_page: Page
) -> None:
    from kb.editors import add_editor

    url, corpus = editor_server
    page = any_page
    _, alice = add_editor(corpus.parent / "index" / "editors.json", "Alice")
    coventry_questions = (
        "When did Coventry start its reunification project?",
        "When did the Coventry reunification work begin?",
        "When was Coventry's reunification project started?",
    )
    for question in coventry_questions:
        page.request.post(f"{url}/ask", data={"question": question})
    answer = page.request.post(f"{url}/ask", data={"question": "What is in issue 6 of the journal?"}).json()
    cited = {"n": 1, "doc_id": "journal-issue-6", "chunk_id": answer["citations"][0]["chunk_id"], "title": "Issue 6"}
    feedback = {"question": "What is in issue 6?", "answer": answer["answer"], "helpful": False, "comment": "Too vague",
                "citations": [cited]}  # fmt: skip
    page.request.post(f"{url}/feedback", data=feedback)

    page.goto(f"{url}/editor")
    page.get_by_label("Editors' key").fill(alice)
    page.keyboard.press("Enter")
    expect(page.locator("#who")).to_have_text("Signed in as Alice.")

    # Gaps: the three Coventry questions are one topic, asked three times, listed first (the issue-6 question is
    # asked once, and counts again for its not-helpful verdict, whether or not it was answered).
    topics = page.locator("#gaps .topic")
    expect(topics.first).to_contain_text("asked 3 times")
    expect(topics.first).to_contain_text("Coventry")
    expect(topics.first.locator(".badge")).to_have_text("Open")

    # Feedback: the question, the answer, the comment and a link to the cited passage; filtered by verdict and date.
    entry = page.locator("#feedback .feedback-entry").first
    expect(entry).to_contain_text("Not helpful")
    expect(entry).to_contain_text("Too vague")
    assert "/documents/journal-issue-6/view?passage=" in (entry.get_by_role("link").first.get_attribute("href") or "")
    page.get_by_label("Show").select_option("true")
    expect(page.locator("#feedback")).to_contain_text("No feedback matches.")
    page.get_by_label("Show").select_option("")
    page.get_by_label("Given on or after").fill("2999-01-01")
    page.get_by_label("Given on or after").dispatch_event("change")
    expect(page.locator("#feedback")).to_contain_text("No feedback matches.")
    assert Axe().run(page).response["violations"] == []

    # Try a question: refused, with the reason; an editor's question is not kept as a gap.
    page.get_by_label("Question", exact=True).fill("When did Coventry start its reunification project?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#try-answer")).to_contain_text("Refused")
    expect(page.locator("#try-answer blockquote")).to_contain_text("does not cover")

    # A publication that answers it; the topic is answered after a recheck, and can be dismissed.
    (corpus.parent / "coventry.md").write_text("# Coventry\n\nCoventry started its reunification project in September 2021.\n")
    page.get_by_label("Files").set_input_files(str(corpus.parent / "coventry.md"))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Add to the knowledge base").click()
    expect(page.locator("#status")).to_contain_text("coventry.md is in the knowledge base.")
    page.get_by_role("button", name="Check the open topics again").click()
    expect(page.locator("#gaps-status")).to_contain_text(re.compile(r"Checked: \d of 2 topics are answered now"))
    coventry = page.locator("#gaps .topic", has_text="Coventry")
    expect(coventry.locator(".badge")).to_have_text("Answered now")
    expect(coventry).to_contain_text("September 2021")
    page.get_by_label("Question", exact=True).fill("When did Coventry start its reunification project?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#try-answer")).to_contain_text("September 2021")
    expect(page.locator("#try-answer a").first).to_have_attribute("href", re.compile(r"^/documents/coventry/view"))
    assert Axe().run(page).response["violations"] == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    coventry.get_by_role("button", name=re.compile("^Dismiss")).click()
    expect(page.locator("#gaps .topic", has_text="Coventry")).to_have_count(0)
    history = page.request.get(f"{url}/history", headers={"Authorization": f"Bearer {alice}"}).json()
    assert history == []  # an addition keeps no version; the next change will say it was Alice's

    # The key can be changed or forgotten at any time.
    page.get_by_role("button", name="Forget key").click()
    expect(page.locator("#status")).to_contain_text("The key is forgotten in this tab.")
    expect(page.locator("#editing")).to_be_hidden()
    page.get_by_label("Editors' key").fill(EDITOR_KEY)
    page.keyboard.press("Enter")
    expect(page.locator("#who")).to_contain_text("shared key")
    page.get_by_role("button", name="Change key").click()
    page.get_by_label("Editors' key").fill("stale-key")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("this key is not valid")


def test_what_is_added_is_what_was_previewed_and_a_revoked_key_signs_out(
    editor_server: tuple[str, Path], any_page: Page, tmp_path: Path
) -> None:
    """A title typed after the preview is not what the editor checked: the previewed one is saved. One title is never
    given to several files. A key revoked while the page is open sends its editor back to the key box."""
    from kb.editors import add_editor, remove_editor

    url, corpus = editor_server
    page = any_page
    registry = corpus.parent / "index" / "editors.json"
    _, bea = add_editor(registry, "Bea")
    page.goto(f"{url}/editor")
    page.get_by_label("Editors' key").fill(bea)
    page.keyboard.press("Enter")
    expect(page.locator("#who")).to_have_text("Signed in as Bea.")

    guide, notes = word_document(tmp_path / "kinship-guidance.docx"), tmp_path / "notes.md"
    notes.write_text("# Notes\n\nA short note on kinship carers.", encoding="utf-8")
    page.get_by_label("Files").set_input_files([str(guide), str(notes)])
    page.get_by_label("Title (optional)").fill("One title for both")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#status")).to_contain_text("it would be given to all 2 files")
    expect(page.locator(".preview")).to_have_count(0)

    page.get_by_label("Files").set_input_files(str(guide))
    page.get_by_label("Title (optional)").fill("Kinship guidance as previewed")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview h3")).to_have_text("Kinship guidance as previewed")
    page.get_by_label("Title (optional)").fill("Typed after the preview")
    page.get_by_role("button", name="Add to the knowledge base").click()
    expect(page.locator("#documents")).to_contain_text("Kinship guidance as previewed")
    assert "Typed after the preview" not in page.locator("#documents").inner_text()
    expect(page.get_by_label("Title (optional)")).to_have_value("")  # the next upload starts afresh

    # Find a document among many; each row's actions fit beside it.
    page.get_by_label("Find a document").fill("kinship")
    expect(page.locator("#documents tbody tr:visible")).to_have_count(1)
    expect(page.locator("#doc-count")).to_have_text("1 of 2 documents")
    page.get_by_label("Find a document").fill("")
    expect(page.locator("#doc-count")).to_have_text("2 documents")
    table = page.locator(".table-wrap").bounding_box()
    button = page.get_by_role("button", name="Delete Kinship guidance as previewed").bounding_box()
    assert table and button and button["x"] + button["width"] <= table["x"] + table["width"] + 1  # not cut off

    remove_editor(registry, "Bea")
    page.get_by_role("button", name="Edit details of Kinship guidance as previewed").click()
    page.locator("#ed-date").fill("2024-05")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_label("Editors' key")).to_be_visible()
    expect(page.locator("#describe")).not_to_be_visible()  # the dialog it was sent from closes
    expect(page.locator("#status")).to_contain_text("Signed out: this key is not valid")
    expect(page.locator("#who")).to_be_hidden()
