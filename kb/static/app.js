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

function renderAnswer(item, data) {
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = data.confident ? "Answer from the knowledge base" : "Not covered by the knowledge base";
  item.appendChild(label);
  if (!data.confident) item.classList.add("not-covered");
  if (data.corrections && data.corrections.length) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = `Searched for: ${data.search_query} (read ${data.corrections.join("; ")})`;
    item.appendChild(note);
  }
  const text = document.createElement("p");
  text.className = "answer-text";
  const byNumber = new Map(data.citations.map((c) => [c.n, c]));
  for (const part of data.answer.split(/(\[\d+\])/)) {
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
  item.appendChild(text);
  if (data.citations.length) {
    const heading = document.createElement("span");
    heading.className = "label";
    heading.textContent = data.confident ? "Sources" : "Nearest passages (they may not answer the question)";
    item.appendChild(heading);
    const list = document.createElement("ol");
    list.className = "sources";
    for (const c of data.citations) {
      const entry = document.createElement("li");
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = c.title;
      open.addEventListener("click", () => openPassage(c));
      entry.appendChild(open);
      entry.appendChild(document.createTextNode(` (${describe(c)})`));
      list.appendChild(entry);
    }
    item.appendChild(list);
  }
}

async function ask(question) {
  const payload = { question, history, filters: { model: selected("model-chips"), doc_type: selected("doctype-chips") } };
  addMessage("user", (item) => { item.textContent = question; });
  statusLine.className = "status loading";
  statusLine.textContent = "Searching the knowledge base…";
  send.disabled = true;
  try {
    const response = await fetch("/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    const data = await response.json().catch(() => ({ detail: `the server answered ${response.status}` }));
    if (!response.ok) throw new Error(data.detail || `the server answered ${response.status}`);
    addMessage("assistant", (item) => renderAnswer(item, data));
    history.push({ role: "user", content: question }, { role: "assistant", content: data.answer });
    statusLine.className = "status";
    statusLine.textContent = "";
  } catch (error) {
    statusLine.className = "status error";
    statusLine.textContent = `Could not get an answer: ${error.message}`;
  } finally {
    send.disabled = false;
    box.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
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
