// Try it: write a Deal through the records API, show what fired, move the clock.
import {
  Notice,
  actionType,
  admin,
  allRules,
  crm,
  ctx,
  el,
  moduleFields,
  orgClock,
  orgPath,
  replaceRows,
  ruleLink,
  startPage,
  status,
  timeEl,
} from "./common.js";

const FIELDS = ["Deal_Name", "Amount", "Stage", "Reason_For_Loss__s", "Closing_Date"];
const NONE = "-None-";
const form = document.getElementById("deal-form");
const pick = document.getElementById("deal-pick");
let currentId = null;
let ruleNames = new Map();
let deals = new Map();

const input = (name) => form.elements.namedItem(name);

function picklist(select, field, withNone) {
  const values = (field && field.pick_list_values) || [];
  const options = values
    .filter((v) => v.actual_value !== NONE)
    .map((v) => el("option", { value: v.actual_value }, v.display_value || v.actual_value));
  if (withNone) options.unshift(el("option", { value: "" }, "None"));
  select.replaceChildren(...options);
}

function setMode(id) {
  currentId = id;
  pick.value = id || "";
  document.getElementById("deal-save").textContent = id ? "Save changes" : "Create deal";
}

function fill(record) {
  for (const name of FIELDS) {
    const value = record[name];
    input(name).value = value === null || value === undefined || value === NONE ? "" : String(value);
  }
}

async function loadDeals(selectId) {
  const json = await crm("GET", `/Deals?fields=${FIELDS.join(",")}&per_page=200&sort_by=Modified_Time&sort_order=desc`);
  deals = new Map(((json && json.data) || []).map((d) => [d.id, d]));
  const options = [...deals.values()].map((d) =>
    el("option", { value: d.id }, `${d.Deal_Name} · ${d.Stage || "no stage"} · ${d.id}`),
  );
  pick.replaceChildren(el("option", { value: "" }, "New deal"), ...options);
  setMode(selectId || null);
}

// The Amount typed, as a number. Refused rather than sent: text the number input cannot parse
// (Chromium counts 1e400 as such) reads as "" with validity.badInput, which on edit would clear
// the Amount; a browser that keeps "1e400" gives Infinity, which JSON would send as null.
const AMOUNT_REFUSED = "Amount must be a finite number: nothing was sent.";
function amountOf(field, raw) {
  const amount = Number(raw);
  if (field.validity.badInput || !Number.isFinite(amount)) throw new Notice(AMOUNT_REFUSED);
  return amount;
}

// The record as Zoho's records API takes it: numbers as numbers, empty picks as null on edit.
function recordBody() {
  const record = {};
  for (const name of FIELDS) {
    const field = input(name);
    const raw = field.value.trim();
    const amount = name === "Amount";
    if (raw === "" && !(amount && field.validity.badInput)) {
      if (currentId) record[name] = null;
      continue;
    }
    record[name] = amount ? amountOf(field, raw) : raw;
  }
  if (currentId) record.id = currentId;
  return { data: [record] };
}

function actionList(actions) {
  if (!actions || !actions.length) return "—";
  return el(
    "ul",
    { class: "actions" },
    actions.map((a) => {
      const detail = a.detail ? ` — ${Object.entries(a.detail).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ")}` : "";
      return el("li", { class: `action-${a.status || "queued"}` },
        el("span", { class: "tag" }, actionType(a.type)), ` ${a.name || a.id}`,
        a.status ? ` (${a.status})` : "", detail);
    }),
  );
}

function outcome(ex) {
  if (ex.scheduled) return "Scheduled actions ran";
  if (!ex.condition) return "No condition matched";
  const queued = (ex.queued || []).length;
  return `Condition ${ex.condition.sequence_number ?? ""} matched${queued ? `; ${queued} scheduled` : ""}`;
}

async function loadExecutions() {
  if (!currentId) {
    replaceRows(document.getElementById("fired-table"), [], "Save a deal to see its executions.");
    document.getElementById("fired-count").textContent = "";
    return;
  }
  const { executions } = await admin("GET", `${orgPath("/executions")}?record_id=${encodeURIComponent(currentId)}`);
  const showAll = document.getElementById("show-unmatched").checked;
  const fired = executions.filter((ex) => ex.condition || ex.scheduled);
  const shown = (showAll ? executions : fired).slice().reverse();
  replaceRows(
    document.getElementById("fired-table"),
    shown.map((ex) =>
      el("tr", { dataset: { ruleId: ex.rule.id, matched: String(Boolean(ex.condition)) } },
        el("td", {}, timeEl(ex.time)),
        el("td", {}, ex.event),
        el("th", { scope: "row" }, ruleLink(ex.rule)),
        el("td", {}, outcome(ex)),
        el("td", {}, actionList(ex.actions))),
    ),
    "No rule has run for this deal yet.",
  );
  document.getElementById("fired-count").textContent =
    `${fired.length} rule executions ran actions for deal ${currentId}; ` +
    `${executions.length - fired.length} checks matched no condition.`;
}

