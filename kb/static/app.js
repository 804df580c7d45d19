"use strict";
// The chat page: asks POST /ask with the conversation so far, shows cited answers whose citations open the
// document view, takes feedback, and keeps the conversation in this browser until "New conversation".

const STORAGE_KEY = "sfpc-kb-conversations";
const OLD_STORAGE_KEY = "sfpc-kb-conversation"; // one conversation per browser, before several were kept
const MAX_HISTORY_TURNS = 20; // the API takes at most 50 earlier turns; a follow-up needs only the recent ones
const MAX_STORED_ANSWERS = 50;
const MAX_CONVERSATIONS = 30;

const thread = document.getElementById("thread");
const statusLine = document.getElementById("status");
const announcer = document.getElementById("announce");
const form = document.getElementById("ask-form");
const box = document.getElementById("question");
const send = document.getElementById("send");
const dialog = document.getElementById("council");
const filtersPanel = document.getElementById("filters");
const suggestions = document.getElementById("suggestions");
const conversationsPanel = document.getElementById("conversations");
let exchanges = []; // [{question, data, filters}], what the page shows and stores
let conversationId = newId();
let facets = NO_FACETS;
let busy = false; // one question at a time, whichever way it is sent (button or Enter)

function newId() {
  return `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

function turns(earlier) {
  // A safeguarding response is not part of the conversation a follow-up continues.
  return earlier.filter((e) => !e.data.safeguarding).slice(-MAX_HISTORY_TURNS / 2).flatMap((e) => [
    { role: "user", content: e.question },
    { role: "assistant", content: e.data.answer },
  ]);
}

function history() {
  return turns(exchanges);
}

function stored() {
  // {current, conversations: [{id, exchanges, filters, updated}]}, newest first; an older single conversation moves in.
  try {
    const kept = JSON.parse(localStorage.getItem(STORAGE_KEY));
    if (kept && Array.isArray(kept.conversations)) return kept;
    const old = JSON.parse(localStorage.getItem(OLD_STORAGE_KEY));
    if (old && old.exchanges && old.exchanges.length) {
      const id = newId();
      return { current: id, conversations: [{ id, exchanges: old.exchanges, filters: old.filters || {}, updated: Date.now() }] };
    }
  } catch (error) {
    // Unreadable or unavailable storage: start afresh.
  }
  return { current: null, conversations: [] };
}

function writeStore(store) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(store));
    localStorage.removeItem(OLD_STORAGE_KEY);
  } catch (error) {
    // Private browsing or a full store: the conversations simply do not survive a reload.
  }
}

function save() {
  const store = stored();
  // A question that reported a safeguarding concern is never stored, not even in this browser.
  const kept = exchanges.filter((e) => !e.data.safeguarding).slice(-MAX_STORED_ANSWERS);
  const others = store.conversations.filter((c) => c.id !== conversationId);
  const conversations = kept.length
    ? [{ id: conversationId, exchanges: kept, filters: chosenFilters(filtersPanel), updated: Date.now() }, ...others]
    : others;
  writeStore({ current: conversationId, conversations: conversations.slice(0, MAX_CONVERSATIONS) });
  showConversations();
}

function conversationName(conversation) {
  return conversation.exchanges[0].question;
}

function showConversations() {
  // The kept conversations, named by their first question: switch to one, or delete it.
  const list = conversationsPanel.querySelector("ul");
  const { conversations } = stored();
  conversationsPanel.hidden = conversations.length === 0;
  conversationsPanel.querySelector("summary").textContent = `Your conversations (${conversations.length})`;
  list.replaceChildren(...conversations.map((conversation) => {
    const name = conversationName(conversation);
    const current = conversation.id === conversationId;
    const open = element("button", { type: "button", className: "link conversation", textContent: name, "aria-current": current ? "true" : null });
    open.addEventListener("click", () => switchTo(conversation.id));
    const remove = element("button", { type: "button", className: "secondary small", textContent: "Delete", "aria-label": `Delete the conversation “${name}”` });
    remove.addEventListener("click", () => deleteConversation(conversation.id));
    return element("li", {}, open, remove);
  }));
}

function showConversation(conversation) {
  conversationId = conversation ? conversation.id : newId();
  exchanges = conversation ? conversation.exchanges : [];
  thread.replaceChildren();
  pressChips(filtersPanel, conversation ? conversation.filters || {} : {});
  statusLine.className = "status";
  statusLine.textContent = "";
  announcer.textContent = "";
  for (const exchange of exchanges) showExchange(exchange, { scroll: false });
  suggestions.hidden = exchanges.length > 0;
  showConversations();
}

function switchTo(id) {
  const conversation = stored().conversations.find((c) => c.id === id);
  if (!conversation) return;
  showConversation(conversation);
  writeStore({ ...stored(), current: id });
  if (thread.lastElementChild) scrollToQuestion(thread.lastElementChild.previousElementSibling);
  announcer.textContent = `Conversation “${conversationName(conversation)}” opened.`;
  box.focus();
}

function deleteConversation(id) {
  const store = stored();
  const gone = store.conversations.find((c) => c.id === id);
  writeStore({ ...store, conversations: store.conversations.filter((c) => c.id !== id) });
  if (id === conversationId) showConversation(null);
  else showConversations();
  if (gone) announcer.textContent = `Conversation “${conversationName(gone)}” deleted.`;
  const next = conversationsPanel.querySelector("button.conversation");
  (next && !conversationsPanel.hidden ? next : box).focus();
}

function scrollToQuestion(asked) {
  // A new answer is read from its question down: the question and the answer's first lines in view, not its end.
  if (asked) asked.scrollIntoView({ block: "start", behavior: prefersReducedMotion() ? "auto" : "smooth" });
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
    item.append(label("Sources"), sourceList(quotedSources, facets));
  }
  if (others.length) {
    const heading = data.confident ? `More passages (${others.length})` : `Nearest passages (${others.length}); they may not answer the question`;
    item.append(element("details", { className: "more-passages", open: !data.confident && !quotedSources.length }, element("summary", { textContent: heading }), sourceList(others, facets)));
  }
  const actions = element("div", { className: "more" });
  // An answer to a question read as a safeguarding concern (searched anyway) is never kept, so it gets no link.
  if (!exchange.searchAnyway) actions.append(action("Link to this answer", (button) => shareAnswer(button, exchange, actions)));
  actions.append(
    action("Copy answer", (button) => copyAnswer(button, data)),
    action("Which councils have done this?", (button) => showPeers(item, button, question)),
    action("Compare the three models", (button) => showComparison(item, button, question)),
  );
  item.append(actions);
  if (exchange.shared) actions.after(shareLink(exchange.shared));
  item.append(feedbackControl(exchange));
}

function shareLink(shared) {
  const address = new URL(shared.url, location.href).href;
  return element("p", { className: "share-link" }, "Link to this answer: ", element("a", { href: shared.url, target: "_blank", rel: "noopener", textContent: address }));
}

async function shareAnswer(button, exchange, actions) {
  // The server answers the question again and keeps its own answer: only answers it gave can be shared.
  if (button.getAttribute("aria-disabled") === "true") return;
  button.setAttribute("aria-disabled", "true");
  const earlier = exchanges.slice(0, exchanges.indexOf(exchange));
  const payload = { question: exchange.question, history: turns(earlier), filters: exchange.filters || {} };
  try {
    if (!exchange.shared) {
      const data = await fetchJson("/answers", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
      exchange.shared = { id: data.id, url: data.url };
      save();
      actions.after(shareLink(exchange.shared));
    }
    try {
      await copyText(new URL(exchange.shared.url, location.href).href);
      button.textContent = "Link copied";
    } catch (error) {
      button.textContent = "Link below";
    }
    announcer.textContent = "A link to this answer was made; it is shown under the answer.";
  } catch (error) {
    statusLine.className = "status error";
    statusLine.textContent = `Could not make a link: ${error.message}`;
  } finally {
    button.removeAttribute("aria-disabled");
    setTimeout(() => { button.textContent = "Link to this answer"; }, 3000);
  }
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
    lines.push(`[${c.n}] ${c.title} (${whereFrom(facets, c)}) ${new URL(documentAddress(c), location.href).href}`);
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

async function once(button, work) {
  // The button stays where it is and keeps the focus (a disabled button would drop it to the top of the page).
  if (button.getAttribute("aria-disabled") === "true") return;
  button.setAttribute("aria-disabled", "true");
  await work();
  if (document.activeElement === document.body) button.focus();
}

function showPeers(item, button, question) {
  return once(button, async () => {
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
    button.closest(".more").after(section);
  });
}

function showComparison(item, button, question) {
  return once(button, async () => {
    const section = panel("compare", "The three models compared");
    try {
      const data = await fetchJson(`/compare?${new URLSearchParams({ q: question })}`);
      for (const model of data.models) {
        section.append(element("div", { className: model.confident ? "column" : "column not-covered" }, element("h3", { textContent: model.model }), quoted(model.answer, model.citations)));
      }
    } catch (error) {
      section.textContent = `Could not compare the models: ${error.message}`;
    }
    const peers = item.querySelector(".peers");
    (peers || button.closest(".more")).after(section);
  });
}

async function openCouncil(councilId) {
  // Each document once, with the sentence that names the council; its passages when asked for.
  const title = document.getElementById("council-title");
  const meta = document.getElementById("council-meta");
  const body = document.getElementById("council-passages");
  try {
    const data = await fetchJson(`/councils/${encodeURIComponent(councilId)}`);
    title.textContent = data.name;
    meta.textContent = [data.role, data.model].filter(Boolean).join(" · ");
    body.replaceChildren();
    for (const source of data.documents) {
      const mentions = [...new Set(source.mentions)];
      const first = source.passages[source.mentions.indexOf(mentions[0])] || source.passages[0];
      const entry = element("section", { className: "council-document" }, element("h3", { textContent: `${source.title} (${source.date || "undated"})` }));
      entry.append(element("p", { className: "mention" }, element("q", { textContent: mentions[0] }), " ", citationLink(first, "Open in the document", "inline")));
      const passages = element("details", { className: "council-passages-more" }, element("summary", { textContent: source.passages.length === 1 ? "Show the passage" : `Show the ${source.passages.length} passages` }));
      for (const c of source.passages) passages.append(element("p", {}, c.text, " ", citationLink(c, "Open in the document", "inline")));
      entry.append(passages);
      body.append(entry);
    }
    if (!data.documents.length) body.textContent = "No passage names this council.";
  } catch (error) {
    title.textContent = "Council";
    meta.textContent = "";
    body.textContent = `Could not open the council: ${error.message}`;
  }
  dialog.showModal();
  dialog.scrollTop = 0; // open at the council's name; the Close button stays at the top
  title.focus();
}

function showExchange(exchange, { scroll }) {
  const asked = element("li", { className: "msg user", textContent: exchange.question });
  const answered = element("li", { className: "msg assistant" });
  renderAnswer(answered, exchange);
  thread.append(asked, answered);
  suggestions.hidden = true;
  if (scroll) scrollToQuestion(asked);
}

async function ask(question, { searchAnyway = false } = {}) {
  const id = conversationId; // the conversation the answer belongs to, even if another is opened meanwhile
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
    if (id !== conversationId) return;
    const exchange = { question, data, filters, searchAnyway: searchAnyway || undefined };
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
  // The current conversation stays in the list; a new, empty one starts.
  showConversation(null);
  writeStore({ ...stored(), current: conversationId });
  suggestions.hidden = false;
  box.focus();
});

document.getElementById("print").addEventListener("click", () => window.print());

// Printing (or "Save as PDF") shows every passage an answer lists, folded or not.
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.more-passages:not([open])")) {
    details.dataset.printOpened = "true";
    details.open = true;
  }
});
window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll("details[data-print-opened]")) {
    details.open = false;
    delete details.dataset.printOpened;
  }
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
  // A question asked while the page was still loading (a slow network) keeps its answer: the stored
  // conversation is brought back only when nothing has been asked yet.
  if (!busy && !exchanges.length) {
    const store = stored();
    const current = store.conversations.find((c) => c.id === store.current);
    showConversation(current || null);
    if (current) writeStore(store); // a conversation kept the older way moves to the new store
    if (exchanges.length) scrollToQuestion(thread.lastElementChild.previousElementSibling);
  }
  showSuggestions();
}

start();
box.focus();
