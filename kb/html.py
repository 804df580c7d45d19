"""Saved web pages (.html, .htm): the article only, read with trafilatura; headings become sections, table rows 'label: value'."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import DocumentError
from kb.text_blocks import Block, cell_value, normalise_text, written_date

# A browser's "Save page as" records where the page came from in a comment before <html>.
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+?)\s*-->", re.IGNORECASE)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
# Dublin Core's modified date is often written as <meta name=...>, which htmldate reads only as a property.
_MODIFIED_META = ("dcterms.modified", "dc.modified", "dc.date.modified", "article:modified_time", "og:updated_time")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")
# "Published 13 January 2023", "Page last reviewed: July 2022", "Posted on Friday, 2 June 2023"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
_DATE_LABEL = re.compile(
    rf"\b(?:published|posted|updated|reviewed|last modified)(?:\s+on)?\s*:?\s*(?:{_WEEKDAY})?", re.IGNORECASE
)
_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "table", "row", "cell", "quote", "code", "div"})
_WORD = re.compile(r"\w+")
MAX_HEADING_LEVEL = 6
# A paragraph or list item made of links with at most this many words of its own is a link label: a related
# link ("What is family safeguarding (PDF 16.1mb)"), "Share this page: Facebook X", a menu left in the article.
LINK_LABEL_WORDS = 3


@dataclass(frozen=True)
class HtmlText:
    """What a saved web page yields: its metadata (title, date, address, site name) and the article's blocks."""

    title: str | None
    blocks: list[Block]
    date: str | None = None
    source: str | None = None
    publisher: str | None = None


def read_html(path: Path) -> HtmlText:
    """The article of a saved page (no menus, banners, sidebars or footers) under its heading path, with its metadata."""
    import trafilatura  # imported here so other formats never load it

    for name in ("trafilatura", "htmldate"):  # parser chatter about a broken page; the reason is raised below
        logging.getLogger(name).setLevel(logging.CRITICAL)
    raw = path.read_bytes()
    if not raw.strip():
        raise DocumentError(str(path), "the file has no text to index (it is empty)")
    tree = trafilatura.load_html(raw)
    if tree is None:
        raise DocumentError(str(path), "not a readable web page (no HTML found in it)")
    saved_from = _SAVED_FROM.search(raw[:4096])
    default_url = saved_from.group(1).decode("ascii", "replace") if saved_from else None
    metadata = trafilatura.extract_metadata(tree, default_url=default_url, date_config=_DATE_CONFIG)
    date = metadata.date or _modified_date(tree) or _labelled_date(tree)
    extracted = trafilatura.bare_extraction(
        tree,
        include_comments=False,  # readers' comments under a post are not the publication
        include_tables=True,
        include_images=False,
        include_links=True,  # to tell link labels from text (they are not indexed; addresses never are)
        include_formatting=True,  # bold lead-ins mark key figures ("38 children ...")
        with_metadata=False,
        favor_precision=True,  # leave out boilerplate next to the article rather than risk it
    )
    body = getattr(extracted, "body", None)
    blocks = _article_blocks(body) if body is not None else []
    if body is None or not blocks:
        raise DocumentError(str(path), "no article text found in the page (only navigation, or an empty page)")
    first_h1 = next((normalise_text(_inline_text(h)) for h in body.iter("head") if h.get("rend") == "h1"), None)
    return HtmlText(
        title=normalise_text(metadata.title or "") or first_h1 or None,
        blocks=blocks,
        date=date,
        source=metadata.url or default_url,
        publisher=_publisher(metadata.sitename),
    )


# htmldate without its "extensive search" through the text: that search turns a bare year into a
# false day ("2023-24" became 2023-01-01), so only dates the page's markup states are taken.
_DATE_CONFIG: dict[str, Any] = {"extensive_search": False, "original_date": True}


def _modified_date(tree: Any) -> str | None:
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        match = _ISO_DATE.match((meta.get("content") or "").strip())
        if name in _MODIFIED_META and match:
            return match.group(1)
    return None


