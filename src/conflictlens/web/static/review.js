/* Review panel of the event page: the correction history, and (when the server has a token) forms to
 * correct a field, mark the event as not an incident (or restore it), merge another event in, or split. */
"use strict";

const CLReview = (() => {
  const {el, clear, api, showError, eventLink, field, select} = CL;
  const EDITABLE = ["event_type", "sub_event_type", "attack_types", "status", "date", "location", "perpetrators",
    "perpetrator_individuals", "targets", "victims", "weapons", "killed", "wounded", "perpetrators_killed", "claims",
    "summary", "confidence"];

  function short(value) {
    if (value === null || value === undefined) return "—";
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 160 ? text.slice(0, 157) + "…" : text;
  }

  function describe(c) {
    const v = c.value || {};
    switch (c.action) {
      case "correct": return [`${c.field}: `, el("del", {text: short(c.previous)}), " → ", el("ins", {text: short(c.value)})];
      case "reject": return ["marked as not an incident"];
      case "restore": return ["restored as an incident"];
      case "merge": return ["absorbed ", eventLink(v.event_id)];
      case "merged_into": return ["merged into ", eventLink(v.into)];
      case "split": return [`moved ${(v.mention_ids || []).length} mention(s) out into `, eventLink(v.new_event_id)];
      case "split_from": return ["split out of ", eventLink(v.event_id)];
      default: return [c.action];
    }
  }

  function historyTable(corrections) {
    if (!corrections.length) return el("p", {class: "muted", id: "history", text: "No corrections yet."});
    return el("table", {class: "history", id: "history"},
      el("thead", {}, el("tr", {}, ["When", "Who", "What", "Why"].map((h) => el("th", {scope: "col", text: h})))),
      el("tbody", {}, corrections.map((c) => el("tr", {dataset: {action: c.action}},
        el("td", {class: "nowrap", text: (c.created_at || "").replace("T", " ").replace("+00:00", " UTC")}),
        el("td", {text: c.author}),
        el("td", {}, describe(c)),
        el("td", {text: c.reason || ""})))));
  }

  function credentials() {
    const token = el("input", {type: "password", name: "token", id: "review-token", autocomplete: "off",
      value: sessionStorage.getItem("cl-token") || "", placeholder: "server token"});
    const author = el("input", {name: "author", id: "review-author", value: localStorage.getItem("cl-author") || "",
      placeholder: "your name", maxlength: 200});
    const remember = () => {
      sessionStorage.setItem("cl-token", token.value.trim());
      localStorage.setItem("cl-author", author.value.trim());
    };
    return {token, author, remember, box: el("div", {class: "inline"}, field("Token", token), field("Author", author))};
  }

  function render(container, event, onChange) {
    const review = event.review || {state: "visible", corrections: []};
    const box = el("section", {class: "review", id: "review"}, el("h2", {text: "Review"}), historyTable(review.corrections || []));
    container.appendChild(box);
    api("/api/config").then((config) => {
      if (config.read_only) {
        box.appendChild(el("p", {class: "muted", text: "This server is read-only: start it with --token to review events."}));
        return;
      }
      box.appendChild(forms(event, review, onChange));
    }).catch((error) => showError(box, error));
  }

  function forms(event, review, onChange) {
    const creds = credentials();
    const message = el("p", {class: "status", id: "review-message", role: "status"});
    const reason = el("input", {name: "reason", id: "review-reason", placeholder: "why (kept with the correction)", maxlength: 5000});
    const fieldSelect = select("field", EDITABLE, "killed");
    fieldSelect.id = "review-field";
    const value = el("textarea", {name: "value", id: "review-value", rows: 4, spellcheck: "false"});
    const fill = () => { value.value = JSON.stringify(event[fieldSelect.value] ?? null, null, 1); };
    fieldSelect.addEventListener("change", fill);
    fill();

    async function send(path, body) {
      creds.remember();
      clear(message);
      try {
        const result = await api(path, {json: Object.assign({author: creds.author.value.trim(), reason: reason.value.trim() || null}, body)});
        message.textContent = "Saved.";
        return result;
      } catch (error) {
        showError(message, error);
        return null;
      }
    }

    const correct = el("form", {class: "review-form", id: "correct-form"},
      el("h3", {text: "Correct a field"}), field("Field", fieldSelect), field("New value (JSON)", value),
      el("button", {type: "submit", id: "review-save", text: "Save correction"}));
    correct.addEventListener("submit", async (e) => {
      e.preventDefault();
      let parsed;
      try { parsed = JSON.parse(value.value); } catch (error) {
        clear(message);
        showError(message, new Error("The value is not valid JSON: " + error.message));
        return;
      }
      if (await send(`/api/events/${encodeURIComponent(event.event_id)}/corrections`, {field: fieldSelect.value, value: parsed})) onChange();
    });

    const stateButton = review.state === "not_incident"
      ? el("button", {type: "button", id: "review-restore", text: "Restore as an incident", on: {click: async () => {
        if (await send(`/api/events/${encodeURIComponent(event.event_id)}/restore`, {})) onChange();
      }}})
      : el("button", {type: "button", class: "danger", id: "review-reject", text: "Not an incident", on: {click: async () => {
        if (await send(`/api/events/${encodeURIComponent(event.event_id)}/reject`, {})) onChange();
      }}});

    const other = el("input", {name: "other", id: "merge-other", placeholder: "event id to merge into this one"});
    const merge = el("form", {class: "review-form", id: "merge-form"}, el("h3", {text: "Merge"}), field("Other event", other),
      el("button", {type: "submit", text: "Merge into this event"}));
    merge.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (await send(`/api/events/${encodeURIComponent(event.event_id)}/merge`, {other_event_id: other.value.trim()})) onChange();
    });

    const mentionBoxes = (event.mention_ids || []).map((id) => el("label", {class: "check"},
      el("input", {type: "checkbox", name: "mention", value: id}), id));
    const split = el("form", {class: "review-form", id: "split-form"}, el("h3", {text: "Split"}),
      mentionBoxes.length > 1 ? mentionBoxes : el("p", {class: "muted", text: "Only one mention: nothing to split."}),
      el("button", {type: "submit", disabled: mentionBoxes.length < 2, text: "Move checked mentions to a new event"}));
    split.addEventListener("submit", async (e) => {
      e.preventDefault();
      const ids = [...split.querySelectorAll("input[name=mention]:checked")].map((n) => n.value);
      const result = await send(`/api/events/${encodeURIComponent(event.event_id)}/split`, {mention_ids: ids});
      if (result) location.href = "/event/" + encodeURIComponent(result.new_event.event_id);
    });

    return el("div", {class: "review-forms"}, creds.box, field("Reason", reason), message,
      el("div", {class: "buttons"}, stateButton), correct, merge, split);
  }

  return {render};
})();
