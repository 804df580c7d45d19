"use strict";
// The chat page: asks POST /ask with the conversation so far, shows cited answers, opens passages.

const MODELS = [["family-valued", "Family Valued"], ["family-safeguarding", "Family Safeguarding"], ["no-wrong-door", "No Wrong Door"]];
const DOC_TYPES = [["case-study", "Case studies"], ["event", "Events"], ["transcript", "Transcripts"], ["journal", "Journals"], ["overview", "Overviews"]];

const thread = document.getElementById("thread");
const statusLine = document.getElementById("status");
const form = document.getElementById("ask-form");
const box = document.getElementById("question");
const send = document.getElementById("send");
const dialog = document.getElementById("passage");
let history = [];
let busy = false; // one question at a time, whichever way it is sent (button or Enter)
// The API takes at most 50 earlier turns; a follow-up needs only the recent ones.
const MAX_HISTORY_TURNS = 20;

function chips(containerId, options) {
  const container = document.getElementById(containerId);
  for (const [id, label] of options) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.dataset.value = id;
    chip.textContent = label;
    chip.setAttribute("aria-pressed", "false");
    chip.addEventListener("click", () => chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true"));
    container.appendChild(chip);
  }
}

function selected(containerId) {
  return [...document.querySelectorAll(`#${containerId} .chip[aria-pressed="true"]`)].map((c) => c.dataset.value);
}

function addMessage(role, build) {
  const item = document.createElement("li");
  item.className = `msg ${role}`;
  build(item);
  thread.appendChild(item);
  item.scrollIntoView({ block: "end", behavior: "smooth" });
  return item;
}

function describe(citation) {
  const parts = [citation.doc_type, citation.date || "undated"];
  if (citation.section) parts.push(citation.section);
  if (citation.page) parts.push(`page ${citation.page}`);
  return parts.join(" · ");
}

function openPassage(citation) {
  document.getElementById("passage-title").textContent = `[${citation.n}] ${citation.title}`;
  document.getElementById("passage-meta").textContent = describe(citation);
  document.getElementById("passage-text").textContent = citation.text;
  dialog.showModal();
}

function quoted(answer, citations) {
  // The answer's text with each [n] a button that opens the passage it cites.
  const text = document.createElement("p");
  text.className = "answer-text";
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  for (const part of answer.split(/(\[\d+\])/)) {
    const match = part.match(/^\[(\d+)\]$/);
    const citation = match && byNumber.get(Number(match[1]));
    if (citation) {
      const marker = document.createElement("button");
      marker.type = "button";
      marker.className = "cite";
      marker.textContent = `[${citation.n}]`;
      marker.setAttribute("aria-label", `Source ${citation.n}: ${citation.title}`);
      marker.addEventListener("click", () => openPassage(citation));
      text.appendChild(marker);
    } else {
      text.appendChild(document.createTextNode(part));
    }
  }
  return text;
}

function label(text) {
  const span = document.createElement("span");
  span.className = "label";
  span.textContent = text;
  return span;
}

function renderAnswer(item, data, question) {
  item.appendChild(label(data.confident ? "Answer from the knowledge base" : "Not covered by the knowledge base"));
  if (!data.confident) item.classList.add("not-covered");
  if (data.corrections && data.corrections.length) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = `Searched for: ${data.search_query} (read ${data.corrections.join("; ")})`;
    item.appendChild(note);
  }
  item.appendChild(quoted(data.answer, data.citations));
  if (data.citations.length) {
    item.appendChild(label(data.confident ? "Sources" : "Nearest passages (they may not answer the question)"));
    const list = document.createElement("ol");
    list.className = "sources";
    for (const c of data.citations) {
      const entry = document.createElement("li");
      entry.appendChild(passageLink(c));
      entry.appendChild(document.createTextNode(` (${describe(c)})`));
      list.appendChild(entry);
    }
    item.appendChild(list);
  }
  const more = document.createElement("div");
  more.className = "more";
  more.appendChild(action("Which councils have done this?", (button) => showPeers(item, button, question)));
  more.appendChild(action("Compare the three models", (button) => showComparison(item, button, question)));
  item.appendChild(more);
}

function action(text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = text;
  button.addEventListener("click", () => onClick(button));
  return button;
}

function passageLink(citation) {
  // The cited document's title, opening the passage.
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link";
  open.textContent = citation.title;
  open.addEventListener("click", () => openPassage(citation));
  return open;
}

