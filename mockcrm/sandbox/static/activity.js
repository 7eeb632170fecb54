// Activity: the request journal, the outbox and the execution log, polled every 2 s while the
// tab is visible.
import { actionType, admin, ctx, el, orgPath, replaceRows, ruleLink, startPage, status, timeEl } from "./common.js";

const POLL_MS = 2000;
const LIMIT = 50;
let live = true; // the user's choice (the toggle); a hidden tab also pauses
let started = false;
let timer = null;
// Journal entries whose bodies the user opened: kept open across refreshes.
const opened = new Set();

function bodies(entry) {
  if (entry.request_body == null && entry.response_body == null) return null;
  const details = el("details", { class: "bodies", open: opened.has(entry.id) },
    el("summary", {}, "Bodies"),
    el("pre", {}, `Request:\n${JSON.stringify(entry.request_body, null, 2)}\n\n` +
      `Response:\n${JSON.stringify(entry.response_body, null, 2)}`));
  details.addEventListener("toggle", () => {
    if (details.open) opened.add(entry.id);
    else opened.delete(entry.id);
  });
  return details;
}

// The admin API answers the newest LIMIT (`limit`); the slice keeps a server without it right.
const newestFirst = (items) => items.slice(-LIMIT).reverse();
const counted = (items, noun) =>
  items.length < LIMIT ? `${items.length} ${noun}.` : `Latest ${LIMIT} ${noun} shown.`;

function journalRow(entry) {
  const path = entry.query ? `${entry.path}?${entry.query}` : entry.path;
  const failed = entry.status >= 400;
  return el("tr", { class: failed ? "failed" : null },
    el("td", {}, timeEl(entry.time)),
    el("td", {}, entry.method),
    el("th", { scope: "row", class: "path" }, path, bodies(entry)),
    el("td", { class: "num" }, entry.status),
    el("td", { class: "num" }, entry.duration_ms));
}

function outboxRow(item) {
  const isEmail = item.type === "email";
  return el("tr", {},
    el("td", {}, timeEl(item.time)),
    el("td", {}, item.type),
    el("th", { scope: "row" }, ruleLink(item.rule)),
    el("td", {}, isEmail ? (item.to || []).join(", ") : item.url || ""),
    el("td", {}, isEmail ? item.subject || "" : `${item.method || ""} ${item.delivery ? JSON.stringify(item.delivery) : ""}`.trim()));
}

function executionRow(ex) {
  const outcome = ex.scheduled ? "scheduled actions ran" : ex.condition ? `condition ${ex.condition.sequence_number ?? ""} matched` : "no condition matched";
  const actions = (ex.actions || []).map((a) => `${actionType(a.type)} ${a.name || a.id} (${a.status})`);
  return el("tr", { class: ex.condition || ex.scheduled ? null : "muted" },
    el("td", {}, timeEl(ex.time)),
    el("td", {}, ex.event),
    el("th", { scope: "row" }, ruleLink(ex.rule)),
    el("td", {}, ex.record ? `${ex.record.module} ${ex.record.id}` : ""),
    el("td", {}, outcome),
    el("td", {}, actions.length ? actions.join("; ") : "—"));
}

async function refresh() {
  const org = encodeURIComponent(ctx.org);
  const [journal, outbox, executions] = await Promise.all([
    admin("GET", `/requests?org_id=${org}&limit=${LIMIT}`),
    admin("GET", orgPath(`/outbox?limit=${LIMIT}`)),
    admin("GET", orgPath(`/executions?limit=${LIMIT}`)),
  ]);
  replaceRows(document.getElementById("journal-table"), journal.requests.map(journalRow), "No requests yet.");
  document.getElementById("journal-count").textContent = `Latest ${journal.requests.length} requests.`;
  replaceRows(document.getElementById("outbox-table"), newestFirst(outbox.outbox).map(outboxRow), "Nothing sent yet.");
  document.getElementById("outbox-count").textContent = counted(outbox.outbox, "emails and webhooks");
  replaceRows(document.getElementById("executions-table"), newestFirst(executions.executions).map(executionRow), "No executions yet.");
  document.getElementById("executions-count").textContent = counted(executions.executions, "executions");
}

// At most one timer: every path clears the last one first.
function schedule() {
  clearTimeout(timer);
  if (live && started && document.visibilityState === "visible") timer = setTimeout(tick, POLL_MS);
}

async function tick() {
  try {
    await refresh();
  } catch (error) {
    status(error.message, "error");
  }
  schedule();
}

const button = document.getElementById("live-toggle");
button.addEventListener("click", () => {
  live = !live;
  button.textContent = live ? "Pause live updates" : "Resume live updates";
  document.getElementById("live-state").textContent = live ? "Live: updating every 2 s" : "Paused";
  if (live && started) tick();
  else clearTimeout(timer);
});

// A hidden tab polls nothing; back in view, it refreshes at once and polls again.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") clearTimeout(timer);
  else if (live && started) tick();
});

if (!ctx.adminOn) document.getElementById("live-state").textContent = "Off: the admin API is off";

startPage(async () => {
  await refresh();
  document.body.dataset.loaded = ctx.org;
  started = true;
  schedule();
});
