"""The editors' page in real Chromium: key, preview, add, explicit replace, edit details, delete, restore."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import EDITOR_KEY
from .docx_factory import word_document


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
    assert view.get_by_role("link", name="Original file").get_attribute("href") == "/documents/journal-issue-6/file"
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