function scheduleRow(item) {
  return el("tr", { dataset: { ruleId: item.rule_id } },
    el("td", {}, timeEl(item.due)),
    el("th", { scope: "row" }, ruleLink({ id: item.rule_id, name: ruleNames.get(item.rule_id) })),
    el("td", {}, `${item.module} ${item.record_id}`),
    el("td", {}, actionList(item.actions)));
}

async function loadSchedule() {
  const { schedule } = await admin("GET", orgPath("/schedule"));
  const sorted = schedule.slice().sort((a, b) => (a.due < b.due ? -1 : 1));
  replaceRows(document.getElementById("schedule-table"), sorted.map(scheduleRow), "Nothing is waiting.");
  document.getElementById("schedule-count").textContent =
    `${schedule.length} scheduled action groups waiting for the clock.`;
}

function showClock(clock) {
  document.getElementById("clock-now").replaceChildren(timeEl(clock.now));
  document.getElementById("clock-zone").textContent =
    `${clock.time_zone}${clock.frozen ? ", frozen" : ""}`;
}

async function saveDeal(event) {
  event.preventDefault();
  const editing = Boolean(currentId);
  const result = document.getElementById("deal-result");
  try {
    const answer = await crm(editing ? "PUT" : "POST", "/Deals", recordBody());
    const item = answer.data[0];
    const id = item.details.id;
    await loadDeals(id);
    result.textContent = `${editing ? "PUT" : "POST"} /crm/v8/Deals: ${item.message} (deal ${id}).`;
    result.className = "result success";
    await Promise.all([loadExecutions(), loadSchedule()]);
  } catch (error) {
    const item = error.body && error.body.data ? error.body.data[0] : error.body;
    result.textContent = item
      ? `Refused: ${item.code} — ${item.message} ${JSON.stringify(item.details || {})}`
      : error.message;
    result.className = "result error";
  }
}

async function advance(event) {
  event.preventDefault();
  const amount = Number(document.getElementById("advance-amount").value);
  const unit = document.getElementById("advance-unit").value;
  const result = document.getElementById("clock-result");
  try {
    const clock = await admin("POST", "/clock/advance", { [unit]: amount, org_id: ctx.org });
    showClock(clock);
    const ran = clock.ran || [];
    result.textContent = `Advanced ${amount} ${unit.replace("_", " ")}: ${ran.length} scheduled executions ran.`;
    result.className = "result success";
    replaceRows(
      document.getElementById("ran-table"),
      ran.map((ex) =>
        el("tr", { dataset: { ruleId: ex.rule.id } },
          el("td", {}, timeEl(ex.due || ex.time)),
          el("th", { scope: "row" }, ruleLink(ex.rule)),
          el("td", {}, `${ex.record.module} ${ex.record.id}`),
          el("td", {}, actionList(ex.actions))),
      ),
      "Nothing was due.",
    );
    document.getElementById("ran-wrap").hidden = false;
    await Promise.all([loadSchedule(), loadExecutions()]);
  } catch (error) {
    result.textContent = error.message;
    result.className = "result error";
  }
}

async function load() {
  const [fields, clock, rules] = await Promise.all([moduleFields("Deals"), orgClock(), allRules(false)]);
  ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  picklist(input("Stage"), fields.get("Stage"), false);
  picklist(input("Reason_For_Loss__s"), fields.get("Reason_For_Loss__s"), true);
  input("Closing_Date").value = clock.now.slice(0, 10);
  showClock(clock);
  await Promise.all([loadDeals(null), loadSchedule()]);
  document.body.dataset.loaded = ctx.org;
}

pick.addEventListener("change", async () => {
  const id = pick.value || null;
  if (id && deals.has(id)) fill(deals.get(id));
  setMode(id);
  document.getElementById("deal-result").textContent = "";
  try {
    await loadExecutions();
  } catch (error) {
    status(error.message, "error");
  }
});
document.getElementById("show-unmatched").addEventListener("change", () => loadExecutions().catch((e) => status(e.message, "error")));
form.addEventListener("submit", saveDeal);
document.getElementById("clock-form").addEventListener("submit", advance);
startPage(load);
