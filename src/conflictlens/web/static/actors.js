/* Actors list: search by name, paged. */
"use strict";

(() => {
  const {el, clear, api, showError, actorLink, casualties, field} = CL;
  const main = document.getElementById("main");
  const here = new URLSearchParams(location.search);
  const search = el("input", {type: "search", name: "q", value: here.get("q") || "", placeholder: "name, alias or id"});
  const form = el("form", {class: "filters"}, field("Actor", search), el("div", {class: "buttons"}, el("button", {type: "submit", text: "Search"})));
  const status = el("p", {class: "status"});
  const box = el("div", {class: "table-box"});
  const pager = el("div", {class: "pager"});
  main.append(el("h1", {text: "Actors"}), form, status, box, pager);
  let offset = 0;

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    offset = 0;
    history.replaceState(null, "", location.pathname + (search.value.trim() ? "?q=" + encodeURIComponent(search.value.trim()) : ""));
    load();
  });

  async function load() {
    const query = new URLSearchParams({limit: "50", offset: String(offset)});
    if (search.value.trim()) query.set("q", search.value.trim());
    clear(box);
    let page;
    try { page = await api("/api/actors?" + query); } catch (error) { showError(box, error); return; }
    status.textContent = page.total ? `Actors ${offset + 1}–${offset + page.items.length} of ${page.total}` : "No actors.";
    box.appendChild(el("table", {class: "events", id: "actors-table"},
      el("thead", {}, el("tr", {}, ["Actor", "Aliases", "Events", "First", "Last", "Killed"].map((h) => el("th", {scope: "col", text: h})))),
      el("tbody", {}, page.items.map((a) => el("tr", {},
        el("td", {}, actorLink(a.actor_id, a.name)),
        el("td", {text: (a.aliases || []).join("; ")}),
        el("td", {class: "num", text: a.event_count}),
        el("td", {class: "nowrap", text: a.first_event || ""}),
        el("td", {class: "nowrap", text: a.last_event || ""}),
        el("td", {class: "num", text: casualties(a.killed_total)}))))));
    clear(pager);
    pager.append(
      el("button", {type: "button", disabled: offset === 0, text: "← Previous", on: {click: () => { offset = Math.max(0, offset - 50); load(); }}}),
      el("button", {type: "button", disabled: page.next_offset === null, text: "Next →", on: {click: () => { offset = page.next_offset; load(); }}}));
  }
  load();
})();
