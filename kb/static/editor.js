"use strict";
// The editors' page: the key once per tab (sessionStorage; changed or forgotten at any time), uploads previewed
// before they are saved and indexed in the background (with progress), explicit replacement, metadata edits,
// deletion, the kept versions with a Restore button each (and who made each change), a box to try a question,
// the gaps (questions practitioners did not get answered, by topic) and practitioners' feedback.

const KEY_STORAGE = "sfpc-kb-editor-key";
const statusLine = document.getElementById("status");
const editing = document.getElementById("editing");
const keyForm = document.getElementById("key-form");
const previews = document.getElementById("previews");
const describeDialog = document.getElementById("describe");
const signedIn = document.getElementById("signed-in");
let facets = NO_FACETS;
let describing = null; // the document whose details the dialog edits

function key() {
  return sessionStorage.getItem(KEY_STORAGE) || "";
}

function say(text, isError) {
  statusLine.className = isError ? "status error" : "status";
  statusLine.textContent = text;
}

async function asEditor(url, options = {}) {
  try {
    return await fetchJson(url, { ...options, headers: { ...(options.headers || {}), Authorization: `Bearer ${key()}` } });
  } catch (error) {
    if (error.status === 401 && key()) {
      // The key was revoked or changed since it was entered: back to the key box, not an error on every button.
      sessionStorage.removeItem(KEY_STORAGE);
      askForKey(`Signed out: ${error.message}`, true);
    }
    throw error;
  }
}

function aboutFile(file, error) {
  // "empty.md: the file has no text ..." (the server names the file already) rather than "empty.md: empty.md: ...".
  return error.message.startsWith(`${file.name}: `) ? error.message : `${file.name}: ${error.message}`;
}

function typeOptions(select, blank) {
  select.replaceChildren(...(blank ? [element("option", { value: "", textContent: blank })] : []));
  for (const type of facets.doc_types) select.append(element("option", { value: type.id, textContent: type.name }));
}

function formFields() {
  // The upload form's details as typed now (title, type, date, source, publisher), the empty ones left out.
  const body = new FormData(document.getElementById("upload-form"));
  body.delete("files");
  return [...body.entries()].filter(([, value]) => value !== "");
}

function uploadBody(file, fields, replace) {
  // What is sent for one file: the details its preview was made with, so that what is added is what was previewed.
  const body = new FormData();
  for (const [name, value] of fields) body.set(name, value);
  body.set("file", file);
  if (replace) body.set("replace", "true");
  return body;
}

function previewCard(file, preview, fields) {
  const card = element("article", { className: "preview", "aria-label": `Preview of ${file.name}` });
  card.append(
    element("h3", { textContent: preview.title }),
    element("p", { className: "meta", textContent: [file.name, facetName(facets, "doc_types", preview.doc_type), preview.date || "undated", `${preview.chunks} passages`].join(" · ") }),
  );
  for (const warning of preview.warnings || []) card.append(element("p", { className: "warning", textContent: warning }));
  if (preview.replaces) {
    card.append(element("p", { className: "warning", textContent: `A document with this id already exists: “${preview.replaces}”. Adding this file replaces it; the current version is kept and can be restored. Details corrected on the current version do not carry over: the new file's own title, type and date are used, with what you typed above.` }));
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
    const bar = element("progress", { max: 1, value: 0, "aria-label": `Indexing ${file.name}` });
    card.append(bar);
    try {
      const accepted = await asEditor("/documents", { method: "POST", body: uploadBody(file, fields, Boolean(preview.replaces)) });
      const added = await followJob(accepted.job.url, bar);
      card.remove();
      if (!previews.querySelector(".preview")) document.getElementById("upload-form").reset();  // the next file starts afresh
      say([`${file.name} is in the knowledge base.`, ...(added.warnings || []).map((w) => `Warning: ${w}`)].join(" "));
      refresh();
    } catch (error) {
      bar.remove();
      commit.disabled = false;
      say(`Could not add ${aboutFile(file, error)}`, true);
    }
  });
  cancel.addEventListener("click", () => card.remove());
  card.append(element("div", { className: "more" }, commit, cancel));
  return card;
}