def _labelled_date(tree: Any) -> str | None:
    """A date the page writes after 'Published', 'Updated', 'Last reviewed' and the like (the first one)."""
    text = normalise_text(" ".join(tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")))
    for label in _DATE_LABEL.finditer(text):
        date = written_date(text[label.end() : label.end() + 40], at_start=True)
        if date:
            return date
    return None


def _publisher(sitename: str | None) -> str | None:
    """The site's own name; trafilatura falls back to the host name, which names no publisher."""
    name = normalise_text(sitename or "")
    return name if name and not _DOMAIN.match(name) else None


def _article_blocks(body: Any) -> list[Block]:
    """Paragraphs, list items ('- ...') and table rows in reading order, each under its heading path; link
    labels left out."""
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []

    def add(text: str) -> None:
        text = normalise_text(text)
        if text:
            blocks.append(Block(text=text, section=tuple(h for _, h in headings)))

    def walk(element: Any) -> None:
        if not _is_link_label(element, skip=_BLOCK_TAGS):
            add(_inline_text(element, skip=_BLOCK_TAGS))  # its own words; its paragraphs, lists and tables follow
        for child in element:
            tag = child.tag
            if tag == "head":
                level = _heading_level(child.get("rend"))
                title = normalise_text(_inline_text(child))
                if title:
                    headings[:] = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, title)]
            elif tag == "list" and child.get("rend") == "dl":
                for term in _definitions(child):
                    add(term)
            elif tag == "list":
                for item in _list_items(child):
                    add(f"- {item}")
            elif tag == "table":
                for row in _table_rows(child):
                    add(row)
            elif tag in _BLOCK_TAGS:
                walk(child)

    walk(body)
    return blocks


def _is_link_label(element: Any, *, skip: frozenset[str] = frozenset()) -> bool:
    """Links with hardly a word of their own around them (see LINK_LABEL_WORDS)."""
    own = len(_WORD.findall(_inline_text(element, skip=skip, links=False)))
    linked = len(_WORD.findall(_inline_text(element, skip=skip))) - own
    return linked > 0 and own <= LINK_LABEL_WORDS


def _heading_level(rend: str | None) -> int:
    match = re.fullmatch(r"h([1-6])", rend or "")
    return int(match.group(1)) if match else MAX_HEADING_LEVEL


def _inline_text(element: Any, *, skip: frozenset[str] = frozenset(), links: bool = True) -> str:
    """An element's text with its children's (but not those tagged `skip`, nor links' words unless `links`);
    a bold lead-in glued to the next word gets its space back."""
    parts = [element.text or ""]
    for index, child in enumerate(element):
        if child.tag in skip or (child.tag == "ref" and not links):
            parts.append(f" {child.tail or ''}")
            continue
        inner = " " if child.tag == "lb" else _inline_text(child, links=links)
        if child.tag in _BLOCK_TAGS:
            inner = f" {inner} "  # paragraphs inside a table cell or quote
        tail = child.tail or ""
        # "<strong>38</strong>children" is laid out as a figure above its label, and trafilatura drops the space
        # after a leading "<strong>Note.</strong> Text": keep them two words.
        lead_in = index == 0 and not (element.text or "").strip() and len(inner.strip()) > 1
        if lead_in and _ends_word(inner) and tail[:1].isalnum():
            tail = f" {tail}"
        parts.append(inner + tail)
    return "".join(parts)


def _ends_word(text: str) -> bool:
    return text[-1:].isalnum() or text[-1:] in "%£$€).:;!?"


def _list_items(element: Any) -> list[str]:
    """Each item's own text; a nested list's items follow their parent item."""
    items: list[str] = []
    for item in element.iter("item"):
        if _is_link_label(item, skip=frozenset({"list"})):  # a nested list's items are judged on their own
            continue
        text = normalise_text(_inline_text(item, skip=frozenset({"list"})))
        if text:
            items.append(text)
    return items


def _definitions(element: Any) -> list[str]:
    """A definition list's terms as 'term: definition' (trafilatura marks them dt-N and dd-N)."""
    lines: list[str] = []
    term, defined = "", True
    for item in element.findall("item"):
        text = normalise_text(_inline_text(item))
        if (item.get("rend") or "").startswith("dt"):
            if not defined:
                lines.append(term)
            term, defined = text, False
        elif text:
            lines.append(f"{term}: {text}" if term else text)  # each definition of a term carries it
            defined = True
    return lines if defined else [*lines, term]


def _table_rows(table: Any) -> list[str]:
    """Rows as 'label: value'; under a header row, 'first cell — header: value; header: value'."""
    header: list[str] = []
    lines = []
    for row in table.findall("row"):
        cells = row.findall("cell")
        label, *values = _cell_texts(cells) or [""]
        if sum(bool(text) for text in [label, *values]) > 1 and all(cell.get("role") == "head" for cell in cells):
            header = [label, *values]  # a caption before it is a row of one filled cell, kept as text
            continue
        if header and len(values) == len(header) - 1:
            pairs = [f"{name}: {value}" if name else value for name, value in zip(header[1:], values, strict=True) if value]
        else:
            pairs = list(dict.fromkeys(v for v in values if v and v != label))  # spanned cells repeat their text
        line = f"{label}{' — ' if header else ': '}{'; '.join(pairs)}" if label and pairs else label or "; ".join(pairs)
        if line:
            lines.append(line)
    return lines


def _cell_texts(cells: list[Any]) -> list[str]:
    return [cell_value(normalise_text(_inline_text(cell))) for cell in cells]
