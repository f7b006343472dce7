/* Events table: filters, sort, cursor paging (server-side), downloads of the current selection. */
"use strict";

(() => {
  const {el, clear, api, showError, filterForm, onlyFilters, eventLink, place, field, select} = CL;
  const main = document.getElementById("main");
  const here = new URLSearchParams(location.search);
  const sortSelect = select("sort", ["date", "-date", "killed"], here.get("sort") || "date");
  const sizeSelect = select("limit", ["25", "50", "100", "200"], here.get("limit") || "50");
  const extra = el("div", {class: "inline"}, field("Sort", sortSelect), field("Per page", sizeSelect));

  main.appendChild(el("h1", {text: "Events"}));
  filterForm(main, (params) => start(params), {extra});
  const status = el("p", {class: "status", id: "status"});
  const downloads = el("p", {class: "downloads", id: "downloads"});
  const tableBox = el("div", {class: "table-box"});
  const pager = el("div", {class: "pager"});
  main.append(el("div", {class: "bar"}, status, downloads), tableBox, pager);

  let cursors = [null];  // cursor of each page visited; the last one is the page shown
  let params = new URLSearchParams(location.search);
  let total = null;  // counted with the first page only (the API's default): later pages skip the count

  function start(newParams) {
    params = newParams;
    cursors = [null];
    total = null;
    load();
  }

  function downloadLinks() {
    clear(downloads);
    const filters = onlyFilters(params).toString();
    downloads.append("Download this selection: ",
      el("a", {href: "/api/export?format=csv" + (filters ? "&" + filters : ""), id: "download-csv", download: "conflictlens-events.csv", text: "CSV"}),
      " · ",
      el("a", {href: "/api/export?format=geojson" + (filters ? "&" + filters : ""), id: "download-geojson", download: "conflictlens-events.geojson", text: "GeoJSON"}),
      " · ",
      el("a", {href: "/api/export?format=json" + (filters ? "&" + filters : ""), download: "conflictlens-events.json", text: "JSON"}));
  }

  async function load() {
    const query = onlyFilters(params);
    query.set("view", "summary");
    query.set("sort", sortSelect.value);
    query.set("limit", sizeSelect.value);
    const cursor = cursors[cursors.length - 1];
    if (cursor) query.set("cursor", cursor);
    downloadLinks();
    status.textContent = "Loading…";
    let page;
    try {
      page = await api("/api/events?" + query);
    } catch (error) {
      clear(tableBox);
      status.textContent = "";
      showError(tableBox, error);
      return;
    }
    if (page.total !== null) total = page.total;
    const first = (cursors.length - 1) * Number(sizeSelect.value) + 1;
    status.textContent = page.items.length
      ? `Events ${first}–${first + page.items.length - 1} of ${total ?? "?"}`
      : "No events match these filters.";
    render(page.items);
    clear(pager);
    pager.append(
      el("button", {type: "button", id: "prev", disabled: cursors.length === 1, text: "← Previous",
        on: {click: () => { cursors.pop(); load(); }}}),
      el("button", {type: "button", id: "next", disabled: !page.next_cursor, text: "Next →",
        on: {click: () => { cursors.push(page.next_cursor); load(); }}}));
  }

  function render(items) {
    clear(tableBox);
    const head = el("tr", {}, ["Date", "Type", "Status", "Place", "Perpetrators", "Killed", "Wounded", "Summary"]
      .map((h) => el("th", {scope: "col", text: h})));
    const rows = items.map((e) => el("tr", {dataset: {eventId: e.event_id}},
      el("td", {class: "nowrap"}, eventLink(e.event_id, e.date || "undated")),
      el("td", {text: e.sub_event_type || e.event_type || ""}),
      el("td", {text: e.status || ""}),
      el("td", {text: place(e.location)}),
      el("td", {text: (e.perpetrators || []).join("; ")}),
      el("td", {class: "num", text: e.killed ?? ""}),
      el("td", {class: "num", text: e.wounded ?? ""}),
      el("td", {class: "summary", text: e.summary || ""})));
    tableBox.appendChild(el("table", {class: "events", id: "events-table"}, el("thead", {}, head), el("tbody", {}, rows)));
  }

  sortSelect.addEventListener("change", () => start(params));
  sizeSelect.addEventListener("change", () => start(params));
  load();
})();