async function followJob(url, bar) {
  // An upload is indexed in the background: its progress bar follows GET /jobs/{id} until it is done or failed.
  for (;;) {
    const job = await asEditor(url);
    bar.value = job.progress;
    if (job.status === "done") return job.report;
    if (job.status === "failed") throw new Error(job.error);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

document.getElementById("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const files = [...document.getElementById("files").files];
  const fields = formFields();
  previews.replaceChildren();
  if (files.length > 1 && fields.some(([name]) => name === "title")) {
    say(`A title is one publication's: it would be given to all ${files.length} files. Clear the title, or add the files one at a time.`, true);
    return;
  }
  for (const file of files) {
    say(`Reading ${file.name}…`);
    try {
      const preview = await asEditor("/documents/preview", { method: "POST", body: uploadBody(file, fields, false) });
      previews.append(previewCard(file, preview, fields));
      say(`Check the preview${files.length > 1 ? "s" : ""}, then add.`);
    } catch (error) {
      previews.append(element("p", { className: "status error", textContent: aboutFile(file, error) }));
      say(`It cannot be added: ${aboutFile(file, error)}`, true);
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
    const result = await asEditor(`/documents/${encodeURIComponent(doc.doc_id)}`, { method: "DELETE" });
    say(result.kept === false
      ? `Took “${doc.title}” out of the knowledge base. Its file is outside the corpus folder: it stays where it is, and no copy is kept here.`
      : `Deleted “${doc.title}”. It is listed under Kept versions if you need it back.`);
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
  const row = element(
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
  row.dataset.find = [doc.title, doc.doc_id, doc.doc_type, facetName(facets, "doc_types", doc.doc_type)].join(" ").toLowerCase();
  return row;
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
  const by = `by ${version.editor || "an unnamed editor"}`;
  const added = version.added_by ? `; this version was put in place by ${version.added_by}` : "";
  return element("li", {}, element("span", { textContent: `${version.title || version.doc_id} (${version.file_name}): ${version.action} ${when} ${by}${added} ` }), restore);
}

// ---- trying a question ---------------------------------------------------------------------------

document.getElementById("try-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const out = document.getElementById("try-answer");
  const question = document.getElementById("try-question").value;
  out.replaceChildren(element("p", { className: "status loading", textContent: "Asking…" }));
  try {
    // Sent with the editor's key, so the question is not kept as a practitioner's gap.
    const answer = await asEditor("/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question }) });
    out.replaceChildren(...answerParts(answer));
  } catch (error) {
    out.replaceChildren(element("p", { className: "status error", textContent: `Could not ask: ${error.message}` }));
  }
});

function answerParts(answer) {
  const verdict = answer.confident ? (answer.not_covered.length ? "Answered in part" : "Answered") : "Refused: the knowledge base does not answer this";
  const parts = [element("p", { className: "label", textContent: verdict }), element("blockquote", { textContent: answer.answer })];
  if (answer.citations.length) {
    parts.push(element("p", { className: "label", textContent: answer.confident ? "Sources" : "Nearest passages" }));
    const list = element("ol", { className: "sources" });
    for (const c of answer.citations) {
      const where = [c.doc_type, c.date, shortSection(c.section), c.page ? `p. ${c.page}` : ""].filter(Boolean).join(" · ");
      list.append(element("li", {}, element("a", { href: documentAddress(c), textContent: c.title, className: "source-title" }), element("span", { className: "where", textContent: where })));
    }
    parts.push(list);
  }
  return parts;
}

// ---- gaps ---------------------------------------------------------------------------------------

function day(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

function topicItem(topic) {
  const reasons = Object.entries(topic.reasons).map(([reason, count]) => `${reason} ${count}`).join(", ");
  const asked = topic.count === 1 ? "asked once" : `asked ${topic.count} times`;
  const item = element(
    "li",
    { className: "topic" },
    element("h3", {}, element("span", { className: `badge ${topic.status}`, textContent: topic.status === "answered" ? "Answered now" : "Open" }), ` ${topic.label}`),
    element("p", { className: "meta", textContent: `${asked} · first ${day(topic.first_asked)} · last ${day(topic.last_asked)} · ${reasons}` }),
  );
  if (topic.questions.length > 1) {
    item.append(element("details", {}, element("summary", { textContent: `All ${topic.questions.length} questions` }), element("ul", {}, ...topic.questions.map((q) => element("li", { textContent: q })))));
  }
  if (topic.answer) item.append(element("p", { className: "label", textContent: "Their answer at the last check (the button above asks again)" }), element("blockquote", { textContent: topic.answer }));
  const dismiss = element("button", { type: "button", className: "secondary", textContent: "Dismiss", "aria-label": `Dismiss the topic “${topic.label}”` });
  dismiss.addEventListener("click", async () => {
    try {
      await asEditor(`/gaps/${topic.id}/dismiss`, { method: "POST" });
      document.getElementById("gaps-status").textContent = `Dismissed “${topic.label}”.`;
      await showGaps();
    } catch (error) {
      document.getElementById("gaps-status").textContent = `Could not dismiss: ${error.message}`;
    }
  });
  item.append(element("div", { className: "more" }, dismiss));
  return item;
}

function listTopics(topics) {
  const list = document.getElementById("gaps");
  list.replaceChildren(...topics.map(topicItem));
  if (!topics.length) list.append(element("li", { textContent: "No unanswered questions kept." }));
}

async function showGaps() {
  listTopics((await asEditor("/gaps")).gaps);
}

document.getElementById("recheck").addEventListener("click", async (event) => {
  const button = event.target;
  const status = document.getElementById("gaps-status");
  button.disabled = true;
  status.textContent = "Asking the open topics' questions again…";
  try {
    const topics = (await asEditor("/gaps/recheck", { method: "POST" })).gaps;
    listTopics(topics);
    const answered = topics.filter((t) => t.status === "answered").length;
    status.textContent = `Checked: ${answered} of ${topics.length} topics are answered now.`;
  } catch (error) {
    status.textContent = `Could not check: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});

// ---- feedback -----------------------------------------------------------------------------------

function feedbackItem(entry) {
  const item = element(
    "li",
    { className: "feedback-entry" },
    element("h3", { textContent: `${entry.helpful ? "Helpful" : "Not helpful"} · ${day(entry.created_at)}` }),
    element("p", { className: "label", textContent: "Question" }),
    element("p", { textContent: entry.question }),
    element("p", { className: "label", textContent: "Answer" }),
    element("blockquote", { textContent: entry.answer }),
  );
  if (entry.comment) item.append(element("p", { className: "label", textContent: "Comment" }), element("p", { textContent: entry.comment }));
  if (entry.citations.length) {
    const cited = entry.citations.map((c) => {
      const address = c.chunk_id ? `/documents/${encodeURIComponent(c.doc_id)}/view?passage=${c.chunk_id}#passage-${c.chunk_id}` : `/documents/${encodeURIComponent(c.doc_id)}/view`;
      return element("li", {}, element("a", { href: address, textContent: `[${c.n}] ${c.title || c.doc_id}${c.page ? `, p. ${c.page}` : ""}` }));
    });
    item.append(element("p", { className: "label", textContent: "Passages cited" }), element("ul", {}, ...cited));
  }
  return item;
}

async function showFeedback() {
  const helpful = document.getElementById("fb-helpful").value;
  const since = document.getElementById("fb-since").value;
  const entries = await asEditor(`/feedback?${new URLSearchParams({ limit: 1000, ...(helpful ? { helpful } : {}) })}`);
  const shown = since ? entries.filter((e) => e.created_at.slice(0, 10) >= since) : entries;
  const list = document.getElementById("feedback");
  list.replaceChildren(...shown.slice(0, 200).map(feedbackItem));
  if (!shown.length) list.append(element("li", { textContent: "No feedback matches." }));
}

for (const id of ["fb-helpful", "fb-since"]) document.getElementById(id).addEventListener("change", () => showFeedback());

// ---- the key, the lists -------------------------------------------------------------------------

function filterDocuments() {
  // Rows whose title, type or id hold what is typed in "Find a document"; the count says how many of all.
  const wanted = document.getElementById("doc-filter").value.trim().toLowerCase();
  const rows = [...document.querySelectorAll("#documents tbody tr")];
  let shown = 0;
  for (const row of rows) {
    row.hidden = Boolean(wanted) && !row.dataset.find.includes(wanted);
    if (!row.hidden) shown += 1;
  }
  document.getElementById("doc-count").textContent = wanted ? `${shown} of ${rows.length} documents` : `${rows.length} documents`;
}

document.getElementById("doc-filter").addEventListener("input", filterDocuments);

async function refresh() {
  const [documents, versions] = await Promise.all([fetchJson("/documents").catch(() => []), asEditor("/history")]);
  document.querySelector("#documents tbody").replaceChildren(...documents.map(documentRow));
  filterDocuments();
  const history = document.getElementById("history");
  history.replaceChildren(...versions.map(versionItem));
  if (!versions.length) history.append(element("li", { textContent: "No replaced or deleted versions yet." }));
  await Promise.all([showGaps(), showFeedback()]);
}

function askForKey(message, isError) {
  if (describeDialog.open) describeDialog.close();
  editing.hidden = true;
  signedIn.hidden = true;
  keyForm.hidden = false;
  document.getElementById("key").value = "";
  say(message, isError);
  document.getElementById("key").focus();
}

async function unlock() {
  let me;
  try {
    me = await asEditor("/editors/me");
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    askForKey(`The key was not accepted: ${error.message}`, true);
    return;
  }
  keyForm.hidden = true;
  editing.hidden = false;
  signedIn.hidden = false;
  document.getElementById("who").textContent = me.name ? `Signed in as ${me.name}.` : "Signed in with the shared key (changes are recorded as by an unnamed editor).";
  say("");
  await refresh();
}

keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, document.getElementById("key").value);
  unlock();
});

document.getElementById("change-key").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORAGE);
  askForKey("Enter the new key.");
});

document.getElementById("forget-key").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORAGE);
  askForKey("The key is forgotten in this tab.");
});

async function start() {
  facets = await loadFacets();
  typeOptions(document.getElementById("up-type"), "From the file");
  if (key()) unlock();
  else document.getElementById("key").focus();
}

start();
