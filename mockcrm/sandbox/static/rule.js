// One rule: trigger, readable conditions, actions, usage over 90 days, activate/deactivate.
import {
  ApiError,
  Notice,
  actionType,
  crm,
  ctx,
  el,
  moduleFields,
  orgClock,
  startPage,
  status,
  timeEl,
  triggerLabel,
} from "./common.js";
import { describeCriteria, describeDelay, describeTrigger } from "./criteria.js";

const RULE_PATH = `/settings/automation/workflow_rules/${encodeURIComponent(ctx.ruleId)}`;
let rule = null;

function fact(term, ...value) {
  return el("div", {}, el("dt", {}, term), el("dd", {}, ...value));
}

function actionItem(action) {
  return el("li", {}, el("span", { class: "tag" }, actionType(action.type)), " ", action.name || action.id);
}

function conditionBlock(cond, fields) {
  const instant = (cond.instant_actions || {}).actions || [];
  const groups = cond.scheduled_actions || [];
  const criteria = (cond.criteria_details || {}).criteria;
  return el(
    "article",
    { class: "condition", "aria-labelledby": `cond-${cond.id}` },
    el("h3", { id: `cond-${cond.id}` }, `Condition ${cond.sequence_number}`),
    el("p", { class: "criteria" }, el("strong", {}, "Criteria: "), describeCriteria(criteria, fields)),
    el("h4", {}, "Instant actions"),
    instant.length ? el("ul", { class: "actions" }, instant.map(actionItem)) : el("p", {}, "None"),
    el("h4", {}, "Scheduled actions"),
    groups.length
      ? el(
          "ul",
          { class: "schedule" },
          groups.map((g) =>
            el("li", {}, el("strong", {}, `${describeDelay(g.execute_after)}: `),
              el("ul", { class: "actions" }, (g.actions || []).map(actionItem))),
          ),
        )
      : el("p", {}, "None"),
  );
}

function renderRule(fields) {
  document.title = `${rule.name} · mockcrm sandbox`;
  document.getElementById("rule-name").textContent = rule.name;
  document.getElementById("rule-description").textContent = rule.description || "";
  const active = rule.status.active;
  document.getElementById("rule-facts").replaceChildren(
    fact("Module", rule.module.api_name),
    fact("Trigger", `${triggerLabel(rule.execute_when.type)}: `,
      describeTrigger(rule, fields)),
    fact("Status", el("span", { class: `badge ${active ? "on" : "off"}`, id: "rule-status" },
      active ? "Active" : "Inactive")),
    fact("Last executed", timeEl(rule.last_executed_time)),
    fact("Modified", timeEl(rule.modified_time), rule.modified_by ? ` by ${rule.modified_by.name}` : ""),
    fact("Id", el("code", {}, rule.id)),
  );
  document.getElementById("conditions").replaceChildren(
    ...rule.conditions.map((c) => conditionBlock(c, fields)),
  );
  document.getElementById("raw-json").textContent = JSON.stringify(rule, null, 2);
  const button = document.getElementById("toggle-status");
  button.textContent = active ? "Deactivate rule" : "Activate rule";
  button.disabled = false;
  document.getElementById("drop-schedule-field").hidden = !active;
}

function usageTable(cond) {
  const rows = [];
  const add = (when, a) =>
    rows.push(
      el("tr", {},
        el("th", { scope: "row" }, a.name || a.id),
        el("td", {}, actionType(a.type)),
        el("td", {}, when),
        el("td", { class: "num" }, a.success_count ?? 0),
        el("td", { class: "num" }, a.failure_count ?? 0)),
    );
  ((cond.instant_actions || {}).actions || []).forEach((a) => add("instant", a));
  (cond.scheduled_actions || []).forEach((g) => (g.actions || []).forEach((a) => add("scheduled", a)));
  return el("div", { class: "table-wrap" },
    el("table", {},
      el("caption", {}, `Condition ${cond.sequence_number ?? ""}: matched ${cond.usage_count ?? 0} times`),
      el("thead", {}, el("tr", {},
        ["Action", "Type", "When", "Succeeded", "Failed"].map((h, i) =>
          el("th", { scope: "col", class: i > 2 ? "num" : null }, h)))),
      el("tbody", {}, rows)));
}

async function loadUsage() {
  // Zoho's usage report takes at most 90 days: the 90 days ending today on the org's clock.
  const clock = await orgClock();
  const till = clock.now.slice(0, 10);
  const fromDate = new Date(`${till}T00:00:00Z`);
  fromDate.setUTCDate(fromDate.getUTCDate() - 90);
  const from = fromDate.toISOString().slice(0, 10);
  const json = await crm("GET", `${RULE_PATH}/actions/usage?executed_from=${from}&executed_till=${till}`);
  const usage = json.workflow_rules[0];
  document.getElementById("usage-window").textContent =
    `${from} to ${till} (org time ${clock.now.replace("T", " ").slice(0, 16)}, ${clock.time_zone}). ` +
    `Triggered ${usage.trigger_count} times.`;
  const sequence = new Map(rule.conditions.map((c) => [c.id, c.sequence_number]));
  document.getElementById("usage").replaceChildren(
    ...usage.conditions.map((c) => usageTable({ ...c, sequence_number: sequence.get(c.id) })),
  );
}

// Zoho answers an id it does not know with 400 INVALID_DATA naming the URL's id segment.
const unknownId = (error) =>
  error instanceof ApiError &&
  error.status === 400 &&
  error.body &&
  error.body.code === "INVALID_DATA" &&
  error.body.details &&
  "resource_path_index" in error.body.details;

async function load() {
  const json = await crm("GET", RULE_PATH).catch((error) => {
    if (unknownId(error)) return null;
    throw error;
  });
  if (!json) throw new Notice(`Rule ${ctx.ruleId} not found in this org.`);
  rule = json.workflow_rules[0];
  const fields = await moduleFields(rule.module.api_name);
  renderRule(fields);
  await loadUsage();
  document.body.dataset.loaded = ctx.org;
}

async function toggle(event) {
  event.preventDefault();
  const activate = !rule.status.active;
  const statusBody = { active: activate };
  if (!activate && document.getElementById("drop-schedule").checked) {
    statusBody.delete_schedule_action = true;
  }
  try {
    const answer = await crm("PUT", RULE_PATH, { workflow_rules: [{ status: statusBody }] });
    const item = answer.workflow_rules[0];
    await load();
    status(`${item.message}: “${rule.name}” is now ${activate ? "active" : "inactive"}.`, "success");
  } catch (error) {
    status(error.message, "error");
  }
}

document.getElementById("status-form").addEventListener("submit", toggle);
startPage(load);