async function fetchJson(url, options) {
  const response = await fetch(url, options);
  const data = await response.json().catch(() => ({ detail: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(data.detail || `the server answered ${response.status}`);
  return data;
}

function panel(className, name) {
  const section = document.createElement("section");
  section.className = className;
  section.setAttribute("aria-label", name);
  return section;
}

async function showPeers(item, button, question) {
  button.disabled = true;
  const section = panel("peers", "Councils that have done this");
  try {
    const data = await fetchJson(`/peers?${new URLSearchParams({ q: question })}`);
    section.appendChild(label("Councils that have done this"));
    if (!data.councils.length) {
      const none = document.createElement("p");
      none.textContent = "No council in the knowledge base has evidence about this.";
      section.appendChild(none);
    }
    const list = document.createElement("ol");
    for (const council of data.councils) {
      const entry = document.createElement("li");
      const name = document.createElement("button");
      name.type = "button";
      name.className = "link council";
      name.textContent = council.name;
      name.addEventListener("click", () => openCouncil(council.id));
      entry.appendChild(name);
      entry.appendChild(document.createTextNode(` (${[council.role, council.model].filter(Boolean).join(", ")})`));
      council.passages.forEach((c, i) => {
        const evidence = document.createElement("p");
        evidence.className = "evidence";
        evidence.textContent = `“${council.quotes[i]}” `;
        evidence.appendChild(passageLink(c));
        entry.appendChild(evidence);
      });
      list.appendChild(entry);
    }
    section.appendChild(list);
  } catch (error) {
    section.textContent = `Could not find councils: ${error.message}`;
  }
  item.appendChild(section);
}

async function showComparison(item, button, question) {
  button.disabled = true;
  const section = panel("compare", "The three models compared");
  try {
    const data = await fetchJson(`/compare?${new URLSearchParams({ q: question })}`);
    for (const model of data.models) {
      const column = document.createElement("div");
      column.className = model.confident ? "column" : "column not-covered";
      const heading = document.createElement("h3");
      heading.textContent = model.model;
      column.appendChild(heading);
      column.appendChild(quoted(model.answer, model.citations));
      section.appendChild(column);
    }
  } catch (error) {
    section.textContent = `Could not compare the models: ${error.message}`;
  }
  item.appendChild(section);
}

async function openCouncil(councilId) {
  const title = document.getElementById("passage-title");
  const meta = document.getElementById("passage-meta");
  const body = document.getElementById("passage-text");
  try {
    const data = await fetchJson(`/councils/${encodeURIComponent(councilId)}`);
    title.textContent = data.name;
    meta.textContent = [data.role, data.model].filter(Boolean).join(" · ");
    body.textContent = "";
    for (const source of data.documents) {
      const heading = document.createElement("strong");
      heading.className = "council-document";
      heading.textContent = `${source.title} (${source.date || "undated"})`;
      body.appendChild(heading);
      for (const c of source.passages) {
        const passage = document.createElement("p");
        passage.textContent = c.text;
        body.appendChild(passage);
      }
    }
    if (!data.documents.length) body.textContent = "No passage names this council.";
  } catch (error) {
    title.textContent = "Council";
    meta.textContent = "";
    body.textContent = `Could not open the council: ${error.message}`;
  }
  dialog.showModal();
  dialog.scrollTop = 0; // open at the council's name, not at the Close button
}

async function ask(question) {
  const payload = { question, history: history.slice(-MAX_HISTORY_TURNS), filters: { model: selected("model-chips"), doc_type: selected("doctype-chips") } };
  addMessage("user", (item) => { item.textContent = question; });
  statusLine.className = "status loading";
  statusLine.textContent = "Searching the knowledge base…";
  send.disabled = true;
  busy = true;
  try {
    const data = await fetchJson("/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    addMessage("assistant", (item) => renderAnswer(item, data, question));
    history.push({ role: "user", content: question }, { role: "assistant", content: data.answer });
    statusLine.className = "status";
    statusLine.textContent = "";
  } catch (error) {
    statusLine.className = "status error";
    statusLine.textContent = `Could not get an answer: ${error.message}`;
  } finally {
    busy = false;
    send.disabled = false;
    box.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (busy) return; // the question stays in the box until the answer is in
  const question = box.value.trim();
  if (!question) {
    statusLine.className = "status error";
    statusLine.textContent = "Type a question first.";
    return;
  }
  box.value = "";
  ask(question);
});

box.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById("new-conversation").addEventListener("click", () => {
  history = [];
  thread.replaceChildren();
  statusLine.textContent = "";
  box.focus();
});

chips("model-chips", MODELS);
chips("doctype-chips", DOC_TYPES);
box.focus();
