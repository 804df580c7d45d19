"use strict";
// Shared by the chat page, the document view and the documents page: fetching, names and addresses.

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  const data = await response.json().catch(() => ({ detail: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(data.detail || `the server answered ${response.status}`);
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
