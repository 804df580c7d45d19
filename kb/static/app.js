"use strict";
// The chat page: asks POST /ask with the conversation so far, shows cited answers whose citations open the
// document view, takes feedback, and keeps the conversation in this browser until "New conversation".

const STORAGE_KEY = "sfpc-kb-conversation";
const MAX_HISTORY_TURNS = 20; // the API takes at most 50 earlier turns; a follow-up needs only the recent ones
const MAX_STORED_ANSWERS = 50;

const thread = document.getElementById("thread");
const statusLine = document.getElementById("status");
const announcer = document.getElementById("announce");
const form = document.getElementById("ask-form");
const box = document.getElementById("question");
const send = document.getElementById("send");
const dialog = document.getElementById("council");
const filtersPanel = document.getElementById("filters");
const suggestions = document.getElementById("suggestions");
let exchanges = []; // [{question, data, filters}], what the page shows and stores
let facets = NO_FACETS;
let busy = false; // one question at a time, whichever way it is sent (button or Enter)

function history() {
  // A safeguarding response is not part of the conversation a follow-up continues.
  return exchanges.filter((e) => !e.data.safeguarding).slice(-MAX_HISTORY_TURNS / 2).flatMap((e) => [
    { role: "user", content: e.question },
    { role: "assistant", content: e.data.answer },
  ]);
}

function save() {
  try {
    const filters = chosenFilters(filtersPanel);
    // A question that reported a safeguarding concern is never stored, not even in this browser.
    const kept = exchanges.filter((e) => !e.data.safeguarding).slice(-MAX_STORED_ANSWERS);
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ exchanges: kept, filters }));
  } catch (error) {
    // Private browsing or a full store: the conversation simply does not survive a reload.
  }
}

function restore() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY)) || { exchanges: [], filters: {} };
  } catch (error) {
    return { exchanges: [], filters: {} };
  }
}

function scrollToEnd(item) {
  item.scrollIntoView({ block: "end", behavior: prefersReducedMotion() ? "auto" : "smooth" });
}

