"use strict";
// The document view: a document's passages in reading order, opened at the cited passage with the quoted
// sentences marked (?passage=<chunk_id>&mark=<start>-<end>,...), with links to the original file and source.

const docId = decodeURIComponent(location.pathname.split("/")[2]);
const params = new URLSearchParams(location.search);
const citedId = Number(params.get("passage")) || null;

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

function passageText(text, marked) {
  const body = element("p", { className: "passage-text" });
  let at = 0;
  for (const [start, end] of marked) {
    body.append(text.slice(at, start), element("mark", { textContent: text.slice(start, end) }));
    at = end;
  }
  body.append(text.slice(at));
  return body;
}

function fileLinks(info, cited) {
  const links = document.getElementById("links");
  const isPdf = /\.pdf$/i.test(info.file_name || "") || info.passages.some((p) => p.page);
  const file = `/documents/${encodeURIComponent(info.doc_id)}/file`;
  if (isPdf) {
    const page = cited && cited.page;
    links.append(element("li", {}, element("a", { href: page ? `${file}#page=${page}` : file, target: "_blank", rel: "noopener", textContent: page ? `Open the PDF at page ${page}` : "Open the PDF" })));
  } else {
    const download = /\.(html?|docx)$/i.test(info.file_name || "");  // the server sends these as downloads
    links.append(element("li", {}, element("a", { href: file, target: "_blank", rel: "noopener", textContent: download ? "Download the original file" : "Original file" })));
  }
  if (info.source) {
    const web = /^https?:\/\//i.test(info.source);
    links.append(element("li", {}, "Source: ", web ? element("a", { href: info.source, rel: "noopener", textContent: info.source }) : info.source));
  }
}

async function show() {
  const status = document.getElementById("status");
  status.textContent = "Loading the document…";
  let info;
  try {
    info = await fetchJson(`/documents/${encodeURIComponent(docId)}`);
  } catch (error) {
    document.getElementById("title").textContent = "Document not found";
    status.className = "status error";
    status.textContent = `Could not open the document: ${error.message}`;
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
  for (const passage of info.passages) {
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
      passageText(passage.text, isCited ? spans(passage.text) : []),
    );
    container.append(article);
  }
  status.textContent = "";
  if (cited) {
    const target = document.getElementById(`passage-${cited.chunk_id}`);
    target.scrollIntoView({ block: "start", behavior: "auto" });
    target.focus({ preventScroll: true });
  } else if (citedId) {
    status.textContent = "The cited passage is no longer in this document (it has been re-indexed); the document is shown from the start.";
  }
}

show();
