"use strict";
// The documents page: every indexed document with its type, date, models and passages, filtered by the
// values of GET /facets (any chosen value within a filter, every filter at once).

const panel = document.getElementById("filters");
const list = document.getElementById("documents");
const count = document.getElementById("count");
let facets = NO_FACETS;
let documents = [];

function matches(doc, filters) {
  return Object.entries(filters).every(([key, values]) => {
    if (!values.length) return true;
    const held = key === "doc_type" ? [doc.doc_type] : doc.tags[key] || [];
    return values.some((v) => held.includes(v));
  });
}

function card(doc) {
  const models = (doc.tags.model || []).map((m) => facetName(facets, "models", m)).join(", ");
  const parts = [facetName(facets, "doc_types", doc.doc_type), doc.date || "undated", `${doc.chunks} passages`];
  return element(
    "li",
    { className: "document-card" },
    element("h2", {}, element("a", { href: `/documents/${encodeURIComponent(doc.doc_id)}/view`, textContent: doc.title })),
    element("p", { className: "meta", textContent: parts.join(" · ") }),
    models ? element("p", { className: "tags", textContent: `Models: ${models}` }) : null,
  );
}

function render() {
  const filters = chosenFilters(panel);
  const shown = documents.filter((d) => matches(d, filters));
  list.replaceChildren(...shown.map(card));
  count.textContent = shown.length === documents.length ? `${documents.length} documents` : `${shown.length} of ${documents.length} documents match the filters`;
}

async function start() {
  try {
    [facets, documents] = await Promise.all([loadFacets(), fetchJson("/documents")]);
  } catch (error) {
    count.className = "status error";
    count.textContent = `Could not list the documents: ${error.message}`;
    return;
  }
  panel.replaceChildren(...filterFieldsets(facets, render));
  render();
}

start();
