"use strict";
// The editors' page: the key once per tab (sessionStorage), uploads previewed before they are saved,
// explicit replacement, metadata edits, deletion, and the kept versions with a Restore button each.

const KEY_STORAGE = "sfpc-kb-editor-key";
const statusLine = document.getElementById("status");
const editing = document.getElementById("editing");
const keyForm = document.getElementById("key-form");
const previews = document.getElementById("previews");
const describeDialog = document.getElementById("describe");
let facets = NO_FACETS;
let describing = null; // the document whose details the dialog edits

function key() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

function say(text, isError) {
  statusLine.className = isError ? "status error" : "status";
  statusLine.textContent = text;
}

function asEditor(url, options = {}) {
  return fetchJson(url, { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${key()}` } });
}

function typeOptions(select, blank) {
  select.replaceChildren(...(blank ? [element("option", { value: "", textContent: blank })] : []));
  for (const type of facets.doc_types) select.append(element("option", { value: type.id, textContent: type.name }));
}

function uploadBody(file, replace) {
  const body = new FormData(document.getElementById("upload-form"));
  body.delete("files");
  body.set("file", file);
  for (const [name, value] of [...body.entries()]) if (value === "") body.delete(name);
  if (replace) body.set("replace", "true");
  return body;
}

function previewCard(file, preview) {
  const card = element("article", { className: "preview", "aria-label": `Preview of ${file.name}` });
  card.append(
    element("h3", { textContent: preview.title }),
    element("p", { className: "meta", textContent: [file.name, facetName(facets, "doc_types", preview.doc_type), preview.date || "undated", `${preview.chunks} passages`].join(" · ") }),
  );
  for (const warning of preview.warnings || []) card.append(element("p", { className: "warning", textContent: warning }));
  if (preview.replaces) {
    card.append(element("p", { className: "warning", textContent: `A document with this id already exists: “${preview.replaces}”. Adding this file replaces it; the current version is kept and can be restored.` }));
  }
  card.append(element("p", { className: "label", textContent: preview.sections.length ? "Sections" : "No sections found" }));
  if (preview.sections.length) card.append(element("ul", {}, ...preview.sections.slice(0, 12).map((s) => element("li", { textContent: s }))));
  card.append(element("p", { className: "label", textContent: "First passages" }));
  for (const passage of preview.passages) card.append(element("blockquote", { textContent: passage }));
  const commit = element("button", { type: "button", className: "primary", textContent: preview.replaces ? `Replace “${preview.replaces}”` : "Add to the knowledge base" });
  const cancel = element("button", { type: "button", className: "secondary", textContent: "Discard" });
  commit.addEventListener("click", async () => {
    commit.disabled = true;
    say(`Indexing ${file.name}…`);
    try {
      const added = await asEditor("/documents", { method: "POST", body: uploadBody(file, Boolean(preview.replaces)) });
      card.remove();
      say([`${file.name} is in the knowledge base.`, ...(added.warnings || []).map((w) => `Warning: ${w}`)].join(" "));
      refresh();
    } catch (error) {
      commit.disabled = false;
      say(`Could not add ${file.name}: ${error.message}`, true);
    }
  });
  cancel.addEventListener("click", () => card.remove());
  card.append(element("div", { className: "more" }, commit, cancel));
  return card;
}

document.getElementById("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const files = [...document.getElementById("files").files];
  previews.replaceChildren();
  for (const file of files) {
    say(`Reading ${file.name}…`);
    try {
      const preview = await asEditor("/documents/preview", { method: "POST", body: uploadBody(file, false) });
      previews.append(previewCard(file, preview));
      say(`Check the preview${files.length > 1 ? "s" : ""}, then add.`);
    } catch (error) {
      previews.append(element("p", { className: "status error", textContent: `${file.name}: ${error.message}` }));
      say(`${file.name} cannot be added: ${error.message}`, true);
    }
  }
});

function openDescribe(doc) {
  describing = doc;
  document.getElementById("describe-title").textContent = `Edit details: ${doc.title}`;
  for (const field of ["title", "date", "source", "publisher"]) document.getElementById(`ed-${field}`).value = doc[field] || "";
  typeOptions(document.getElementById("ed-type"));
  document.getElementById("ed-type").value = doc.doc_type;
  document.getElementById("describe-error").textContent = "";
  describeDialog.showModal();
  document.getElementById("describe-title").focus();
}

document.getElementById("describe-cancel").addEventListener("click", () => describeDialog.close());
document.getElementById("describe-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const fields = Object.fromEntries([...new FormData(event.target).entries()].filter(([name, value]) => value !== (describing[name] || "")));
  if (!Object.keys(fields).length) {
    describeDialog.close();
    return;
  }
  try {
    await asEditor(`/documents/${encodeURIComponent(describing.doc_id)}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(fields) });
    describeDialog.close();
    say(`Saved the details of “${fields.title || describing.title}”.`);
    refresh();
  } catch (error) {
    document.getElementById("describe-error").textContent = `Could not save: ${error.message}`;
  }
});

