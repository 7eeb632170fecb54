// Try it: write a Deal through the records API, show what fired, move the clock.
import {
  Notice,
  actionType,
  admin,
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
const older = document.getElementById("deal-older");
let currentId = null;
let deals = new Map();
// The next older page of deals ({page, token}), or null when every deal is listed; `listing`
// tells a page asked for before the list was reloaded (after a save) from one asked for since.
let nextDeals = null;
let listing = 0;

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

// The picker lists deals a page at a time, most recently modified first; "Older deals" adds the
// next page. Zoho's records API serves the first 2000 records by page number, the rest only
// through the next_page_token of the page before.
const DEALS_PER_PAGE = 200;
const DISCRETE_LIMIT = 2000;
const DEALS_QUERY = `fields=${FIELDS.join(",")}&per_page=${DEALS_PER_PAGE}&sort_by=Modified_Time&sort_order=desc`;

async function dealPage({ page, token }) {
  const position = page * DEALS_PER_PAGE > DISCRETE_LIMIT
    ? `page_token=${encodeURIComponent(token)}`
    : `page=${page}`;
  const json = await crm("GET", `/Deals?${DEALS_QUERY}&${position}`);
  const info = (json && json.info) || {};
  const more = info.more_records && (page < DISCRETE_LIMIT / DEALS_PER_PAGE || info.next_page_token);
  return {
    listed: (json && json.data) || [],
    next: more ? { page: page + 1, token: info.next_page_token } : null,
  };
}

const dealOption = (d) => el("option", { value: d.id }, `${d.Deal_Name} · ${d.Stage || "no stage"} · ${d.id}`);

// Adds deals not listed yet (a write between two pages can shift a deal onto the next one).
function listDeals(listed, next) {
  const fresh = listed.filter((d) => !deals.has(d.id));
  for (const d of fresh) deals.set(d.id, d);
  pick.append(...fresh.map(dealOption));
  nextDeals = next;
  older.hidden = !next;
  document.getElementById("deal-listed").textContent = next
    ? `The ${deals.size} most recently modified deals are listed.`
    : `All ${deals.size} deals are listed.`;
}

async function loadDeals(selectId) {
  listing += 1;
  const { listed, next } = await dealPage({ page: 1, token: null });
  deals = new Map();
  pick.replaceChildren(el("option", { value: "" }, "New deal"));
  listDeals(listed, next);
  if (selectId && !deals.has(selectId)) {
    // Saved, yet not on the newest page (deals modified in the same second come newest id
    // first): list it anyway, so the form still names the deal it edits.
    const json = await crm("GET", `/Deals/${encodeURIComponent(selectId)}?fields=${FIELDS.join(",")}`);
    const deal = json && json.data && json.data[0];
    if (deal) {
      deals.set(deal.id, deal);
      pick.options[0].after(dealOption(deal));
    }
  }
  setMode(selectId || null);
}

async function loadOlderDeals() {
  const asked = listing;
  older.disabled = true;
  try {
    const { listed, next } = await dealPage(nextDeals);
    if (asked === listing) listDeals(listed, next);
  } catch (error) {
    status(error.message, "error");
  } finally {
    older.disabled = false;
  }
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

// Rule names for the schedule table. A schedule entry names its rule by id only: each rule it
// names is read once (GET by id), and its name kept for the page. A rule that cannot be read
// (deleted meanwhile: its schedule goes with it) shows its id, and is asked for again next time.
const ruleNames = new Map(); // rule id -> Promise of its name (null: unknown)
function ruleName(id) {
  if (!ruleNames.has(id)) {
    const name = crm("GET", `/settings/automation/workflow_rules/${encodeURIComponent(id)}`).then(
      (json) => json.workflow_rules[0].name,
      () => {
        ruleNames.delete(id);
        return null;
      },
    );
    ruleNames.set(id, name);
  }
  return ruleNames.get(id);
}

function scheduleRow(item, names) {
  return el("tr", { dataset: { ruleId: item.rule_id } },
    el("td", {}, timeEl(item.due)),
    el("th", { scope: "row" }, ruleLink({ id: item.rule_id, name: names.get(item.rule_id) })),
    el("td", {}, `${item.module} ${item.record_id}`),
    el("td", {}, actionList(item.actions)));
}

async function loadSchedule() {
  const { schedule } = await admin("GET", orgPath("/schedule"));
  const ids = [...new Set(schedule.map((item) => item.rule_id))];
  const names = new Map(await Promise.all(ids.map(async (id) => [id, await ruleName(id)])));
  const sorted = schedule.slice().sort((a, b) => (a.due < b.due ? -1 : 1));
  const rows = sorted.map((item) => scheduleRow(item, names));
  replaceRows(document.getElementById("schedule-table"), rows, "Nothing is waiting.");
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
  const [fields, clock] = await Promise.all([moduleFields("Deals"), orgClock()]);
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
older.addEventListener("click", loadOlderDeals);
form.addEventListener("submit", saveDeal);
document.getElementById("clock-form").addEventListener("submit", advance);
startPage(load);
