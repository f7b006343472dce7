/* Timeline: events (bars) and fatalities (line) per week or month for the current filters, as SVG. */
"use strict";

(() => {
  const {el, svg, clear, api, showError, filterForm, onlyFilters, field, select} = CL;
  const main = document.getElementById("main");
  const here = new URLSearchParams(location.search);
  const interval = select("interval", ["month", "week"], here.get("interval") || "month");
  main.appendChild(el("h1", {text: "Timeline"}));
  let params = new URLSearchParams(location.search);
  filterForm(main, (p) => { params = p; load(); }, {extra: field("Per", interval)});
  interval.addEventListener("change", () => load());
  const status = el("p", {class: "status", id: "status"});
  const chartBox = el("div", {class: "chart-box", id: "chart"});
  const breakdowns = el("div", {class: "columns"});
  main.append(status, chartBox, breakdowns);

  function addPeriod(period, kind) {
    const d = new Date(period + (kind === "month" ? "-01" : "") + "T00:00:00Z");
    if (kind === "month") d.setUTCMonth(d.getUTCMonth() + 1); else d.setUTCDate(d.getUTCDate() + 7);
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }

  function chart(rows, kind) {
    const W = 960, H = 320, L = 50, R = 50, T = 16, B = 40;
    const root = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": "events and fatalities per " + kind});
    if (!rows.length) {
      root.appendChild(svg("text", {x: W / 2, y: H / 2, "text-anchor": "middle", class: "muted", text: "no dated events"}));
      return root;
    }
    const maxE = Math.max(...rows.map((r) => r.events), 1), maxK = Math.max(...rows.map((r) => r.killed), 1);
    const step = (W - L - R) / rows.length;
    const yE = (v) => H - B - (v / maxE) * (H - T - B), yK = (v) => H - B - (v / maxK) * (H - T - B);
    root.append(svg("line", {x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis"}),
      svg("text", {x: L - 6, y: T + 8, "text-anchor": "end", class: "tick events", text: maxE}),
      svg("text", {x: W - R + 6, y: T + 8, class: "tick killed", text: maxK}),
      svg("text", {x: L - 6, y: H - B, "text-anchor": "end", class: "tick", text: "0"}));
    const labelEvery = Math.max(1, Math.ceil(rows.length / 12));
    rows.forEach((r, i) => {
      const x = L + i * step;
      const filters = onlyFilters(params);
      filters.set("since", r.period.length === 7 ? r.period + "-01" : r.period);
      filters.set("until", addPeriod(r.period, kind));
      const link = svg("a", {href: "/?" + filters});
      link.appendChild(svg("rect", {x: x + step * 0.1, y: yE(r.events), width: Math.max(1, step * 0.8), height: H - B - yE(r.events), class: "bar"},
        svg("title", {text: `${r.period}: ${r.events} event(s), ${r.killed} killed`})));
      root.appendChild(link);
      if (i % labelEvery === 0) root.appendChild(svg("text", {x: x + step / 2, y: H - B + 16, "text-anchor": "middle", class: "tick", text: r.period}));
    });
    const points = rows.map((r, i) => `${L + (i + 0.5) * step},${yK(r.killed)}`).join(" ");
    root.appendChild(svg("polyline", {points, class: "line"}));
    rows.forEach((r, i) => root.appendChild(svg("circle", {cx: L + (i + 0.5) * step, cy: yK(r.killed), r: 2.5, class: "point"})));
    return root;
  }

  function table(title, rows, linkFor) {
    return el("div", {class: "col"}, el("h2", {text: title}), el("table", {class: "events small"},
      el("thead", {}, el("tr", {}, ["", "Events", "Killed"].map((h) => el("th", {text: h})))),
      el("tbody", {}, rows.map((r) => el("tr", {}, el("td", {}, linkFor ? linkFor(r) : r.key),
        el("td", {class: "num", text: r.events}), el("td", {class: "num", text: r.killed}))))));
  }

  async function load() {
    const query = onlyFilters(params);
    query.set("interval", interval.value);
    status.textContent = "Loading…";
    let data;
    try { data = await api("/api/stats?" + query); } catch (error) { status.textContent = ""; clear(chartBox); showError(chartBox, error); return; }
    status.textContent = `${data.totals.events} event(s), ${data.totals.killed} killed (best estimates), per ${data.interval}.`;
    clear(chartBox).append(chart(data.timeline, data.interval),
      el("p", {class: "legend"}, el("span", {class: "key bar-key"}), " events ", el("span", {class: "key line-key"}), " killed"));
    clear(breakdowns).append(
      table("By type", data.by_type),
      table("By country", data.by_country),
      table("By actor", data.by_actor, (r) => CL.actorLink(r.actor_id, r.name)));
  }
  load();
})();
