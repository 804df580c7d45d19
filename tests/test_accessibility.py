"""WCAG 2.2 AA on the practitioners' pages, in real Chromium at desktop and phone width: axe-core for what it can
check, and tests for what it cannot see (focus behind the question box, non-text contrast, target size,
keyboard-only use, live announcements, reduced motion)."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .test_browser import ask_on_page

AXE = Axe()
FOCUSABLE = "a[href], button:not([disabled]), textarea, summary, [tabindex]:not([tabindex='-1'])"


def violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_axe_finds_nothing_on_the_chat_page_an_answer_the_document_view_and_the_documents_page(
    server: str, any_page: Page
) -> None:
    page = any_page
    page.goto(server)
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert violations(page) == []
    answer = ask_on_page(page, "What is Family Safeguarding?")
    answer.locator("details.more-passages summary").click()
    answer.get_by_role("button", name="Helpful", exact=True).click()  # the comment form open too
    cited = answer.locator("a.cite").first.get_attribute("href") or ""
    ask_on_page(page, "What is the capital of France?")  # a refusal
    assert violations(page) == []
    page.goto(server + cited)
    page.locator(".passage.cited mark").first.wait_for()
    assert violations(page) == []
    page.goto(f"{server}/library")
    page.locator(".document-card").first.wait_for()
    page.get_by_text("Themes and councils").click()
    assert violations(page) == []


def test_a_safeguarding_concern_is_a_different_panel_and_the_topic_can_be_searched_anyway(
    server: str, any_page: Page
) -> None:
    page = any_page
    page.goto(server)
    concern = ask_on_page(page, "A 9 year old just told me her stepdad hits her, what do I do now?")
    expect(concern).to_have_class(re.compile(r"\bsafeguarding\b"))
    expect(concern.get_by_role("heading", name="Safeguarding: act on this now")).to_be_visible()
    text = concern.inner_text()
    assert "999" in text and "0808 800 5000" in text and "0800 1111" in text and "designated safeguarding lead" in text
    assert "Answer from the knowledge base" not in text and concern.locator("a.cite").count() == 0
    assert concern.get_by_role("group", name="Feedback on this answer").count() == 0  # nothing to store
    expect(concern.locator("dl.terms dt", has_text="MASH")).to_be_visible()  # the abbreviation it uses, explained
    assert violations(page) == []
    concern.get_by_role("button", name="Search the publications for this topic anyway").click()
    anyway = page.locator(".msg.assistant").nth(1)
    expect(anyway.locator("a.source-title").first).to_be_visible(timeout=60_000)  # passages from the publications
    page.reload()  # the concern is not kept in the browser either; the search that followed is
    page.locator(".msg.assistant").first.wait_for()
    assert page.locator(".msg.safeguarding").count() == 0 and page.locator(".msg.assistant").count() == 1


def test_focus_is_never_hidden_behind_the_question_box(server: str, any_page: Page) -> None:
    page = any_page
    page.goto(server)
    for question in ("What is Family Safeguarding?", "What is No Wrong Door?", "Who is Family Valued for?"):
        ask_on_page(page, question)
    page.locator("body").focus()
    seen = 0
    for _ in range(120):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                const el = document.activeElement, box = document.getElementById('ask-form');
                if (!el || box.contains(el) || el === document.body) return null;
                const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
                return {tag: el.tagName, text: el.textContent.slice(0, 40), top: r.top, bottom: r.bottom, boxTop: b.top};
            }"""
        )
        if where is None:
            continue
        seen += 1
        assert where["top"] >= 0 and where["bottom"] <= where["boxTop"] + 1, where
    assert seen > 20


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        r, g, b_ = (int(x) / 255 for x in re.findall(r"[\d.]+", colour)[:3])
        channel = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


BACKGROUND_OF = """el => {
    let node = el.parentElement;
    while (node) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour && !colour.endsWith(', 0)') && colour !== 'transparent') return colour;
        node = node.parentElement;
    }
    return 'rgb(255, 255, 255)';
}"""


