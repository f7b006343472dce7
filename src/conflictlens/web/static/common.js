/* conflictlens web UI: helpers shared by every page.
 *
 * Everything that comes from the database (article text, titles, names, reasons) is untrusted: it is only
 * ever put into the page as text (textContent, createTextNode, setAttribute of non-URL attributes), never
 * through innerHTML or a string of markup. Links are built from ids with encodeURIComponent.
 */
"use strict";

const CL = (() => {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const FILTERS = ["since", "until", "country", "admin1", "bbox", "actor", "type", "status", "min_killed", "q"];
  const EVENT_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
    "Strategic developments"];
  const STATUSES = ["occurred", "attempted", "foiled", "threatened", "planned"];

  /** Build an element: el("a", {href: "/x", class: "c", on: {click: fn}}, "text", child, ...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "on") {
        for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
      } else if (key === "text") {
        node.textContent = String(value);
      } else if (key === "dataset") {
        Object.assign(node.dataset, value);
      } else if (key === "href") {
        node.setAttribute("href", safeHref(value));
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /** Internal paths pass; http(s) URLs from data pass as links; anything else (javascript:, data:) is dropped. */
  function safeHref(value) {
    const text = String(value);
    if (text.startsWith("/") && !text.startsWith("//")) return text;
    if (/^https?:\/\//i.test(text)) return text;
    return "#";
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  class ApiError extends Error {
    constructor(status, body) {
      const err = (body && body.error) || {};
      super(`[${err.code || status}] ${err.message || "request failed"}${err.detail ? " (" + err.detail + ")" : ""}`);
      this.status = status;
      this.code = err.code;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({headers: {}}, options || {});
    if (opts.json !== undefined) {
      opts.method = opts.method || "POST";
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(opts.json);
      delete opts.json;
    }
    const token = sessionStorage.getItem("cl-token");
    if (token && opts.method && opts.method !== "GET") opts.headers["Authorization"] = "Bearer " + token;
    const response = await fetch(path, opts);
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function showError(container, error) {
    container.appendChild(el("p", {class: "error", role: "alert", text: String(error.message || error)}));
  }

  function casualties(c) {
    if (!c) return "";
    if (c.best !== null && c.best !== undefined) {
      if ((c.low !== null && c.low !== undefined && c.low !== c.best) || (c.high !== null && c.high !== undefined && c.high !== c.best)) {
        return `${c.best} (${c.low ?? "?"}–${c.high ?? "?"})`;
      }
      return String(c.best);
    }
    if (c.low !== null && c.low !== undefined && c.high !== null && c.high !== undefined) return `${c.low}–${c.high}`;
    if (c.low !== null && c.low !== undefined) return `≥${c.low}`;
    if (c.high !== null && c.high !== undefined) return `≤${c.high}`;
    return "";
  }

  /** The filters in the page URL, as URLSearchParams (only the known, non-empty ones). */
  function filtersFromURL() {
    const here = new URLSearchParams(location.search);
    const out = new URLSearchParams();
    for (const name of FILTERS) {
      const value = here.get(name);
      if (value !== null && value.trim() !== "") out.set(name, value.trim());
    }
    return out;
  }

  function field(label, input) {
    return el("label", {class: "field"}, el("span", {text: label}), input);
  }

  function select(name, options, value, blank) {
    const node = el("select", {name});
    if (blank !== undefined) node.appendChild(el("option", {value: "", text: blank}));
    for (const option of options) node.appendChild(el("option", {value: option, text: option}));
    node.value = value || "";
    return node;
  }

  /** The filter form: fields prefilled from the URL; on submit the URL is updated and onApply(params) runs. */
  function filterForm(container, onApply, {extra} = {}) {
    const current = filtersFromURL();
    const input = (name, attrs) => el("input", Object.assign({name, value: current.get(name) || ""}, attrs));
    const form = el("form", {class: "filters", id: "filters"},
      field("Since", input("since", {type: "date"})),
      field("Until", input("until", {type: "date"})),
      field("Country", input("country", {placeholder: "PK", size: 3, maxlength: 2})),
      field("Admin1", input("admin1", {placeholder: "region"})),
      field("Actor", input("actor", {placeholder: "name or id"})),
      field("Type", select("type", EVENT_TYPES, current.get("type"), "any type")),
      field("Status", select("status", STATUSES, current.get("status"), "any status")),
      field("Min killed", input("min_killed", {type: "number", min: 0, size: 4})),
      field("Text", input("q", {type: "search", placeholder: "words in the reports"})),
      input("bbox", {type: "hidden"}),
      extra || null,
      el("div", {class: "buttons"},
        el("button", {type: "submit", text: "Apply"}),
        el("button", {type: "button", class: "secondary", text: "Clear", on: {click: () => {
          for (const node of form.querySelectorAll("input, select")) if (FILTERS.includes(node.name)) node.value = "";
          form.requestSubmit();
        }}})));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const node of form.querySelectorAll("input, select")) {
        if (node.name && node.value.trim() !== "") params.set(node.name, node.value.trim());
      }
      history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
      onApply(params);
    });
    container.appendChild(form);
    return form;
  }

  function onlyFilters(params) {
    const out = new URLSearchParams();
    for (const name of FILTERS) if (params.get(name)) out.set(name, params.get(name));
    return out;
  }

  function eventLink(id, text) {
    return el("a", {href: "/event/" + encodeURIComponent(id), text: text || id});
  }

  function actorLink(id, text) {
    return el("a", {href: "/actor/" + encodeURIComponent(id), text: text || id});
  }

  function place(loc) {
    if (!loc) return "";
    return [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ");
  }

  const NAV = [["/", "Events"], ["/map", "Map"], ["/timeline", "Timeline"], ["/actors", "Actors"], ["/docs", "API"]];

  /** The site header every page shares, built once here instead of copied into each page's markup. */
  function renderHeader() {
    const header = document.querySelector("header.top");
    if (!header) return;
    clear(header);
    header.appendChild(el("a", {class: "brand", href: "/", text: "conflictlens"}));
    header.appendChild(el("nav", {}, ...NAV.map(([href, label]) => el("a", {href, text: label}))));
  }

  renderHeader();

  return {el, svg, clear, api, ApiError, showError, casualties, filtersFromURL, filterForm, onlyFilters, eventLink,
    actorLink, place, field, select, FILTERS, EVENT_TYPES, STATUSES};
})();
