"use strict";
// The document view: a document's passages in reading order, opened at the cited passage with the quoted
// sentences marked (?passage=<chunk_id>&mark=<start>-<end>,...), with links to the original file and source.

const docId = decodeURIComponent(location.pathname.split("/")[2]);
const params = new URLSearchParams(location.search);
const citedId = Number(params.get("passage")) || null;

const MIN_SHARED_CHARS = 20;

function sharedStart(previous, text, speaker) {
  // The span [start, end) at the start of `text` (after its speaker's name, in a transcript) that repeats the end of
  // the passage before it: neighbouring passages share a sentence, so that each reads on its own. null if none.
  const label = speaker && text.startsWith(`${speaker}: `) ? speaker.length + 2 : 0;
  const rest = text.slice(label);
  const probe = rest.slice(0, MIN_SHARED_CHARS);
  if (!previous || probe.length < MIN_SHARED_CHARS) return null;
  for (let at = previous.indexOf(probe); at !== -1; at = previous.indexOf(probe, at + 1)) {
    const tail = previous.slice(at);
    if (rest.startsWith(tail)) {
      let end = label + tail.length;
      while (end < text.length && /\s/.test(text[end])) end += 1; // and the line break after it
      return [label, end, tail.length];
    }
  }
  return null;
}

function spans(text) {
  // The marked spans from the address, kept only when they fall inside the passage and do not overlap.
  const result = [];
  for (const pair of (params.get("mark") || "").split(",")) {
    const [start, end] = pair.split("-").map(Number);
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= text.length && start < end) result.push([start, end]);
  }
  result.sort((a, b) => a[0] - b[0]);
  return result.filter((span, i) => i === 0 || span[0] >= result[i - 1][1]);
}

function passageText(text, marked, shown = [[0, text.length]]) {
  // The passage's text within the `shown` ranges (the rest is shown by a neighbour), with the marked spans.
  const body = element("p", { className: "passage-text" });
  for (const [from, to] of shown) {
    let at = from;
    for (const [start, end] of marked) {
      const s = Math.max(start, from);
      const e = Math.min(end, to);
      if (s >= e) continue;
      body.append(text.slice(at, s), element("mark", { textContent: text.slice(s, e) }));
      at = e;
    }
    body.append(text.slice(at, to));
  }
  return body;
}

