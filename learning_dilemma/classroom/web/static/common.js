// Shared helpers of the classroom pages: JSON calls and small hand-written SVG charts.
// No library, nothing from the network.
"use strict";

const LD = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#1b7c83", "#e16f24", "#6e7781",
                   "#bf3989", "#0550ae", "#4ac26b", "#a40e26"];

  async function api(path, options = {}) {
    const init = { method: options.method || "GET", headers: Object.assign({}, options.headers || {}),
                   credentials: "same-origin", cache: "no-store" };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(path, init);
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("application/json") ? await response.json() : await response.text();
    if (!response.ok) {
      const message = (data && data.error) || (typeof data === "string" && data) || response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  function fmt(x, digits = 2) {
    return x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(digits);
  }

  function ticks(low, high, count = 4) {
    if (high <= low) return [low];
    const raw = (high - low) / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * power).find(s => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) out.push(Number(v.toFixed(10)));
    return out;
  }

  // A line chart: series = [{name, color?, points: [[x, y], ...]}]. Replaces the contents of `holder`.
  function lineChart(holder, series, options = {}) {
    const width = options.width || 560, height = options.height || 240;
    const m = { left: 44, right: 12, top: 12, bottom: 30 };
    const xs = series.flatMap(s => s.points.map(p => p[0]));
    const ys = series.flatMap(s => s.points.map(p => p[1])).filter(y => y !== null);
    let x0 = options.xMin ?? (xs.length ? Math.min(...xs) : 0);
    let x1 = options.xMax ?? (xs.length ? Math.max(...xs) : 1);
    let y0 = options.yMin ?? (ys.length ? Math.min(...ys) : 0);
    let y1 = options.yMax ?? (ys.length ? Math.max(...ys) : 1);
    if (x1 <= x0) x1 = x0 + 1;
    if (y1 <= y0) y1 = y0 + 1;
    const X = x => m.left + (x - x0) / (x1 - x0) * (width - m.left - m.right);
    const Y = y => height - m.bottom - (y - y0) / (y1 - y0) * (height - m.top - m.bottom);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
                              "aria-label": options.label || "chart" });
    for (const t of ticks(y0, y1)) {
      root.append(svg("line", { x1: m.left, x2: width - m.right, y1: Y(t), y2: Y(t), class: "axis" }));
      const label = svg("text", { x: m.left - 6, y: Y(t) + 4, "text-anchor": "end" });
      label.textContent = String(t);
      root.append(label);
    }
    for (const t of ticks(x0, x1, 6)) {
      const label = svg("text", { x: X(t), y: height - m.bottom + 16, "text-anchor": "middle" });
      label.textContent = String(t);
      root.append(label);
    }
    if (options.xLabel) {
      const label = svg("text", { x: width - m.right, y: height - 2, "text-anchor": "end" });
      label.textContent = options.xLabel;
      root.append(label);
    }
    if (options.yLabel) {
      const label = svg("text", { x: 4, y: 10 });
      label.textContent = options.yLabel;
      root.append(label);
    }
    series.forEach((s, k) => {
      const color = s.color || PALETTE[k % PALETTE.length];
      let points = s.points.filter(p => p[1] !== null);
      // a series that never moves along x (a population already at rest) is drawn flat across the chart
      if (points.length > 1 && points.every(p => p[0] === points[0][0])) {
        points = [[x0, points[points.length - 1][1]], [x1, points[points.length - 1][1]]];
      }
      if (points.length === 1) {
        root.append(svg("circle", { cx: X(points[0][0]), cy: Y(points[0][1]), r: 3, fill: color }));
      } else if (points.length > 1) {
        const d = points.map((p, i) => `${i ? "L" : "M"}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join("");
        root.append(svg("path", { d, fill: "none", stroke: color, "stroke-width": s.width || 2,
                                  "stroke-dasharray": s.dash || "none", "data-series": s.name }));
      }
    });
    holder.replaceChildren(root);
    if (options.legend !== false && series.length > 1) {
      const legend = el("div", { class: "legend" });
      series.forEach((s, k) => {
        const swatch = el("i");
        swatch.style.background = s.color || PALETTE[k % PALETTE.length];
        legend.append(el("span", {}, swatch, s.name));
      });
      holder.append(legend);
    }
    return root;
  }

  // Horizontal bars: rows = [{name, value}], drawn from 0 (or the smallest negative value).
  function barChart(holder, rows, options = {}) {
    const width = options.width || 560, rowHeight = 22;
    const m = { left: 170, right: 50, top: 6, bottom: 6 };
    const height = m.top + m.bottom + rowHeight * rows.length;
    const values = rows.map(r => r.value);
    const low = Math.min(0, ...values), high = Math.max(...values, low + 1e-9);
    const X = v => m.left + (v - low) / (high - low) * (width - m.left - m.right);
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
                              "aria-label": options.label || "bar chart" });
    rows.forEach((r, k) => {
      const y = m.top + k * rowHeight;
      const name = svg("text", { x: m.left - 6, y: y + 15, "text-anchor": "end" });
      name.textContent = r.name;
      root.append(name);
      const start = X(Math.min(0, r.value)), end = X(Math.max(0, r.value));
      root.append(svg("rect", { x: start, y: y + 3, width: Math.max(1, end - start), height: rowHeight - 6,
                                fill: r.color || PALETTE[k % PALETTE.length] }));
      const value = svg("text", { x: end + 4, y: y + 15 });
      value.textContent = fmt(r.value, options.digits ?? 2);
      root.append(value);
    });
    holder.replaceChildren(root);
    return root;
  }

  return { api, el, svg, fmt, lineChart, barChart, PALETTE };
})();
