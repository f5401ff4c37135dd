/* The playbook editor: plain JavaScript, no build step.
 * Holds the draft as the API's JSON shape, posts it to /api/v1/playbooks/validate/ as you type
 * and shows each error next to its field; saves with POST/PUT and publishes with the API. */
(function () {
  "use strict";
  const root = document.getElementById("pb-editor");
  if (!root) return;
  const data = JSON.parse(document.getElementById("pb-editor-data").textContent);
  const text = JSON.parse(document.getElementById("pb-editor-text").textContent);
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const spec = data.spec;
  let playbookId = data.playbook;
  const ROLES = ["responsible", "accountable", "consulted", "informed"];
  const labels = Object.fromEntries([...data.teams, ...data.onCall, ...data.people].map((p) => [p.value, p.label]));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value === true ? "" : value);
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(child)));
    return node;
  }
  const errorSlot = (path) => el("div", { class: "field-error", "data-error": path });

  function input(obj, key, path, attrs) {
    const node = el(attrs && attrs.multiline ? "textarea" : "input", {
      "data-path": path,
      placeholder: attrs && attrs.placeholder,
      type: attrs && attrs.type,
      rows: attrs && attrs.multiline ? 3 : null,
      "aria-label": attrs && attrs.label,
    });
    node.value = obj[key] === null || obj[key] === undefined ? "" : obj[key];
    node.addEventListener("input", () => {
      let value = node.value;
      if (attrs && attrs.type === "number") value = value === "" ? null : Number(value);
      if (attrs && attrs.nullable && value === "") value = null;
      obj[key] = value;
      changed();
    });
    return node;
  }

  // A party as an option's value: "team:3", "oncall:3" (the team's on-call person) or "user:7".
  function partyValue(entry) {
    if (!entry) return "";
    if (entry.team === undefined) return `user:${entry.user}`;
    return entry.on_call ? `oncall:${entry.team}` : `team:${entry.team}`;
  }
  function partyEntry(value) {
    const [kind, id] = value.split(":");
    return kind === "oncall" ? { team: Number(id), on_call: true } : { [kind]: Number(id) };
  }
  function partyOptions(first) {
    return [
      el("option", { value: "" }, first),
      el("optgroup", { label: text.teams }, data.teams.map((p) => el("option", { value: p.value }, p.label))),
      el("optgroup", { label: text.onCall }, data.onCall.map((p) => el("option", { value: p.value }, p.label))),
      el("optgroup", { label: text.people }, data.people.map((p) => el("option", { value: p.value }, p.label))),
    ];
  }

  function raciPicker(step, role, path) {
    const box = el("div", { class: `pb-picker pb-picker-${role}`, "data-role": role });
    const head = el("span", { class: "pb-picker-label" }, text[role]);
    if (role === "accountable") {
      const select = el("select", { "data-path": path, "aria-label": text[role] }, partyOptions(text.choose));
      select.value = partyValue(step.raci.accountable);
      select.addEventListener("change", () => {
        step.raci.accountable = select.value ? partyEntry(select.value) : null;
        changed();
      });
      box.append(head, select, errorSlot(path));
      return box;
    }
    const chips = el(
      "span",
      { class: "pb-chips" },
      (step.raci[role] || []).map((entry, index) =>
        el(
          "span",
          { class: "pb-chip", "data-path": `${path}.${index}` },
          labels[partyValue(entry)] || partyValue(entry),
          el("button", {
            type: "button", class: "pb-chip-remove", title: text.remove, "aria-label": text.remove,
            onclick: () => { step.raci[role].splice(index, 1); rebuild(); },
          }, "×"),
        ),
      ),
    );
    const add = el("select", { "aria-label": `${text[role]}: ${text.addParty}`, "data-add": role }, partyOptions(text.addParty));
    add.addEventListener("change", () => {
      if (!add.value) return;
      step.raci[role] = step.raci[role] || [];
      step.raci[role].push(partyEntry(add.value));
      rebuild();
    });
    box.append(head, chips, add, errorSlot(path));
    return box;
  }

  function renderTiers() {
    const body = root.querySelector("[data-tiers]");
    body.replaceChildren(
      ...spec.tiers.map((tier, i) =>
        el("tr", { "data-tier": i },
          el("td", {}, input(tier, "key", `tiers.${i}.key`, { label: text.tierKey }), errorSlot(`tiers.${i}.key`)),
          el("td", {}, input(tier, "name", `tiers.${i}.name`, { label: text.tierName }), errorSlot(`tiers.${i}.name`)),
          el("td", {}, input(tier, "starts_after", `tiers.${i}.starts_after`, { placeholder: "PT0S" }), errorSlot(`tiers.${i}.starts_after`)),
          el("td", {}, input(tier, "ends_after", `tiers.${i}.ends_after`, { placeholder: text.openEnded, nullable: true }), errorSlot(`tiers.${i}.ends_after`)),
          el("td", {}, el("button", { type: "button", class: "button secondary", onclick: () => { spec.tiers.splice(i, 1); rebuild(); } }, text.remove), errorSlot(`tiers.${i}`)),
        ),
      ),
    );
  }

  function renderSteps() {
    const list = root.querySelector("[data-steps]");
    list.replaceChildren(
      ...spec.steps.map((step, i) => {
        const p = `steps.${i}`;
        const tierSelect = el("select", { "data-path": `${p}.tier`, "aria-label": text.tier },
          spec.tiers.map((tier) => el("option", { value: tier.key }, `${tier.key} · ${tier.name || ""}`)));
        tierSelect.value = step.tier;
        tierSelect.addEventListener("change", () => {
          step.tier = tierSelect.value;
          step.order = nextOrder(step.tier, step);
          rebuild();
        });
        return el("fieldset", { class: "pb-step-editor", "data-step": i },
          el("legend", {}, `${text.step} ${i + 1}`),
          el("div", { class: "pb-row" },
            el("label", {}, text.tier, tierSelect, errorSlot(`${p}.tier`)),
            el("label", { class: "pb-narrow" }, text.order, input(step, "order", `${p}.order`, { type: "number" }), errorSlot(`${p}.order`)),
            el("label", { class: "pb-wide" }, text.title, input(step, "title", `${p}.title`), errorSlot(`${p}.title`)),
          ),
          el("label", {}, text.instructions, input(step, "instructions", `${p}.instructions`, { multiline: true })),
          el("div", { class: "pb-row" },
            el("label", {}, text.dueAfter, input(step, "due_after", `${p}.due_after`, { placeholder: "PT2H" }), errorSlot(`${p}.due_after`)),
            el("label", {}, text.escalateAfter, input(step, "escalate_after", `${p}.escalate_after`, { placeholder: "PT1H" }), errorSlot(`${p}.escalate_after`)),
          ),
          el("div", { class: "pb-raci-grid" }, ROLES.map((role) => raciPicker(step, role, `${p}.raci.${role}`))),
          errorSlot(`${p}.raci`),
          errorSlot(p),
          el("button", { type: "button", class: "button secondary", onclick: () => { spec.steps.splice(i, 1); rebuild(); } }, text.remove),
        );
      }),
    );
  }

  function rebuild() {
    renderTiers();
    renderSteps();
    changed();
  }

  // Live validation: the server's rules, the server's messages, next to the fields.
  let timer = null;
  let lastErrors = {};
  // Checks can overlap and answer out of order: only the answer to the latest one is shown.
  let latestCheck = 0;
  function changed() {
    latestCheck += 1;
    clearTimeout(timer);
    setStatus(text.checking, "");
    timer = setTimeout(validate, 300);
  }
  function setStatus(message, kind) {
    root.querySelectorAll("[data-status], [data-status-bottom]").forEach((node) => {
      node.textContent = message;
      node.dataset.kind = kind;
    });
  }
  async function send(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, payload };
  }
  async function validate() {
    const check = ++latestCheck;
    const result = await send("POST", "/api/v1/playbooks/validate/", spec);
    if (check === latestCheck) showErrors(result.ok ? {} : result.payload);
    return result.ok;
  }
  function flatten(errors, prefix, out) {
    if (Array.isArray(errors)) out.push([prefix, errors]);
    else if (errors && typeof errors === "object") Object.entries(errors).forEach(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k, out));
    else if (errors) out.push([prefix, [String(errors)]]);
    return out;
  }
  function showErrors(errors) {
    lastErrors = errors;
    root.querySelectorAll("[data-error]").forEach((node) => node.replaceChildren());
    root.querySelectorAll(".invalid").forEach((node) => node.classList.remove("invalid"));
    const flat = flatten(errors, "", []);
    flat.forEach(([path, messages]) => {
      let slot = null;
      let at = path;
      while (at && !(slot = root.querySelector(`[data-error="${at}"]`))) at = at.includes(".") ? at.slice(0, at.lastIndexOf(".")) : "";
      slot = slot || root.querySelector('[data-error="non_field_errors"]');
      messages.forEach((message) => slot.append(el("p", {}, message)));
      const field = root.querySelector(`[data-path="${path}"]`);
      if (field) field.classList.add("invalid");
    });
    if (flat.length) setStatus(`${text.problems} ${flat.reduce((n, [, m]) => n + m.length, 0)}`, "error");
    else setStatus(text.valid, "ok");
  }

  async function save() {
    setStatus(text.saving, "");
    const result = playbookId
      ? await send("PUT", `/api/v1/playbooks/${playbookId}/`, spec)
      : await send("POST", "/api/v1/playbooks/", spec);
    if (!result.ok) {
      if (result.status === 400) showErrors(result.payload);
      else setStatus(`${text.failed} ${result.payload.detail || result.status}`, "error");
      return null;
    }
    const moved = result.payload.id !== playbookId;
    playbookId = result.payload.id;
    if (moved) history.replaceState(null, "", `/playbooks/${playbookId}/edit/`);
    setStatus(text.saved, "ok");
    return result.payload;
  }

  root.querySelector("[data-save]").addEventListener("click", save);
  root.querySelector("[data-publish]").addEventListener("click", async () => {
    if (!(await save())) return;
    const result = await send("POST", `/api/v1/playbooks/${playbookId}/publish/`);
    if (!result.ok) {
      if (result.status === 400) showErrors(result.payload);
      else setStatus(`${text.failed} ${result.payload.detail || result.status}`, "error");
      return;
    }
    window.location.assign(`/playbooks/${playbookId}/`);
  });
  root.querySelector("[data-add-tier]").addEventListener("click", () => {
    const last = spec.tiers[spec.tiers.length - 1];
    spec.tiers.push({ key: `T${spec.tiers.length + 1}`, name: "", starts_after: last ? last.ends_after : "PT0S", ends_after: null });
    rebuild();
  });
  // The next free place in a tier: a step moved to another tier goes last there.
  function nextOrder(tier, moving) {
    return 1 + Math.max(0, ...spec.steps.filter((s) => s.tier === tier && s !== moving).map((s) => Number(s.order) || 0));
  }
  root.querySelector("[data-add-step]").addEventListener("click", () => {
    const tier = spec.tiers.length ? spec.tiers[0].key : "";
    spec.steps.push({
      tier, order: nextOrder(tier), title: "", instructions: "", due_after: "PT1H", escalate_after: "PT30M",
      raci: { responsible: [], accountable: null, consulted: [], informed: [] },
    });
    rebuild();
  });
  root.querySelectorAll("[data-field]").forEach((node) => {
    // Whatever was typed before this script ran is kept, not wiped.
    if (node.value && !spec[node.dataset.field]) spec[node.dataset.field] = node.value;
    node.value = spec[node.dataset.field] || "";
    node.addEventListener("input", () => { spec[node.dataset.field] = node.value; changed(); });
  });
  rebuild();
})();
