"use strict";
// The documents page: every indexed document with its type, date, models and passages; a search box (title and
// text, GET /documents?q=), sorting, and the values of GET /facets as filters. The search, sort and filters are kept
// in the page's address, so a filtered list can be bookmarked and survives a reload.

const panel = document.getElementById("filters");
const list = document.getElementById("documents");
const count = document.getElementById("count");
const searchBox = document.getElementById("document-search");
const sortBox = document.getElementById("sort");
let facets = NO_FACETS;
let documents = [];
let found = null; // the ids of documents matching the search box, or null when it is empty
let searching = 0;

const SORTS = {
  newest: (a, b) => (b.date || "").localeCompare(a.date || "") || a.title.localeCompare(b.title),
  oldest: (a, b) => (a.date || "9999").localeCompare(b.date || "9999") || a.title.localeCompare(b.title),
  title: (a, b) => a.title.localeCompare(b.title, "en-GB", { sensitivity: "base" }),
};

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

function remember() {
  // The search, sort and filters in the address (replaceState: each change is not a step of the Back button).
  const params = new URLSearchParams();
  if (searchBox.value.trim()) params.set("q", searchBox.value.trim());
  if (sortBox.value !== "title") params.set("sort", sortBox.value);
  for (const [key, values] of Object.entries(chosenFilters(panel))) for (const value of values) params.append(key, value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function render() {
  const filters = chosenFilters(panel);
  const shown = documents.filter((d) => matches(d, filters) && (!found || found.has(d.doc_id))).sort(SORTS[sortBox.value] || SORTS.title);
  list.replaceChildren(...shown.map(card));
  const narrowed = shown.length !== documents.length;
  const what = searchBox.value.trim() ? ` for “${searchBox.value.trim()}”` : "";
  count.textContent = narrowed ? `${shown.length} of ${documents.length} documents match${what}` : `${documents.length} documents`;
  remember();
}

async function search() {
  const q = searchBox.value.trim();
  const mine = ++searching;
  if (!q) {
    found = null;
    render();
    return;
  }
  try {
    const hits = await fetchJson(`/documents?${new URLSearchParams({ q })}`);
    if (mine !== searching) return; // a later search has started
    found = new Set(hits.map((d) => d.doc_id));
    render();
  } catch (error) {
    count.className = "status error";
    count.textContent = `Could not search the documents: ${error.message}`;
  }
}

let pending = null;
searchBox.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(search, 250);
});
document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(pending);
  search();
});
sortBox.addEventListener("change", render);

async function start() {
  try {
    [facets, documents] = await Promise.all([loadFacets(), fetchJson("/documents")]);
  } catch (error) {
    count.className = "status error";
    count.textContent = `Could not list the documents: ${error.message}`;
    return;
  }
  const params = new URLSearchParams(location.search);
  searchBox.value = params.get("q") || "";
  sortBox.value = SORTS[params.get("sort")] ? params.get("sort") : "title";
  panel.replaceChildren(...filterFieldsets(facets, render));
  const chosen = {};
  for (const key of Object.keys(FACET_KEYS)) chosen[key] = params.getAll(key);
  pressChips(panel, chosen);
  if (chosen.theme.length || chosen.authority.length) panel.querySelector(".more-filters").open = true;
  if (searchBox.value.trim()) await search();
  else render();
}

start();