function webAddresses(source) {
  return (source || "").split(/\s*;\s*/).filter((part) => /^https?:\/\//i.test(part));
}

function fileLinks(info, cited) {
  const links = document.getElementById("links");
  const name = info.file_name || "";
  const isPdf = /\.pdf$/i.test(name) || info.passages.some((p) => p.page);
  const file = `/documents/${encodeURIComponent(info.doc_id)}/file`;
  const open = (href, text) => links.append(element("li", {}, element("a", { href, target: "_blank", rel: "noopener", textContent: text })));
  if (isPdf) {
    const page = cited && cited.page;
    open(page ? `${file}#page=${page}` : file, page ? `Open the PDF at page ${page}` : "Open the PDF");
  } else if (/\.html?$/i.test(name)) {
    open(file, "Open the saved web page"); // shown as the page it was, without its scripts
  } else if (/\.docx$/i.test(name)) {
    open(file, "Download the Word document");
  } else if (/\.(md|markdown)$/i.test(name) && webAddresses(info.source).length) {
    // A web page kept as text: its original is the page on the web; the text file is the copy that was indexed.
    const [first] = webAddresses(info.source);
    links.append(element("li", {}, element("a", { href: first, rel: "noopener", textContent: "Open the original web page" })));
    open(file, "The text as indexed");
  } else {
    open(file, "Original file");
  }
  if (info.source) {
    const web = /^https?:\/\//i.test(info.source);
    links.append(element("li", {}, "Source: ", web ? element("a", { href: info.source, rel: "noopener", textContent: info.source }) : info.source));
  }
}

function showBounds(passages, shared, i, cited) {
  // The ranges of passage i to show: without the text it shares with the passage before it, or, when passage i is
  // the cited one, whole, with the shared text left off the end of the passage before it instead.
  const passage = passages[i];
  const length = passage.text.length;
  const next = passages[i + 1];
  let end = length;
  if (next && next === cited && shared[i + 1]) {
    end = Math.max(0, length - shared[i + 1][2]);
  }
  if (passage !== cited && shared[i]) {
    const [start, stop] = shared[i];
    return [[0, start], [stop, Math.max(stop, end)]];
  }
  return [[0, end]];
}

async function show() {
  const status = document.getElementById("status");
  status.textContent = "Loading the document…";
  let info;
  try {
    info = await fetchJson(`/documents/${encodeURIComponent(docId)}`);
  } catch (error) {
    const missing = /no document with id|not found/i.test(error.message);
    document.getElementById("title").textContent = missing ? "This document is no longer in the knowledge base" : "Could not open the document";
    document.title = "Document not found - SFPC knowledge base";
    status.className = "status error";
    status.textContent = missing
      ? "It may have been removed, or replaced by a newer version under another name. Look for it on the documents page, or ask your question again for an answer from the current publications."
      : `Could not open the document: ${error.message}`;
    if (missing) {
      document.getElementById("links").append(
        element("li", {}, element("a", { href: "/library", textContent: "Find it on the documents page" })),
        element("li", {}, element("a", { href: "/", textContent: "Ask the knowledge base" })),
      );
    }
    return;
  }
  const facets = await loadFacets();
  document.title = `${info.title} - SFPC knowledge base`;
  document.getElementById("title").textContent = info.title;
  const parts = [facetName(facets, "doc_types", info.doc_type), info.date || "undated", info.publisher, `${info.chunks} passages`];
  document.getElementById("meta").textContent = parts.filter(Boolean).join(" · ");
  const cited = info.passages.find((p) => p.chunk_id === citedId);
  fileLinks(info, cited);
  const container = document.getElementById("passages");
  let section = null;
  // Text two neighbouring passages share is shown once: at the start of the later one, unless that is the cited
  // passage's neighbour and the earlier one is cited (then the later one starts after it).
  const shared = info.passages.map((p, i) => (i ? sharedStart(info.passages[i - 1].text, p.text, p.speaker) : null));
  info.passages.forEach((passage, i) => {
    if (passage.section !== section && passage.section) {
      container.append(element("h2", { className: "section-heading", textContent: passage.section.split(" > ").join(" › ") }));
    }
    section = passage.section;
    const isCited = passage === cited;
    const where = [passage.page ? `Page ${passage.page}` : "", passage.speaker].filter(Boolean).join(" · ");
    const article = element(
      "article",
      { id: `passage-${passage.chunk_id}`, className: isCited ? "passage cited" : "passage", tabIndex: isCited ? -1 : null, "aria-label": isCited ? "Cited passage" : null },
      isCited ? element("p", { className: "cited-label", textContent: "Cited passage" }) : null,
      where ? element("p", { className: "where", textContent: where }) : null,
      passageText(passage.text, isCited ? spans(passage.text) : [], showBounds(info.passages, shared, i, cited)),
    );
    container.append(article);
  });
  status.textContent = "";
  if (cited) {
    const target = document.getElementById(`passage-${cited.chunk_id}`);
    // The quoted words, not the passage's top, in view (a long passage's quote may be screens below its start).
    const mark = target.querySelector("mark");
    target.scrollIntoView({ block: "start", behavior: "auto" });
    if (mark && mark.getBoundingClientRect().bottom > window.innerHeight - 16) mark.scrollIntoView({ block: "center", behavior: "auto" });
    target.focus({ preventScroll: true });
  } else if (citedId) {
    status.textContent = "The cited passage is no longer in this document (it has been re-indexed); the document is shown from the start.";
  }
}

show();