async function remove(doc) {
  if (!window.confirm(`Delete “${doc.title}”? It leaves the knowledge base; its file is kept and can be restored.`)) return;
  try {
    await asEditor(`/documents/${encodeURIComponent(doc.doc_id)}`, { method: "DELETE" });
    say(`Deleted “${doc.title}”. It is listed under Kept versions if you need it back.`);
    refresh();
  } catch (error) {
    say(`Could not delete: ${error.message}`, true);
  }
}

function documentRow(doc) {
  const actions = element("td", { className: "actions" });
  const edit = element("button", { type: "button", className: "secondary", textContent: "Edit details", "aria-label": `Edit details of ${doc.title}` });
  const del = element("button", { type: "button", className: "secondary danger", textContent: "Delete", "aria-label": `Delete ${doc.title}` });
  edit.addEventListener("click", () => openDescribe(doc));
  del.addEventListener("click", () => remove(doc));
  actions.append(edit, del);
  const source = doc.source && /^https?:\/\//i.test(doc.source) ? element("a", { href: doc.source, textContent: doc.source }) : doc.source || "—";
  return element(
    "tr",
    {},
    element("th", { scope: "row" }, element("a", { href: `/documents/${encodeURIComponent(doc.doc_id)}/view`, textContent: doc.title })),
    element("td", { textContent: facetName(facets, "doc_types", doc.doc_type), "data-label": "Type" }),
    element("td", { textContent: doc.date || "—", "data-label": "Date" }),
    element("td", { textContent: String(doc.chunks), "data-label": "Passages" }),
    element("td", { textContent: doc.indexed_at.replace("T", " ").slice(0, 16), "data-label": "Indexed" }),
    element("td", { className: "source", "data-label": "Source" }, source),
    actions,
  );
}

function versionItem(version) {
  const restore = element("button", { type: "button", className: "secondary", textContent: "Restore", "aria-label": `Restore ${version.file_name} (${version.action} ${version.saved_at})` });
  restore.addEventListener("click", async () => {
    restore.disabled = true;
    try {
      await asEditor(`/documents/${encodeURIComponent(version.doc_id)}/restore?${new URLSearchParams({ version: version.version })}`, { method: "POST" });
      say(`Restored ${version.file_name}.`);
      refresh();
    } catch (error) {
      restore.disabled = false;
      say(`Could not restore: ${error.message}`, true);
    }
  });
  const when = version.saved_at.replace("T", " ").slice(0, 16);
  return element("li", {}, element("span", { textContent: `${version.title || version.doc_id} (${version.file_name}): ${version.action} ${when} ` }), restore);
}

async function refresh() {
  const [documents, versions] = await Promise.all([fetchJson("/documents").catch(() => []), asEditor("/history")]);
  document.querySelector("#documents tbody").replaceChildren(...documents.map(documentRow));
  const history = document.getElementById("history");
  history.replaceChildren(...versions.map(versionItem));
  if (!versions.length) history.append(element("li", { textContent: "No replaced or deleted versions yet." }));
}

async function unlock() {
  try {
    await asEditor("/history");
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    editing.hidden = true;
    keyForm.hidden = false;
    say(`The key was not accepted: ${error.message}`, true);
    return;
  }
  keyForm.hidden = true;
  editing.hidden = false;
  say("");
  await refresh();
}

keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, document.getElementById("key").value);
  unlock();
});

async function start() {
  facets = await loadFacets();
  typeOptions(document.getElementById("up-type"), "From the file (or Other document)");
  if (key()) unlock();
  else document.getElementById("key").focus();
}

start();
