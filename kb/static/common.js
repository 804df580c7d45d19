"use strict";
// Shared by the chat page, the document view and the documents page: fetching, names and addresses.

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  const data = await response.json().catch(() => ({ detail: `the server answered ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(data.detail || `the server answered ${response.status}`), { status: response.status });
  return data;
}

const NO_FACETS = { models: [], themes: [], doc_types: [], authorities: [] };
let facetsRequest = null;

function loadFacets() {
  // The filter values with their names and counts (GET /facets), fetched once per page.
  facetsRequest = facetsRequest || fetchJson("/facets").catch(() => NO_FACETS);
  return facetsRequest;
}

function facetName(facets, key, id) {
  const term = (facets[key] || []).find((t) => t.id === id);
  return term ? term.name : id;
}

function shortSection(section) {
  // "Let's take a closer look > No Wrong Door: North Yorkshire > The commitments" -> "The commitments"
  return section ? section.split(" > ").pop() : "";
}

function documentAddress(passage) {
  // The document view opened at a passage (a citation or a search hit), with the quoted spans marked.
  const params = new URLSearchParams({ passage: passage.chunk_id });
  if (passage.highlights && passage.highlights.length) {
    params.set("mark", passage.highlights.map(([start, end]) => `${start}-${end}`).join(","));
  }
  return `/documents/${encodeURIComponent(passage.doc_id)}/view?${params}#passage-${passage.chunk_id}`;
}

function element(tag, attributes, ...children) {
  // A DOM element with attributes (className, textContent, aria-*, ...) and children (nodes or strings).
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name in node && !name.includes("-")) node[name] = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function chipGroup(legend, key, terms, onChange) {
  // A fieldset of toggle buttons, one per facet value with passages (or documents) behind it.
  const container = element("div", { className: "chips" });
  for (const term of terms.filter((t) => t.count > 0)) {
    const chip = element("button", { type: "button", className: "chip", textContent: term.name, "aria-pressed": "false" });
    chip.dataset.facet = key;
    chip.dataset.value = term.id;
    chip.addEventListener("click", () => {
      chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
      if (onChange) onChange();
    });
    container.append(chip);
  }
  return element("fieldset", {}, element("legend", { textContent: legend }), container);
}

function chosenFilters(root) {
  // {model: [...], theme: [...], doc_type: [...], authority: [...]} from the pressed chips under `root`.
  const filters = { model: [], theme: [], doc_type: [], authority: [] };
  for (const chip of root.querySelectorAll('.chip[aria-pressed="true"]')) filters[chip.dataset.facet].push(chip.dataset.value);
  return filters;
}

function pressChips(root, filters) {
  for (const chip of root.querySelectorAll(".chip")) {
    const on = (filters[chip.dataset.facet] || []).includes(chip.dataset.value);
    chip.setAttribute("aria-pressed", on ? "true" : "false");
  }
}

const FACET_KEYS = { model: "models", theme: "themes", doc_type: "doc_types", authority: "authorities" };
const FACET_LABELS = { model: "Model", theme: "Theme", doc_type: "Type", authority: "Council" };

function describeFilters(facets, filters) {
  // "Model: No Wrong Door · Type: Journal", or "" when nothing is chosen.
  return Object.entries(filters)
    .filter(([, values]) => values && values.length)
    .map(([key, values]) => `${FACET_LABELS[key]}: ${values.map((v) => facetName(facets, FACET_KEYS[key], v)).join(", ")}`)
    .join(" · ");
}

function filterFieldsets(facets, onChange) {
  // Models and document types in view; themes and councils folded (they are many).
  const more = element(
    "details",
    { className: "more-filters" },
    element("summary", { textContent: "Themes and councils" }),
    chipGroup("Theme", "theme", facets.themes, onChange),
    chipGroup("Council", "authority", facets.authorities, onChange),
  );
  return [chipGroup("Model", "model", facets.models, onChange), chipGroup("Document type", "doc_type", facets.doc_types, onChange), more];
}

// ---- citations and sources (the chat page and a shared answer's page) ----

function citationLink(citation, text, className) {
  const where = [citation.title, citation.page ? `page ${citation.page}` : ""].filter(Boolean).join(", ");
  return element("a", {
    href: documentAddress(citation),
    target: "_blank",
    rel: "noopener",
    className,
    textContent: text,
    "aria-label": /\bcite\b/.test(className) ? `Source ${citation.n}: ${where} (opens in a new tab)` : null,
  });
}

function citedNumbers(answer) {
  return new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
}

function quoted(answer, citations) {
  // The answer's text with each [n] a link to the passage it cites, in the document view.
  const text = element("p", { className: "answer-text" });
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  for (const part of answer.split(/(\[\d+\])/)) {
    const match = part.match(/^\[(\d+)\]$/);
    const citation = match && byNumber.get(Number(match[1]));
    text.append(citation ? citationLink(citation, `[${citation.n}]`, "cite") : part);
  }
  return text;
}

function sourceKind(facets, citation) {
  // "Isabelle Trowler · Transcript (one speaker's view) · 15 June 2022"
  return [citation.speaker, citation.source_label || facetName(facets, "doc_types", citation.doc_type)].filter(Boolean).join(" · ");
}

function passagePlace(citation) {
  return [shortSection(citation.section), citation.page ? `page ${citation.page}` : ""].filter(Boolean).join(" · ");
}

function whereFrom(facets, citation) {
  // "Isabelle Trowler · Transcript (one speaker's view) · 15 June 2022 · In discussion · page 3"
  return [sourceKind(facets, citation), passagePlace(citation)].filter(Boolean).join(" · ");
}

const SNIPPET_CHARS = 220;

function snippet(citation) {
  // The words the answer quotes from a passage, else the passage's start, cut at a word.
  const text = citation.text || "";
  const spans = (citation.highlights || []).map(([start, end]) => text.slice(start, end).trim()).filter(Boolean);
  const chosen = spans.length ? spans.join(" … ") : text.trim();
  if (chosen.length <= SNIPPET_CHARS) return chosen;
  const cut = chosen.slice(0, SNIPPET_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), SNIPPET_CHARS / 2))} …`;
}

function bySource(citations) {
  // Citations grouped by publication, in the order of their first number: each source is listed once.
  const groups = new Map();
  for (const c of citations) {
    if (!groups.has(c.doc_id)) groups.set(c.doc_id, []);
    groups.get(c.doc_id).push(c);
  }
  return [...groups.values()];
}

function sourceList(citations, facets, { extra } = {}) {
  // Each publication once: its title and kind, then each cited passage's number, snippet and place.
  const list = element("ol", { className: "sources" });
  for (const group of bySource(citations)) {
    const first = group[0];
    const item = element("li", { value: first.n }, citationLink(first, first.title, "source-title"));
    item.append(element("span", { className: "where", textContent: group.length === 1 ? whereFrom(facets, first) : sourceKind(facets, first) }));
    item.append(element("span", { className: "print-only print-url", textContent: new URL(documentAddress(first), location.href).href }));
    const passages = element("ul", { className: "snippets" });
    for (const c of group) {
      const place = group.length === 1 ? "" : passagePlace(c);
      passages.append(element(
        "li",
        {},
        citationLink(c, `[${c.n}]`, "cite snippet-ref"),
        " ",
        element("q", { className: "snippet", textContent: snippet(c) }),
        place ? element("span", { className: "passage-where", textContent: ` ${place}` }) : null,
        element("span", { className: "print-only passage-full", textContent: c.text }),  // printed in full
      ));
    }
    item.append(passages);
    if (extra) extra(item, group);
    list.append(item);
  }
  return list;
}
