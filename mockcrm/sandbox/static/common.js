// Shared by every page: the org in use, calls to mockcrm's own HTTP API, small DOM helpers.
// Data is only ever inserted as text (textContent), never as HTML.

const body = document.body;
export const ctx = {
  org: body.dataset.org || "default",
  adminOn: body.dataset.adminOn === "true",
  adminTokenRequired: body.dataset.adminTokenRequired === "true",
  ruleId: body.dataset.ruleId || null,
  // The org's real id ("default" resolved), set by the org picker before a page loads its data.
  orgId: null,
};

const ADMIN_TOKEN_KEY = "mockcrm.sandbox.adminToken";
const tokenKey = (org) => `mockcrm.sandbox.token.${org}`;
// Tokens the dashboard mints live an hour (on the org's clock); an expired one is re-issued.
const TOKEN_SECONDS = 3600;

export class ApiError extends Error {
  constructor(method, path, status, body, message = null) {
    const what = body && (body.message || body.code) ? `${body.code}: ${body.message}` : "";
    super(message || `${method} ${path} answered ${status}${what ? ` (${what})` : ""}`);
    this.status = status;
    this.body = body;
  }
}

// An expected outcome to tell the user (e.g. an unknown id), not a fault: no console error.
export class Notice extends Error {}

// --- DOM helpers -------------------------------------------------------------------------------

// el("a", {href: "/x", class: "y"}, "text", otherNode): children are text or nodes.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceRows(table, rows, emptyText) {
  const tbody = table.tBodies[0];
  tbody.replaceChildren(...rows);
  if (!rows.length && emptyText) {
    const cols = table.tHead.rows[0].cells.length;
    tbody.append(el("tr", {}, el("td", { colspan: cols, class: "empty" }, emptyText)));
  }
}

export function status(message, kind = "info") {
  const box = document.getElementById("status");
  if (!message) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.className = `notice ${kind}`;
  box.textContent = message;
  box.hidden = false;
}

// An ISO time from the API (already in the org's time zone) as a readable <time>.
export function timeEl(iso) {
  if (!iso) return el("span", { class: "never" }, "never");
  return el("time", { datetime: iso, title: iso }, iso.replace("T", " ").slice(0, 19));
}

export function orgUrl(path) {
  const sep = path.includes("?") ? "&" : "?";
  return `${path}${sep}org=${encodeURIComponent(ctx.org)}`;
}

export function ruleLink(rule) {
  if (!rule) return "";
  const name = rule.name || rule.id;
  return el("a", { href: orgUrl(`/sandbox/rules/${encodeURIComponent(rule.id)}`) }, name);
}

export const TRIGGERS = {
  create: "Create",
  edit: "Edit",
  create_or_edit: "Create or edit",
  delete: "Delete",
  field_update: "Field update",
  section_update: "Section update",
  date_or_datetime: "Date / time",
  rollup_summary_update: "Roll-up summary update",
  marked_as_complete: "Marked as complete",
  overdue: "Overdue",
  anyaction: "Any action",
  reschedule: "Reschedule",
  reassign: "Reassign",
  cancel: "Cancel",
  missed_call: "Missed call",
};

// Zoho's trigger types as words: the named ones above, else the api name spelled out
// ("outgoing_call_createedit" -> "Outgoing call create or edit").
export function triggerLabel(type) {
  if (TRIGGERS[type]) return TRIGGERS[type];
  const words = String(type || "unknown").replace(/createedit$/, "create_or_edit").split("_").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const ACTION_TYPES = {
  email_notifications: "Email",
  field_updates: "Field update",
  tasks: "Task",
  webhooks: "Webhook",
  add_tags: "Add tags",
  remove_tags: "Remove tags",
  assign_owner: "Assign owner",
  create_record: "Create record",
  functions: "Function",
};

export const actionType = (type) => ACTION_TYPES[type] || type;

// --- HTTP --------------------------------------------------------------------------------------

async function call(method, path, headers, body) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = { message: text.slice(0, 200) };
    }
  }
  return { status: resp.status, ok: resp.ok, json };
}

// The admin API (/__admin): X-Admin-Token when the server guards it.
export async function admin(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem(ADMIN_TOKEN_KEY);
  if (token) headers["X-Admin-Token"] = token;
  const resp = await call(method, `/__admin${path}`, headers, body);
  if (!resp.ok) {
    let refused = null;
    if (resp.status === 401) {
      refused = token
        ? "The admin API refused the admin token: enter the server's admin token above."
        : "This server needs its admin token: enter it above.";
    }
    throw new ApiError(method, `/__admin${path}`, resp.status, resp.json, refused);
  }
  return resp.json;
}

