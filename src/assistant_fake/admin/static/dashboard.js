"use strict";
// The QA dashboard. It reads the admin API with paths relative to this page (so the fake can
// sit behind a path prefix) and builds the DOM with text nodes only: journal entries carry
// whatever clients sent, which must never be interpreted as HTML.

// An admin endpoint this build of the fake does not have answers 404 (no route) or 405.
const UNAVAILABLE = new Set([404, 405, 501]);
const AUTO_REFRESH_MS = 5000;
// A fake started with --admin-token wants it on every admin call.
const TOKEN_KEY = "assistant-fake-admin-token";
const TOKEN_HEADER = "X-Fake-Admin-Token";

const byId = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "onClick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) init.headers[TOKEN_HEADER] = token;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return { ok: false, status: 0, data: null, error: "the fake is not reachable" };
  }
  const text = await response.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch (_) { /* keep the text */ }
  return { ok: response.ok, status: response.status, data };
}

function describe(method, path, result) {
  if (result.status === 0) return `${method} ${path}: ${result.error}`;
  const detail = result.data && typeof result.data === "object"
    ? (result.data.detail || result.data.message || JSON.stringify(result.data))
    : (result.data || "");
  return `${method} ${path} answered ${result.status} ${detail}`.trim();
}

function say(message, isError = false) {
  const status = byId("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// One dashboard section: a note (empty, not available, error) or its table.
function render(sectionId, state, { rows = [], note = "" } = {}) {
  const section = byId(sectionId);
  section.dataset.state = state;
  const noteNode = section.querySelector(".note");
  const table = section.querySelector("table");
  noteNode.textContent = note;
  noteNode.hidden = !note;
  noteNode.classList.toggle("error", state === "error");
  table.querySelector("tbody").replaceChildren(...rows);
  table.hidden = rows.length === 0;
}

function renderFailure(sectionId, method, path, result) {
  if (result.status === 401) {
    byId("token-form").hidden = false;
    render(sectionId, "locked", {
      note: "This fake requires an admin token (it runs with --admin-token): enter it above.",
    });
  } else if (UNAVAILABLE.has(result.status)) {
    render(sectionId, "unavailable", {
      note: `Not available in this build of the fake (${method} ${path} answered ${result.status}).`,
    });
  } else {
    render(sectionId, "error", { note: describe(method, path, result) });
  }
}

// Rows repeat the same button labels, so each button also names what it acts on.
function button(label, onClick, className = "", ariaLabel = label) {
  return el("button", { type: "button", className, text: label, onClick, "aria-label": ariaLabel });
}

// Runs an action from a button, reports it, and reloads what it changed.
async function act(label, method, path, body, reload) {
  const result = await call(method, path, body);
  if (result.ok) say(`${label}: done.`);
  else say(`${label} failed: ${describe(method, path, result)}`, true);
  await reload();
}

// --- tenants --------------------------------------------------------------------------

async function loadTenants() {
  const result = await call("GET", "tenants");
  if (!result.ok) return renderFailure("tenants", "GET", "/__fake/tenants", result);
  const tenants = [...((result.data && result.data.tenants) || [])];
  tenants.sort((a, b) => (a.api + a.tenant).localeCompare(b.api + b.tenant));
  render("tenants", "ready", {
    rows: tenants.map(tenantRow),
    note: tenants.length ? "" : "No tenant has any data yet.",
  });
}

function tenantRow(entry) {
  const records = Object.entries(entry.records || {});
  const total = records.reduce((sum, [, count]) => sum + Number(count || 0), 0);
  const list = el("ul", { className: "counts" },
    ...records.map(([name, count]) => el("li", {}, el("span", { text: name }), `: ${count}`)));
  return el("tr", { "data-api": entry.api, "data-tenant": entry.tenant },
    el("td", { text: entry.api }),
    el("td", {}, el("code", { text: entry.tenant })),
    el("td", {}, records.length ? list : "none"),
    el("td", { className: "num", text: total }),
    el("td", { className: "actions" },
      button("Show requests", () => showTenantJournal(entry.tenant), "",
        `Show requests of ${entry.api} tenant ${entry.tenant}`),
      button("Reset", () => act(`Reset tenant ${entry.tenant}`, "POST", "reset",
        { api: entry.api, tenant: entry.tenant }, refreshAll), "danger",
        `Reset ${entry.api} tenant ${entry.tenant}`)));
}

function showTenantJournal(tenant) {
  byId("filter-tenant").value = tenant;
  loadJournal();
  byId("journal").scrollIntoView();
}

// --- journal --------------------------------------------------------------------------

function journalQuery() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(byId("journal-filters"))) {
    if (String(value).trim()) params.set(name, String(value).trim());
  }
  return params.toString();
}

async function loadJournal() {
  const query = journalQuery();
  const path = query ? `journal?${query}` : "journal";
  const result = await call("GET", path);
  if (!result.ok) return renderFailure("journal", "GET", `/__fake/${path}`, result);
  const entries = (result.data && result.data.entries) || [];
  const total = result.data && result.data.total !== undefined ? result.data.total : entries.length;
  render("journal", "ready", {
    rows: entries.flatMap(journalRows),
    note: entries.length ? `Showing ${entries.length} of ${total}.` : "No requests recorded.",
  });
}