def test_focus_outlines_and_field_borders_keep_3_to_1(server: str, page: Page) -> None:
    page.goto(server)
    answer = ask_on_page(page, "What is Family Safeguarding?")
    controls = [
        page.get_by_label("Your question"),
        page.get_by_role("button", name="Ask", exact=True),
        page.get_by_role("button", name="No Wrong Door", exact=True),
        answer.locator("a.cite").first,
        answer.get_by_role("button", name="Copy answer"),
    ]
    for control in controls:
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        outline = control.evaluate("el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor]")
        assert outline[0] != "none", control
        assert contrast(outline[1], control.evaluate(BACKGROUND_OF)) >= 3, (control, outline)
    for field in (page.get_by_label("Your question"), page.get_by_role("button", name="Family Valued", exact=True)):
        border = field.evaluate("el => getComputedStyle(el).borderTopColor")
        assert contrast(border, field.evaluate(BACKGROUND_OF)) >= 3, (field, border)


def test_targets_are_at_least_24_px(server: str, any_page: Page) -> None:
    page = any_page
    page.goto(server)
    ask_on_page(page, "What is Family Safeguarding?")
    pages = [server, f"{server}/library", f"{server}/documents/programme-overview/view"]
    for address in pages:
        if address != server:
            page.goto(address)
            page.locator(".document-card, .passage").first.wait_for()
        small = page.evaluate(
            f"""() => [...document.querySelectorAll("{FOCUSABLE}")]
                .filter(el => el.offsetParent !== null && getComputedStyle(el).display !== 'inline')
                .map(el => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
                .filter(([, r]) => r.width < 24 || r.height < 24)
                .map(([text, r]) => `${{text}} ${{Math.round(r.width)}}x${{Math.round(r.height)}}`)"""
        )
        assert small == [], (address, small)


def test_ask_open_a_citation_and_a_document_with_the_keyboard_alone(server: str, page: Page) -> None:
    page.goto(server)
    page.keyboard.type("What is Family Safeguarding?")  # the question box has the focus on arrival
    page.keyboard.press("Enter")
    expect(page.locator(".msg.assistant")).to_have_count(1, timeout=60_000)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cite')"):
            break
    else:
        raise AssertionError("Tab never reached the answer's citation")
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    view = opened.value
    view.locator(".passage.cited").wait_for()
    assert view.evaluate("document.activeElement.classList.contains('cited')")  # focus lands on the cited passage
    view.goto(f"{server}/library")
    view.locator(".document-card").first.wait_for()
    for _ in range(40):
        view.keyboard.press("Tab")
        if view.evaluate("document.activeElement.closest('.document-card') !== null"):
            break
    else:
        raise AssertionError("Tab never reached a document")
    title = view.evaluate("document.activeElement.textContent")
    view.keyboard.press("Enter")
    expect(view.locator("h1")).to_have_text(title)


def test_each_answer_is_announced_once_and_its_sources_are_not_read_again(server: str, page: Page) -> None:
    page.goto(server)
    assert page.locator("#thread").get_attribute("aria-live") is None
    page.evaluate(
        """() => {
            window.announced = [];
            const regions = document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]');
            for (const region of regions) {
                new MutationObserver(() => { if (region.textContent.trim()) window.announced.push(region.textContent.trim()); })
                    .observe(region, {childList: true, subtree: true, characterData: true});
            }
        }"""
    )
    answer = ask_on_page(page, "What is Family Safeguarding?")
    first_words = answer.locator(".answer-text").inner_text()[:40]
    page.wait_for_timeout(300)
    announced = page.evaluate("window.announced")
    assert sum(first_words in text for text in announced) == 1, announced
    titles = answer.locator(".source-title").all_text_contents()
    assert not any(title in text for text in announced for title in titles)  # the source list is not read out


def test_motion_is_reduced_when_asked(server: str, page: Page) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.goto(server)
    page.evaluate("document.getElementById('status').className = 'status loading'")
    duration = page.evaluate("getComputedStyle(document.getElementById('status'), '::before').animationDuration")
    assert float(duration.rstrip("s")) < 0.01