// An access token for the org, issued by the admin API once per tab and org: it works in
// strict auth mode too, and reaches only that org.
async function orgToken(fresh = false) {
  const key = tokenKey(ctx.org);
  let token = fresh ? null : sessionStorage.getItem(key);
  if (!token) {
    const issued = await admin("POST", "/tokens", { org_id: ctx.org, expires_in: TOKEN_SECONDS });
    token = issued.access_token;
    sessionStorage.setItem(key, token);
  }
  return token;
}

// The public API (/crm/v8): Zoho's Authorization header. Returns the JSON body (null for 204).
export async function crm(method, path, body) {
  const headers = {
    // Names the org: a cached token the server no longer knows (restarted without a state file)
    // would otherwise reach the default org in permissive auth; one of another org is refused
    // (INVALID_TOKEN), and the retry below issues a token for this org.
    "X-CRM-ORG": ctx.orgId || ctx.org,
    // The dashboard's own calls: no injected faults, no API credits, not in the journal, so
    // opening the dashboard never disturbs the org under test.
    "X-Mockcrm-Dashboard": "1",
  };
  let resp;
  for (const fresh of [false, true]) {
    const token = await orgToken(fresh);
    const auth = { ...headers, Authorization: `Zoho-oauthtoken ${token}` };
    resp = await call(method, `/crm/v8${path}`, auth, body);
    // A token that expired, or of another, deleted or reset org: issue a new one once.
    if (!(resp.status === 401 && resp.json && resp.json.code === "INVALID_TOKEN")) break;
  }
  if (!resp.ok) throw new ApiError(method, `/crm/v8${path}`, resp.status, resp.json);
  return resp.json;
}

// Every rule, paging on info.more_records as Zoho's clients do.
export async function allRules(innerDetails = true) {
  const rules = [];
  for (let page = 1; ; page += 1) {
    const query = `page=${page}&per_page=200${innerDetails ? "&include_inner_details=true" : ""}`;
    const json = await crm("GET", `/settings/automation/workflow_rules?${query}`);
    if (!json) break; // 204: no rules
    rules.push(...json.workflow_rules);
    if (!json.info || !json.info.more_records) break;
  }
  return rules;
}

// A module's fields by api_name (labels, data types, picklist values).
const fieldCache = new Map();
export async function moduleFields(module) {
  if (!fieldCache.has(module)) {
    const load = crm("GET", `/settings/fields?module=${encodeURIComponent(module)}`).then(
      (json) => new Map(((json && json.fields) || []).map((f) => [f.api_name, f])),
    );
    fieldCache.set(module, load);
  }
  return fieldCache.get(module);
}

export async function orgClock() {
  return admin("GET", `/clock?org_id=${encodeURIComponent(ctx.org)}`);
}

export const orgPath = (suffix) => `/orgs/${encodeURIComponent(ctx.org)}${suffix}`;

// --- page frame: the org picker and the admin token field --------------------------------------

async function initOrgPicker() {
  const select = document.getElementById("org-select");
  const { orgs } = await admin("GET", "/orgs");
  const options = orgs.map((org) => {
    const value = org.default ? "default" : org.org_id;
    // The id first: isolated orgs share the seed's name, and a narrow select cuts the end off.
    const label = org.default
      ? `Default org · ${org.name}`
      : `${org.org_id} · ${org.name}${org.seed ? ` · ${org.seed}` : ""}`;
    return el("option", { value, selected: value === ctx.org }, label);
  });
  select.replaceChildren(...options);
  const current = orgs.find((org) => (org.default ? "default" : org.org_id) === ctx.org);
  if (!current) {
    status(`Org ${ctx.org} does not exist (deleted?). Pick another org.`, "error");
    return false;
  }
  ctx.orgId = current.org_id;
  select.title = select.selectedOptions[0].textContent; // the whole label on hover
  return true;
}

function initAdminToken() {
  const form = document.getElementById("admin-token-form");
  if (!form) return;
  const input = document.getElementById("admin-token");
  input.value = sessionStorage.getItem(ADMIN_TOKEN_KEY) || "";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(ADMIN_TOKEN_KEY, input.value.trim());
    window.location.reload();
  });
}

// With --no-admin every control of the page would only fail: disable them all.
function disableControls() {
  for (const control of document.querySelectorAll("main :is(input, select, textarea, button)")) {
    control.disabled = true;
  }
}

// Run a page: frame first, then the page's own loader. Errors end up in the status box.
export async function startPage(load) {
  initAdminToken();
  if (!ctx.adminOn) {
    disableControls();
    return;
  }
  try {
    if (await initOrgPicker()) await load();
  } catch (error) {
    if (!(error instanceof Notice)) console.error(error);
    status(error.message, "error");
  }
}