function statusClass(status) {
  if (status === null) return "status-5xx"; // the connection closed unanswered
  const code = Number(status);
  if (code >= 500) return "status-5xx";
  if (code >= 400) return "status-4xx";
  return "";
}

function clockTime(time) {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time ?? "") : date.toISOString().slice(11, 23);
}

// An entry is two rows: its summary, and the full exchange (headers, bodies) below it,
// across the whole table so a long body does not squeeze the columns.
function journalRows(entry) {
  const unmatched = entry.matched === false;
  const classes = ["entry", statusClass(entry.status), unmatched ? "unmatched" : ""];
  const target = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  const exchange = el("tr", { className: "exchange", hidden: "" },
    el("td", { colspan: "9" }, el("pre", {
      text: JSON.stringify({ request: entry.request, response: entry.response }, null, 2),
    })));
  const toggle = el("button", { type: "button", className: "link", "aria-expanded": "false",
    "aria-label": `View the exchange of ${entry.method} ${target}`, text: "view" });
  toggle.addEventListener("click", () => {
    exchange.hidden = !exchange.hidden;
    toggle.setAttribute("aria-expanded", String(!exchange.hidden));
    toggle.textContent = exchange.hidden ? "view" : "hide";
  });
  const summary = el("tr", { className: classes.filter(Boolean).join(" "), "data-id": entry.id ?? "" },
    el("td", { title: entry.time ?? "", text: clockTime(entry.time) }),
    el("td", { text: entry.api ?? "" }),
    el("td", { text: entry.method ?? "" }),
    el("td", { className: "path" }, el("code", { text: target ?? "" })),
    el("td", { className: "num status", text: entry.status === null ? "dropped" : entry.status }),
    el("td", {}, unmatched ? el("span", { className: "badge", text: "unmatched" }) : entry.operation,
      entry.fault ? el("span", { className: "badge fault", title: entry.fault, text: "fault" }) : null),
    el("td", {}, entry.tenant ? el("code", { text: entry.tenant }) : ""),
    el("td", { className: "num", text: typeof entry.duration_ms === "number" ? entry.duration_ms.toFixed(1) : "" }),
    el("td", {}, toggle));
  return [summary, exchange];
}

// --- faults ---------------------------------------------------------------------------

async function loadFaults() {
  const result = await call("GET", "faults");
  if (!result.ok) return renderFailure("faults", "GET", "/__fake/faults", result);
  const faults = Array.isArray(result.data) ? result.data : (result.data && result.data.faults) || [];
  render("faults", "ready", {
    rows: faults.map(faultRow),
    note: faults.length ? "" : "No active faults.",
  });
}

function compact(value) {
  return value === undefined ? "" : JSON.stringify(value);
}

function faultRow(fault) {
  return el("tr", { "data-id": fault.id },
    el("td", {}, el("code", { text: fault.id })),
    el("td", {}, el("code", { text: compact(fault.match) })),
    el("td", {}, el("code", { text: compact(fault.action) })),
    el("td", { className: "num", text: fault.count ?? "unlimited" }),
    el("td", { className: "num", text: fault.probability ?? 1 }),
    el("td", { className: "num", text: fault.hits ?? 0 }),
    el("td", { className: "actions" },
      button("Remove", () => act(`Remove fault ${fault.id}`, "DELETE",
        `faults/${encodeURIComponent(fault.id)}`, undefined, loadFaults), "danger",
        `Remove fault ${fault.id}`)));
}

// --- page -----------------------------------------------------------------------------

async function loadVersion() {
  const result = await call("GET", "health");
  byId("version").textContent = result.ok && result.data ? `v${result.data.version}` : "";
}

let refreshing = null;

function refreshAll() {
  // One refresh at a time: auto-refresh must not pile up behind a slow answer.
  if (!refreshing) {
    refreshing = Promise.all([loadVersion(), loadTenants(), loadJournal(), loadFaults()])
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

let timer = null;

function wire() {
  byId("refresh").addEventListener("click", async () => {
    await refreshAll();
    say(`Refreshed at ${new Date().toLocaleTimeString()}.`);
  });
  byId("auto-refresh").addEventListener("change", (event) => {
    clearInterval(timer);
    timer = event.target.checked ? setInterval(refreshAll, AUTO_REFRESH_MS) : null;
  });
  byId("reset-all").addEventListener("click",
    () => act("Reset everything", "POST", "reset", {}, refreshAll));
  byId("clear-journal").addEventListener("click",
    () => act("Clear journal", "DELETE", "journal", undefined, loadJournal));
  byId("clear-faults").addEventListener("click",
    () => act("Remove all faults", "DELETE", "faults", undefined, loadFaults));
  byId("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, byId("admin-token").value.trim());
    byId("token-form").hidden = true;
    refreshAll();
  });
  const filters = byId("journal-filters");
  filters.addEventListener("submit", (event) => { event.preventDefault(); loadJournal(); });
  for (const select of filters.querySelectorAll("select")) {
    select.addEventListener("change", loadJournal);
  }
}

wire();
refreshAll();
