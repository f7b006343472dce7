/* Event page: every field beside its evidence and the reason it was chosen, with the evidence highlighted
 * in the text of each source article; then the review history and (with a token) the review forms. */
"use strict";

const CLEvent = (() => {
  const {el, clear, api, showError, casualties, place, eventLink} = CL;
  const FIELDS = ["event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded", "perpetrators_killed", "claims",
    "summary", "confidence"];
  const LABELS = {perpetrator_individuals: "individual perpetrators", perpetrators_killed: "perpetrators killed",
    sub_event_type: "sub-event type", event_type: "event type", attack_types: "attack types"};

  function valueText(name, v) {
    if (v === null || v === undefined) return "";
    if (["killed", "wounded", "perpetrators_killed"].includes(name)) return casualties(v);
    if (name === "date") {
      if (!v.start) return v.text ? `unknown (“${v.text}”)` : "";
      const range = v.start === v.end || !v.end ? v.start : `${v.start} … ${v.end}`;
      return `${range} (${v.precision})`;
    }
    if (name === "location") {
      const where = place(v);
      const coords = v.lat !== null && v.lat !== undefined ? ` [${Number(v.lat).toFixed(3)}, ${Number(v.lon).toFixed(3)}]` : "";
      return where ? `${where}${coords} (${v.precision})` : "";
    }
    if (name === "confidence") return Number(v).toFixed(2);
    if (Array.isArray(v)) {
      return v.map((item) => {
        if (typeof item === "string") return item;
        const main = item.name || item.mention || "";
        const extra = item.type ? ` [${item.type}]` : (item.quote ? ` — “${item.quote}”` : "");
        const unsure = item.uncertain ? " (uncertain)" : "";
        return main + extra + unsure;
      }).join("; ");
    }
    return String(v);
  }

  function spanKey(s) { return `${s.article_id}:${s.start}:${s.end}`; }

  /** The article text as text nodes and <mark>s: each mark lists the fields and spans it is evidence for. */
  function highlighted(text, spans) {
    const cuts = new Set([0, text.length]);
    for (const s of spans) {
      cuts.add(Math.max(0, Math.min(text.length, s.start)));
      cuts.add(Math.max(0, Math.min(text.length, s.end)));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out = el("div", {class: "article-text"});
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = text.slice(a, b);
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) { out.appendChild(document.createTextNode(piece)); continue; }
      const fields = [...new Set(covering.map((s) => s.field))];
      out.appendChild(el("mark", {class: "ev", title: "evidence for: " + fields.join(", "),
        dataset: {fields: fields.join(" "), spans: covering.map(spanKey).join(" ")}, text: piece}));
    }
    return out;
  }

  function marksFor(predicate) {
    return [...document.querySelectorAll("mark.ev")].filter(predicate);
  }

  function flash(key) {
    const marks = marksFor((m) => m.dataset.spans.split(" ").includes(key));
    for (const m of marks) { m.classList.remove("flash"); void m.offsetWidth; m.classList.add("flash"); }
    if (marks[0]) marks[0].scrollIntoView({block: "center", behavior: "smooth"});
  }

  function fieldRows(event) {
    const corrected = new Set(((event.review || {}).corrections || []).filter((c) => c.action === "correct").map((c) => c.field));
    const rows = [];
    for (const name of FIELDS) {
      const value = valueText(name, event[name]);
      const spans = (event.evidence || {})[name] || [];
      const reason = (event.reasons || {})[name];
      if (!value && !spans.length && !corrected.has(name)) continue;
      const chips = spans.map((s) => el("button", {type: "button", class: "chip", title: "show in the article",
        dataset: {key: spanKey(s)}, text: "“" + s.text + "”", on: {click: () => flash(spanKey(s))}}));
      const row = el("tr", {dataset: {field: name}},
        el("th", {scope: "row", text: LABELS[name] || name.replace(/_/g, " ")}),
        el("td", {class: "value"}, value, corrected.has(name) ? el("span", {class: "badge corrected", text: "corrected"}) : null),
        el("td", {class: "evidence"}, chips.length ? chips : el("span", {class: "muted", text: "no span"}),
          reason ? el("div", {class: "reason"}, el("span", {class: "muted", text: "why: "}), reason) : null));
      row.addEventListener("mouseenter", () => marksFor((m) => m.dataset.fields.split(" ").includes(name)).forEach((m) => m.classList.add("active")));
      row.addEventListener("mouseleave", () => marksFor(() => true).forEach((m) => m.classList.remove("active")));
      rows.push(row);
    }
    return el("table", {class: "fields", id: "fields"}, el("tbody", {}, rows));
  }

  async function articlePanel(articleId, event) {
    const box = el("section", {class: "article", dataset: {articleId}});
    let article;
    try {
      article = await api("/api/articles/" + encodeURIComponent(articleId));
    } catch (error) {
      box.appendChild(el("h3", {text: articleId}));
      showError(box, error);
      return box;
    }
    const spans = [];
    for (const [name, list] of Object.entries(event.evidence || {})) {
      for (const s of list) if (s.article_id === articleId) spans.push(Object.assign({field: name}, s));
    }
    const meta = [article.source, article.published].filter(Boolean).join(" · ");
    box.append(
      el("h3", {class: "article-title", text: article.title || "(untitled)"}),
      el("p", {class: "meta"}, meta, article.url ? [" · ", el("a", {href: article.url, rel: "noopener noreferrer", target: "_blank", text: "original"})] : null,
        el("span", {class: "muted", text: " · " + articleId.slice(0, 12)})),
      highlighted(article.text || "", spans));
    return box;
  }

  async function render(main, eventId) {
    clear(main);
    let event;
    try {
      event = await api("/api/events/" + encodeURIComponent(eventId));
    } catch (error) {
      main.appendChild(el("h1", {text: "Event"}));
      showError(main, error);
      return;
    }
    const review = event.review || {state: "visible", corrections: []};
    document.title = (event.summary || event.event_id) + " · conflictlens";
    // A retired id (merged into another event, or replaced in a rebuild): the API redirected to the event it
    // became. Say so, and put the event's own id in the address bar so that it is what gets bookmarked.
    const redirected = event.event_id !== eventId && !event.event_id.startsWith(eventId);
    if (redirected) history.replaceState(null, "", "/event/" + encodeURIComponent(event.event_id) + location.search);
    main.append(
      el("h1", {class: "event-title", text: event.summary || `${event.sub_event_type || event.event_type || "Event"} in ${place(event.location) || "unknown place"}`}),
      el("p", {class: "meta"}, el("code", {text: event.event_id}), " · ", event.status, " · confidence ",
        Number(event.confidence || 0).toFixed(2), " · ", `${(event.sources || []).length} source(s)`));
    if (redirected) {
      main.appendChild(el("p", {class: "banner", id: "redirect-banner"}, "Event ", el("code", {text: eventId}),
        " no longer exists: it was merged into ", eventLink(event.event_id), ", shown here."));
    }
    if (review.state === "not_incident") {
      main.appendChild(el("p", {class: "banner", id: "state-banner", text: "Marked as not an incident: hidden from lists and exports."}));
    } else if (review.state === "merged") {
      main.appendChild(el("p", {class: "banner", id: "state-banner"}, "Merged into ", eventLink(review.merged_into), ": hidden from lists and exports."));
    }
    const left = el("div", {class: "col fields-col"}, el("h2", {text: "Fields and evidence"}), fieldRows(event));
    const right = el("div", {class: "col articles-col"}, el("h2", {text: "Source articles"}));
    main.appendChild(el("div", {class: "columns"}, left, right));
    const ids = [...new Set([...(event.sources || []).map((s) => s.article_id),
      ...Object.values(event.evidence || {}).flat().map((s) => s.article_id)])];
    for (const panel of await Promise.all(ids.map((id) => articlePanel(id, event)))) right.appendChild(panel);
    if (Object.keys(event.alternatives || {}).length) {
      left.appendChild(el("h2", {text: "Alternatives from other reports"}));
      left.appendChild(el("pre", {class: "json", text: JSON.stringify(event.alternatives, null, 2)}));
    }
    CLReview.render(left, event, () => render(main, event.event_id));
  }

  return {render, valueText, FIELDS};
})();

(() => {
  const main = document.getElementById("main");
  const id = decodeURIComponent(location.pathname.replace(/^\/event\//, ""));
  if (document.body.dataset.page === "event") CLEvent.render(main, id);
})();