function citedNumbers(answer) {
  return new Set([...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
}

function citationLink(citation, text, className) {
  const where = [citation.title, citation.page ? `page ${citation.page}` : ""].filter(Boolean).join(", ");
  return element("a", {
    href: documentAddress(citation),
    target: "_blank",
    rel: "noopener",
    className,
    textContent: text,
    "aria-label": className === "cite" ? `Source ${citation.n}: ${where} (opens in a new tab)` : null,
  });
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

function whereFrom(citation) {
  // "Isabelle Trowler · Transcript (one speaker's view) · 15 June 2022 · In discussion · page 3"
  const parts = [citation.speaker, citation.source_label || facetName(facets, "doc_types", citation.doc_type)];
  parts.push(shortSection(citation.section), citation.page ? `page ${citation.page}` : "");
  return parts.filter(Boolean).join(" · ");
}

function sourceList(citations) {
  const list = element("ol", { className: "sources" });
  for (const c of citations) {
    list.append(element("li", { value: c.n }, citationLink(c, c.title, "source-title"), element("span", { className: "where", textContent: whereFrom(c) })));
  }
  return list;
}

function label(text) {
  return element("span", { className: "label", textContent: text });
}

function termList(terms) {
  // The abbreviations the answer uses, explained (the taxonomy's glossary).
  const list = element("dl", { className: "terms", "aria-label": "Terms used in this answer" });
  for (const { abbreviation, meaning } of terms) list.append(element("dt", { textContent: abbreviation }), element("dd", { textContent: meaning }));
  return list;
}

function renderSafeguarding(item, exchange) {
  // The fixed safeguarding response (kb/taxonomy.yaml): what to do now, never quotes, no feedback.
  const [title, ...steps] = exchange.data.answer.split("\n");
  item.classList.add("safeguarding");
  item.append(
    element("h2", { className: "safeguarding-title", textContent: "Safeguarding: act on this now" }),
    element("p", { className: "safeguarding-lede", textContent: title }),
    element("ul", { className: "safeguarding-steps" }, ...steps.map((step) => element("li", { textContent: step.replace(/^-\s*/, "") }))),
    element("p", { className: "note", textContent: "This is not an answer from the knowledge base, and your question was not stored." }),
  );
  if (exchange.data.terms && exchange.data.terms.length) item.append(termList(exchange.data.terms));
  const actions = element("div", { className: "more" });
  actions.append(action("Search the publications for this topic anyway", (button) => {
    button.disabled = true;
    ask(exchange.question, { searchAnyway: true });
  }));
  item.append(actions);
}

function renderAnswer(item, exchange) {
  const { data, question, filters } = exchange;
  if (data.safeguarding) {
    renderSafeguarding(item, exchange);
    return;
  }
  item.append(label(data.confident ? "Answer from the knowledge base" : "Not covered by the knowledge base"));
  if (!data.confident) item.classList.add("not-covered");
  const applied = describeFilters(facets, filters || {});
  if (applied) item.append(element("p", { className: "note", textContent: `Filters: ${applied}` }));
  if (data.searched_for) {
    const read = data.corrections && data.corrections.length ? ` (read ${data.corrections.join("; ")})` : "";
    item.append(element("p", { className: "note", textContent: `Searched for: ${data.searched_for}${read}` }));
  }
  item.append(quoted(data.answer, data.citations));
  if (data.terms && data.terms.length) item.append(termList(data.terms));
  const cited = citedNumbers(data.answer);
  const quotedSources = data.citations.filter((c) => cited.has(c.n));
  const others = data.citations.filter((c) => !cited.has(c.n));
  if (quotedSources.length) {
    item.append(label("Sources"), sourceList(quotedSources));
  }
  if (others.length) {
    const heading = data.confident ? `More passages (${others.length})` : `Nearest passages (${others.length}); they may not answer the question`;
    item.append(element("details", { className: "more-passages", open: !data.confident && !quotedSources.length }, element("summary", { textContent: heading }), sourceList(others)));
  }
  const actions = element("div", { className: "more" });
  actions.append(
    action("Copy answer", (button) => copyAnswer(button, data)),
    action("Which councils have done this?", (button) => showPeers(item, button, question)),
    action("Compare the three models", (button) => showComparison(item, button, question)),
  );
  item.append(actions, feedbackControl(exchange));
}

function action(text, onClick) {
  const button = element("button", { type: "button", className: "secondary", textContent: text });
  button.addEventListener("click", () => onClick(button));
  return button;
}

function plainText(data) {
  // The answer and its sources, for pasting into a case note or an e-mail.
  const cited = citedNumbers(data.answer);
  const lines = [data.answer, "", "Sources:"];
  for (const c of data.citations.filter((c) => cited.has(c.n) || !data.confident)) {
    lines.push(`[${c.n}] ${c.title} (${whereFrom(c)}) ${new URL(documentAddress(c), location.href).href}`);
  }
  return lines.join("\n");
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain http on a network address has no clipboard API; the older selection copy still works there.
  const scratch = element("textarea", { value: text, className: "offscreen", "aria-hidden": "true" });
  document.body.append(scratch);
  scratch.select();
  const copied = document.execCommand("copy");
  scratch.remove();
  if (!copied) throw new Error("the browser refused to copy");
}

async function copyAnswer(button, data) {
  try {
    await copyText(plainText(data));
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy answer"; }, 2000);
  } catch (error) {
    statusLine.className = "status error";
    statusLine.textContent = `Could not copy: ${error.message}`;
  }
}

function feedbackControl(exchange) {
  // Helpful / not helpful, then an optional comment, sent once to POST /feedback.
  const section = element("div", { className: "feedback", role: "group", "aria-label": "Feedback on this answer" });
  if (exchange.feedback) {
    section.append(element("p", { className: "note", textContent: `Thank you: you marked this answer ${exchange.feedback}.` }));
    return section;
  }
  const question = element("span", { className: "feedback-question", textContent: "Was this answer useful?" });
  const helpful = element("button", { type: "button", className: "secondary", textContent: "Helpful", "aria-pressed": "false" });
  const unhelpful = element("button", { type: "button", className: "secondary", textContent: "Not helpful", "aria-pressed": "false" });
  const commentId = `comment-${Math.random().toString(36).slice(2)}`;
  const comment = element("textarea", { id: commentId, rows: 2, maxLength: 2000 });
  const sendFeedback = element("button", { type: "submit", className: "secondary", textContent: "Send feedback" });
  const details = element(
    "form",
    { className: "feedback-form", hidden: true },
    element("label", { htmlFor: commentId, textContent: "What was right or wrong about it? (optional)" }),
    comment,
    sendFeedback,
  );
  let verdict = null;
  for (const [button, value] of [[helpful, true], [unhelpful, false]]) {
    button.addEventListener("click", () => {
      verdict = value;
      helpful.setAttribute("aria-pressed", String(value));
      unhelpful.setAttribute("aria-pressed", String(!value));
      details.hidden = false;
      comment.focus();
    });
  }
  details.addEventListener("submit", async (event) => {
    event.preventDefault();
    sendFeedback.disabled = true;
    const { data, question, filters } = exchange;
    const payload = { question, answer: data.answer, helpful: verdict, comment: comment.value.trim() || null, citations: data.citations.map(({ n, doc_id, chunk_id, title, page }) => ({ n, doc_id, chunk_id, title, page })), filters: filters || {} };
    try {
      await fetchJson("/feedback", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
      exchange.feedback = verdict ? "helpful" : "not helpful";
      save();
      const thanks = element("p", { className: "note", tabIndex: -1, textContent: `Thank you: your feedback was recorded (${exchange.feedback}).` });
      section.replaceChildren(thanks);
      thanks.focus();
    } catch (error) {
      sendFeedback.disabled = false;
      details.append(element("p", { className: "status error", textContent: `Could not send the feedback: ${error.message}` }));
    }
  });
  section.append(element("div", { className: "feedback-row" }, question, helpful, unhelpful), details);
  return section;
}

function panel(className, name) {
  // A group, not a landmark: every answer may have one, and landmarks must be unique.
  return element("div", { className, role: "group", "aria-label": name });
}

async function showPeers(item, button, question) {
  button.disabled = true;
  const section = panel("peers", "Councils that have done this");
  try {
    const data = await fetchJson(`/peers?${new URLSearchParams({ q: question })}`);
    section.append(label("Councils that have done this"));
    if (!data.councils.length) section.append(element("p", { textContent: "No council in the knowledge base has evidence about this." }));
    const list = element("ol");
    for (const council of data.councils) {
      const name = element("button", { type: "button", className: "link council", textContent: council.name });
      name.addEventListener("click", () => openCouncil(council.id));
      const entry = element("li", {}, name, ` (${[council.role, council.model].filter(Boolean).join(", ")})`);
      council.passages.forEach((c, i) => {
        entry.append(element("p", { className: "evidence" }, `“${council.quotes[i]}” `, citationLink(c, c.title, "source-title inline")));
      });
      list.append(entry);
    }
    section.append(list);
  } catch (error) {
    section.textContent = `Could not find councils: ${error.message}`;
  }
  item.append(section);
}

async function showComparison(item, button, question) {
  button.disabled = true;
  const section = panel("compare", "The three models compared");
  try {
    const data = await fetchJson(`/compare?${new URLSearchParams({ q: question })}`);
    for (const model of data.models) {
      section.append(element("div", { className: model.confident ? "column" : "column not-covered" }, element("h3", { textContent: model.model }), quoted(model.answer, model.citations)));
    }
  } catch (error) {
    section.textContent = `Could not compare the models: ${error.message}`;
  }
  item.append(section);
}

async function openCouncil(councilId) {
  const title = document.getElementById("council-title");
  const meta = document.getElementById("council-meta");
  const body = document.getElementById("council-passages");
  try {
    const data = await fetchJson(`/councils/${encodeURIComponent(councilId)}`);
    title.textContent = data.name;
    meta.textContent = [data.role, data.model].filter(Boolean).join(" · ");
    body.replaceChildren();
    for (const source of data.documents) {
      body.append(element("h3", { className: "council-document", textContent: `${source.title} (${source.date || "undated"})` }));
      for (const c of source.passages) body.append(element("p", {}, c.text, " ", citationLink(c, "Open in the document", "inline")));
    }
    if (!data.documents.length) body.textContent = "No passage names this council.";
  } catch (error) {
    title.textContent = "Council";
    meta.textContent = "";
    body.textContent = `Could not open the council: ${error.message}`;
  }
  dialog.showModal();
  dialog.scrollTop = 0; // open at the council's name, not at the Close button
  title.focus();
}

function showExchange(exchange, { scroll }) {
  const asked = element("li", { className: "msg user", textContent: exchange.question });
  const answered = element("li", { className: "msg assistant" });
  renderAnswer(answered, exchange);
  thread.append(asked, answered);
  suggestions.hidden = true;
  if (scroll) scrollToEnd(answered);
}

async function ask(question, { searchAnyway = false } = {}) {
  const filters = chosenFilters(filtersPanel);
  const payload = { question, history: history(), filters, search_anyway: searchAnyway };
  const asked = element("li", { className: "msg user pending", textContent: question });
  thread.append(asked);
  suggestions.hidden = true;
  statusLine.className = "status loading";
  statusLine.textContent = "Searching the knowledge base…";
  thread.setAttribute("aria-busy", "true");
  send.disabled = true;
  busy = true;
  try {
    const data = await fetchJson("/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    asked.remove();
    const exchange = { question, data, filters };
    exchanges.push(exchange);
    save();
    showExchange(exchange, { scroll: true });
    statusLine.className = "status";
    statusLine.textContent = "";
    // One announcement per answer; the thread itself is not a live region, so sources are not read out again.
    const kind = data.safeguarding ? "Safeguarding" : data.confident ? "Answer" : "Not covered";
    announcer.textContent = `${kind}: ${data.answer.replace(/\s*\[\d+\]/g, "")}`;
  } catch (error) {
    asked.remove();
    box.value = question;
    statusLine.className = "status error";
    statusLine.textContent = `Could not get an answer: ${error.message}`;
  } finally {
    thread.removeAttribute("aria-busy");
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
  exchanges = [];
  thread.replaceChildren();
  pressChips(filtersPanel, {});
  try { localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing stored */ }
  statusLine.className = "status";
  statusLine.textContent = "";
  announcer.textContent = "";
  suggestions.hidden = false;
  box.focus();
});

// Keep focused links and buttons clear of the question box that stays at the bottom of the window.
new ResizeObserver(() => {
  document.documentElement.style.scrollPaddingBottom = `${form.offsetHeight + 16}px`;
}).observe(form);

async function showSuggestions() {
  try {
    const data = await fetchJson("/suggestions");
    const list = suggestions.querySelector("ul");
    for (const question of data.questions) {
      const button = element("button", { type: "button", className: "secondary", textContent: question });
      button.addEventListener("click", () => { if (!busy) ask(question); });
      list.append(element("li", {}, button));
    }
    if (!data.questions.length) suggestions.remove();
  } catch (error) {
    suggestions.remove(); // no index yet: the status of /ask will say so
  }
}

async function start() {
  facets = await loadFacets();
  filtersPanel.replaceChildren(...filterFieldsets(facets, save));
  const stored = restore();
  pressChips(filtersPanel, stored.filters || {});
  exchanges = stored.exchanges || [];
  for (const exchange of exchanges) showExchange(exchange, { scroll: false });
  if (exchanges.length) scrollToEnd(thread.lastElementChild);
  else suggestions.hidden = false;
  showSuggestions();
}

start();
box.focus();
