// Zoho criteria trees as readable text: "Amount >= 30,000 and Reason For Loss = Price".

const COMPARATORS = {
  equal: "=",
  not_equal: "≠",
  greater_than: ">",
  greater_equal: ">=",
  less_than: "<",
  less_equal: "<=",
  like: "is like",
  not_like: "is not like",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  ends_with: "ends with",
  between: "is between",
  not_between: "is not between",
  in: "is one of",
  not_in: "is none of",
  include_all: "includes all of",
  include_any: "includes any of",
  exclude_all: "excludes all of",
  exclude_any: "excludes any of",
};

const NUMERIC = new Set(["currency", "double", "integer", "bigint", "percent", "decimal", "long"]);

const SPECIAL = {
  "${EMPTY}": "is empty",
  "${NOTEMPTY}": "is not empty",
  "${ANYVALUE}": "changes to any value",
};

function label(fields, field) {
  if (!field) return "?";
  const meta = fields && fields.get(field.api_name);
  return (meta && (meta.field_label || meta.display_label)) || field.api_name;
}

function oneValue(value, meta) {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "object") return value.name || value.api_name || value.id || JSON.stringify(value);
  const text = String(value);
  if (meta && NUMERIC.has(meta.data_type) && text.trim() !== "" && !Number.isNaN(Number(text))) {
    return Number(text).toLocaleString("en-US");
  }
  return text;
}

function valueText(leaf, fields) {
  const meta = leaf.field && fields && fields.get(leaf.field.api_name);
  const { value } = leaf;
  if (leaf.type === "field" && value && typeof value === "object") return label(fields, value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => oneValue(v, meta));
    return leaf.comparator === "between" || leaf.comparator === "not_between"
      ? parts.join(" and ")
      : parts.join(", ");
  }
  return oneValue(value, meta);
}

function leafText(leaf, fields) {
  const name = label(fields, leaf.field);
  if (typeof leaf.value === "string" && SPECIAL[leaf.value]) return `${name} ${SPECIAL[leaf.value]}`;
  const op = COMPARATORS[leaf.comparator] || leaf.comparator;
  return `${name} ${op} ${valueText(leaf, fields)}`;
}

// criteria: a leaf {comparator, field, value} or a group {group_operator, group:[...]}.
export function describeCriteria(criteria, fields, nested = false) {
  if (!criteria) return "All records";
  if (Array.isArray(criteria.group)) {
    const joiner = ` ${String(criteria.group_operator || "AND").toLowerCase()} `;
    const text = criteria.group.map((c) => describeCriteria(c, fields, true)).join(joiner);
    return nested && criteria.group.length > 1 ? `(${text})` : text;
  }
  return leafText(criteria, fields);
}

export function describeTrigger(rule, fields) {
  const when = rule.execute_when || {};
  const details = when.details || {};
  // A call's field and section updates read as the record triggers of the same name.
  const type = String(when.type || "").replace(/^(scheduled|outgoing|incoming)_call_(?=(field|section)_update$)/, "");
  switch (type) {
    case "create":
      return "When a record is created";
    case "edit":
      return `When a record is edited${details.repeat ? " (every time)" : " (once per record)"}`;
    case "create_or_edit":
      return `When a record is created or edited${details.repeat ? " (every time)" : ""}`;
    case "delete":
      return "When a record is deleted";
    case "field_update": {
      const what = details.criteria ? describeCriteria(details.criteria, fields) : "a field";
      return `When a field is updated: ${what}${details.repeat ? " (every time)" : ""}`;
    }
    case "date_or_datetime": {
      const field = label(fields, details.field);
      const unit = Number(details.unit || 0);
      const offset = unit === 0 ? "on" : `${Math.abs(unit)} ${details.period || "days"} ${unit < 0 ? "before" : "after"}`;
      const recur = details.recur_cycle && details.recur_cycle !== "once" ? `, ${details.recur_cycle}` : "";
      return `Date based: ${offset} ${field}${recur}`;
    }
    case "section_update": {
      const count = (details.section_ids || []).length;
      return `When a field of ${count === 1 ? "its section" : `its ${count} sections`} is edited${details.repeat ? " (every time)" : " (once per record)"}`;
    }
    case "marked_as_complete":
      return "When a task is marked as complete";
    case "overdue": {
      const unit = Number(details.unit || 0);
      const period = String(details.period || "days");
      const span = `${unit} ${unit === 1 ? period.replace(/s$/, "") : period}`;
      return `${span} after the task's due date, unless it is complete by then`;
    }
    case "anyaction":
      return "On any action: created, edited or deleted";
    case "reschedule":
      return "When a meeting is rescheduled";
    case "reassign":
      return "When a meeting is reassigned";
    case "cancel":
      return "When a meeting is cancelled (mockcrm never cancels one)";
    default:
      return when.type || "unknown";
  }
}

export function describeDelay(executeAfter) {
  if (!executeAfter) return "Later";
  const period = String(executeAfter.period || "").replace("_", " ");
  return `After ${executeAfter.unit} ${period}`;
}
