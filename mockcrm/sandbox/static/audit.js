// The audit page: every rule of the org, filters, and a chart drawn from the same data.
import { allRules, ctx, el, replaceRows, ruleLink, startPage, timeEl, triggerLabel } from "./common.js";

const SVG = "http://www.w3.org/2000/svg";
let rules = [];

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const actionsCount = (rule) =>
  (rule.conditions || []).reduce((total, cond) => {
    const instant = ((cond.instant_actions || {}).actions || []).length;
    const scheduled = (cond.scheduled_actions || []).reduce((n, g) => n + (g.actions || []).length, 0);
    return total + instant + scheduled;
  }, 0);

function perModule(list) {
  const counts = new Map();
  for (const rule of list) {
    const name = rule.module.api_name;
    const entry = counts.get(name) || { module: name, active: 0, inactive: 0 };
    entry[rule.status.active ? "active" : "inactive"] += 1;
    counts.set(name, entry);
  }
  return [...counts.values()];
}

// The rendered width of each text in a bar chart's units (font-size is in user units, so the
// viewBox scale does not matter). A box that is not rendered measures 0: then ~0.62em a glyph.
function textWidths(box, texts) {
  const probe = svg("svg", { class: "bar-chart", "aria-hidden": "true" });
  const nodes = texts.map((text) => svg("text", { class: "bar-value" }, text));
  probe.append(...nodes);
  box.append(probe);
  const widths = nodes.map((node, i) => node.getComputedTextLength() || texts[i].length * 8);
  probe.remove();
  return widths;
}

// Horizontal stacked bars, one per module: active and inactive, each labelled with its count.
function drawChart(list) {
  const box = document.getElementById("chart");
  const data = perModule(list);
  if (!data.length) {
    box.replaceChildren(el("p", {}, "No rules to chart."));
    return;
  }
  const rowH = 26;
  // The drawing's own width follows the box, so labels keep their size on a narrow window.
  const width = Math.max(340, Math.min(760, box.clientWidth || 640));
  const labelW = width < 500 ? 84 : 120;
  const top = 34;
  const height = top + data.length * rowH + 6;
  // Each bar leaves room for its own value label ("120 (50 off)"): the scale is the largest
  // that fits every bar plus its label inside the drawing.
  const values = data.map((d) => `${d.active + d.inactive} (${d.inactive} off)`);
  const valueW = textWidths(box, values);
  const gap = 6;
  const room = data.map((d, i) => (width - labelW - gap - valueW[i] - 4) / (d.active + d.inactive));
  const scale = Math.max(0, Math.min(...room));
  const summary = data
    .map((d) => `${d.module}: ${d.active} active, ${d.inactive} inactive`)
    .join("; ");
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": "chart-title chart-desc",
    class: "bar-chart",
  });
  chart.append(svg("title", { id: "chart-title" }, "Rules per module, active and inactive"));
  chart.append(svg("desc", { id: "chart-desc" }, summary));
  const legend = svg("g", { class: "legend" });
  legend.append(svg("rect", { x: labelW, y: 6, width: 14, height: 14, class: "bar-active" }));
  legend.append(svg("text", { x: labelW + 20, y: 18 }, "Active"));
  legend.append(svg("rect", { x: labelW + 90, y: 6, width: 14, height: 14, class: "bar-inactive" }));
  legend.append(svg("text", { x: labelW + 110, y: 18 }, "Inactive"));
  chart.append(legend);
  data.forEach((d, i) => {
    const y = top + i * rowH;
    const row = svg("g", { class: "bar-row", "data-module": d.module });
    row.append(svg("text", { x: labelW - 8, y: y + 18, "text-anchor": "end" }, d.module));
    const activeW = d.active * scale;
    const inactiveW = d.inactive * scale;
    row.append(svg("rect", { x: labelW, y: y + 4, width: activeW, height: rowH - 10, class: "bar-active" }));
    row.append(
      svg("rect", {
        x: labelW + activeW,
        y: y + 4,
        width: inactiveW,
        height: rowH - 10,
        class: "bar-inactive",
      }),
    );
    row.append(
      svg("text", { x: labelW + activeW + inactiveW + gap, y: y + 18, class: "bar-value" },
        values[i]),
    );
    chart.append(row);
  });
  box.replaceChildren(chart);
}

function summarise(list) {
  const set = (key, value) => {
    document.querySelector(`[data-stat="${key}"]`).textContent = String(value);
  };
  set("total", list.length);
  set("active", list.filter((r) => r.status.active).length);
  set("inactive", list.filter((r) => !r.status.active).length);
  set("never", list.filter((r) => !r.last_executed_time).length);
}

function row(rule) {
  const active = rule.status.active;
  return el(
    "tr",
    { dataset: { ruleId: rule.id, module: rule.module.api_name } },
    el("th", { scope: "row" }, ruleLink(rule)),
    el("td", {}, rule.module.api_name),
    el("td", {}, triggerLabel(rule.execute_when.type)),
    el("td", {}, el("span", { class: `badge ${active ? "on" : "off"}` }, active ? "Active" : "Inactive")),
    el("td", { class: "last-executed" }, timeEl(rule.last_executed_time)),
    el("td", { class: "num" }, actionsCount(rule)),
  );
}

function applyFilters() {
  const module = document.getElementById("filter-module").value;
  const active = document.getElementById("filter-active").value;
  const name = document.getElementById("filter-name").value.trim().toLowerCase();
  const never = document.getElementById("filter-never").checked;
  const shown = rules.filter(
    (r) =>
      (!module || r.module.api_name === module) &&
      (!active || String(r.status.active) === active) &&
      (!name || r.name.toLowerCase().includes(name)) &&
      (!never || !r.last_executed_time),
  );
  replaceRows(document.getElementById("rules-table"), shown.map(row), "No rule matches the filters.");
  document.getElementById("rules-count").textContent =
    `Showing ${shown.length} of ${rules.length} rules.`;
}

async function load() {
  rules = await allRules(true);
  summarise(rules);
  drawChart(rules);
  const modules = [...new Set(rules.map((r) => r.module.api_name))];
  const select = document.getElementById("filter-module");
  select.append(...modules.map((m) => el("option", { value: m }, m)));
  const form = document.getElementById("filters");
  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(applyFilters, 0));
  applyFilters();
  let redraw = null;
  window.addEventListener("resize", () => {
    clearTimeout(redraw);
    redraw = setTimeout(() => drawChart(rules), 150);
  });
  document.body.dataset.loaded = ctx.org;
}

startPage(load);
