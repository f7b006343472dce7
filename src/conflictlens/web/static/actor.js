/* Actor page: profile, aliases, a relations graph (SVG) and the actor's events on a timeline (SVG). */
"use strict";

(() => {
  const {el, svg, api, showError, actorLink, eventLink} = CL;
  const main = document.getElementById("main");
  const id = decodeURIComponent(location.pathname.replace(/^\/actor\//, ""));

  function graph(actor) {
    const nodes = [
      ...(actor.relations || []).map((r) => ({id: r.actor_id, name: r.name, label: r.type.replace(/_/g, " "), kind: "relation"})),
      ...(actor.co_actors || []).map((c) => ({id: c.actor_id, name: c.name, label: `${c.shared_events} shared event(s)`, kind: "co"})),
    ].slice(0, 16);
    const W = 640, H = nodes.length ? 420 : 160, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 60;
    const root = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "graph", id: "relations-graph", role: "img", "aria-label": "relations of " + actor.name});
    nodes.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
      n.x = cx + R * Math.cos(angle);
      n.y = cy + R * Math.sin(angle);
      root.appendChild(svg("line", {x1: cx, y1: cy, x2: n.x, y2: n.y, class: "edge " + n.kind}));
      root.appendChild(svg("text", {x: (cx + n.x) / 2, y: (cy + n.y) / 2 - 4, class: "edge-label", "text-anchor": "middle", text: n.label}));
    });
    for (const n of nodes) {
      const link = svg("a", {href: n.id ? "/actor/" + encodeURIComponent(n.id) : "#"});
      link.append(svg("circle", {cx: n.x, cy: n.y, r: 9, class: "node " + n.kind}),
        svg("text", {x: n.x, y: n.y + 24, class: "node-label", "text-anchor": "middle", text: n.name}));
      root.appendChild(link);
    }
    root.append(svg("circle", {cx, cy, r: 14, class: "node self"}),
      svg("text", {x: cx, y: cy + 32, class: "node-label self", "text-anchor": "middle", text: actor.name}));
    if (!nodes.length) root.appendChild(svg("text", {x: cx, y: cy - 30, "text-anchor": "middle", class: "muted", text: "no known relations"}));
    return root;
  }

  function timeline(events) {
    const dated = events.filter((e) => e.date);
    const W = 900, H = 150, pad = 40;
    const root = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "actor-timeline", id: "actor-timeline", role: "img", "aria-label": "events over time"});
    if (!dated.length) {
      root.appendChild(svg("text", {x: W / 2, y: H / 2, "text-anchor": "middle", class: "muted", text: "no dated events"}));
      return root;
    }
    const t = (d) => new Date(d + "T00:00:00Z").getTime();
    let lo = t(dated[0].date), hi = t(dated[dated.length - 1].date);
    if (hi === lo) { lo -= 86400000 * 15; hi += 86400000 * 15; }
    const x = (d) => pad + ((t(d) - lo) / (hi - lo)) * (W - 2 * pad);
    root.appendChild(svg("line", {x1: pad, y1: H - 35, x2: W - pad, y2: H - 35, class: "axis"}));
    for (const [value, anchor] of [[new Date(lo), "start"], [new Date(hi), "end"]]) {
      root.appendChild(svg("text", {x: anchor === "start" ? pad : W - pad, y: H - 12, "text-anchor": anchor, class: "tick", text: value.toISOString().slice(0, 10)}));
    }
    for (const e of dated) {
      const r = 4 + 2.5 * Math.sqrt(e.killed || 0);
      const link = svg("a", {href: "/event/" + encodeURIComponent(e.event_id), class: "dot-link"});
      link.appendChild(svg("circle", {cx: x(e.date), cy: H - 35 - Math.min(r, 40) - 4, r: Math.min(r, 40), class: "dot"},
        svg("title", {text: `${e.date} · ${e.sub_event_type || e.event_type || ""} · killed ${e.killed ?? "?"}`})));
      root.appendChild(link);
    }
    return root;
  }

  async function load() {
    let actor;
    try { actor = await api("/api/actors/" + encodeURIComponent(id)); } catch (error) {
      main.appendChild(el("h1", {text: "Actor"}));
      showError(main, error);
      return;
    }
    document.title = actor.name + " · conflictlens";
    const facts = [["Id", actor.actor_id], ["Type", actor.type || "—"], ["Country", actor.country || "—"],
      ["Events", actor.event_count], ["First event", actor.first_event || "—"], ["Last event", actor.last_event || "—"],
      ["Killed (sum of best estimates)", actor.killed_total && actor.killed_total.best !== null ? actor.killed_total.best : "—"]];
    main.append(
      el("h1", {class: "actor-name", text: actor.name}),
      el("div", {class: "columns"},
        el("div", {class: "col"},
          el("h2", {text: "Profile"}),
          el("table", {class: "fields", id: "profile"}, el("tbody", {}, facts.map(([k, v]) => el("tr", {}, el("th", {scope: "row", text: k}), el("td", {text: v}))))),
          el("h2", {text: "Aliases"}),
          (actor.aliases || []).length ? el("ul", {class: "aliases", id: "aliases"}, actor.aliases.map((a) => el("li", {text: a})))
            : el("p", {class: "muted", id: "aliases", text: "No other names seen."})),
        el("div", {class: "col"}, el("h2", {text: "Relations"}), graph(actor),
          el("p", {class: "muted small", text: "Solid: known relations. Dashed: actors named in the same events."}))),
      el("h2", {text: "Events over time"}), timeline(actor.events || []),
      el("p", {}, el("a", {href: "/?actor=" + encodeURIComponent(actor.actor_key || actor.actor_id), text: "All events of this actor in the table →"})),
      el("table", {class: "events", id: "actor-events"},
        el("thead", {}, el("tr", {}, ["Date", "Type", "Role", "Killed", "Summary"].map((h) => el("th", {text: h})))),
        el("tbody", {}, (actor.events || []).slice(-200).reverse().map((e) => el("tr", {},
          el("td", {class: "nowrap"}, eventLink(e.event_id, e.date || "undated")),
          el("td", {text: e.sub_event_type || e.event_type || ""}), el("td", {text: (e.roles || []).join(", ")}),
          el("td", {class: "num", text: e.killed ?? ""}), el("td", {class: "summary", text: e.summary || ""}))))));
  }
  load();
  void actorLink;
})();
