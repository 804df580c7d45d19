"use strict";
// A shared answer (GET /answers/{id}): the question, the answer and its sources exactly as they were given, and
// which of the publications it quotes have been replaced or removed since.

const answerId = decodeURIComponent(location.pathname.split("/")[2]);

function changeNotice(data) {
  // One line per changed publication, with a link to its current version when there is one.
  const changed = new Map();
  for (const c of data.citations) if (c.status !== "current" && !changed.has(c.doc_id)) changed.set(c.doc_id, c);
  if (!changed.size) return null;
  const list = element("ul");
  for (const c of changed.values()) {
    if (c.status === "replaced") {
      list.append(element("li", {}, `“${c.title}” has been replaced by a newer version since this answer was given. `,
        element("a", { href: c.current_url, textContent: `Read the current version${c.current_title && c.current_title !== c.title ? ` (“${c.current_title}”)` : ""}` })));
    } else {
      list.append(element("li", { textContent: `“${c.title}” has been removed from the knowledge base since this answer was given.` }));
    }
  }
  return element("div", { className: "warning changed", role: "note" },
    element("p", { textContent: "The sources of this answer have changed, so it may no longer be right:" }), list,
    element("p", {}, "Ask the question again for today's answer: ", element("a", { href: "/", textContent: "ask the knowledge base" }), "."));
}

async function show() {
  const status = document.getElementById("status");
  status.textContent = "Loading the answer…";
  let data;
  try {
    data = await fetchJson(`/answers/${encodeURIComponent(answerId)}`);
  } catch (error) {
    status.className = "status error";
    status.textContent = /does not exist|removed/.test(error.message)
      ? "This shared answer is not available: the link may be mistyped, or it has been removed."
      : `Could not open the shared answer: ${error.message}`;
    return;
  }
  const facets = await loadFacets();
  status.textContent = "";
  const when = new Date(data.created_at);
  document.getElementById("meta").textContent = `Given on ${when.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" })}`;
  document.getElementById("question").textContent = data.question;
  const body = document.getElementById("answer");
  if (!data.confident) body.classList.add("not-covered");
  body.append(quoted(data.answer, data.citations));
  if (data.terms && data.terms.length) {
    const terms = element("dl", { className: "terms", "aria-label": "Terms used in this answer" });
    for (const { abbreviation, meaning } of data.terms) terms.append(element("dt", { textContent: abbreviation }), element("dd", { textContent: meaning }));
    body.append(terms);
  }
  const cited = citedNumbers(data.answer);
  const sources = data.citations.filter((c) => cited.has(c.n) || !data.confident);
  if (sources.length) body.append(element("h3", { className: "label", textContent: "Sources" }), sourceList(sources, facets));
  const notice = changeNotice(data);
  if (notice) document.getElementById("changes").append(notice);
  document.getElementById("shared").hidden = false;
}

show();
