// The teacher's dashboard: open a session, show the join code and QR code, start matches, mark
// absences, watch the class live (polling), and at the end the strategy estimation and export.
"use strict";

(() => {
  const { api, el, fmt, lineChart, barChart } = LD;
  const $ = id => document.getElementById(id);
  let current = null;        // the session id shown
  let polling = null;
  let analysed = false;

  function showError(error) {
    if (error && error.status === 403) {
      $("denied").classList.remove("hidden");
      for (const id of ["create", "session", "charts", "analysis"]) $(id).classList.add("hidden");
      stopPolling();
      return;
    }
    $("error").textContent = error ? String(error.message || error) : "";
    $("error").classList.toggle("hidden", !error);
  }

  function stopPolling() {
    if (polling) clearInterval(polling);
    polling = null;
  }

  function treatmentOf(form) {
    const data = new FormData(form);
    const tacit = data.get("tacit") === "on";
    const levels = parseInt(data.get("levels"), 10);
    return {
      power: data.get("power") === "on" ? 0.8 : 0.0,
      knowledge_levels: levels,
      pace: 0.3,
      overlap: parseFloat(data.get("overlap")),
      tacitness: tacit ? 0.5 : 0.0,
      ties: tacit ? 3 : 0,
      continuation: data.get("shadow") === "short" ? 0.5 : 0.9,
      exit: data.get("exit") === "on",
      group_size: parseInt(data.get("group_size"), 10),
    };
  }

  async function create(event) {
    event.preventDefault();
    try {
      const created = await api("/api/sessions", { method: "POST", body: { treatment: treatmentOf($("create-form")) } });
      show(created.id);
    } catch (error) { showError(error); }
  }

  function show(id) {
    current = id;
    analysed = false;
    history.replaceState(null, "", `/teacher#${id}`);
    $("create").classList.add("hidden");
    for (const part of ["session", "charts", "analysis"]) $(part).classList.remove("hidden");
    $("analysis-body").replaceChildren();
    refresh();
    stopPolling();
    polling = setInterval(refresh, 1000);
  }

  async function refresh() {
    if (!current) return;
    try {
      const d = await api(`/api/sessions/${current}`);
      showError(null);
      draw(d);
    } catch (error) { showError(error); }
  }

  function describe(t) {
    const parts = [t.power > 0 ? `power on (${t.power})` : "power off",
      t.turns ? `${t.turns} rounds a match` : `shadow of the future w = ${t.continuation}`,
      `${t.knowledge_levels} knowledge levels`, `overlap ${t.overlap}`,
      t.tacitness > 0 ? `tacit knowledge (${t.tacitness}, ties of ${t.ties})` : "no tacit knowledge",
      t.exit ? "exit allowed" : "no exit", t.group_size > 2 ? `groups of ${t.group_size}` : "pairs"];
    return parts.join(" · ");
  }

  function draw(d) {
    $("session-title").textContent = `session ${d.code}`;
    $("code").textContent = d.code;
    const link = $("join-link");
    link.textContent = d.join_url;
    link.href = d.join_url;
    if ($("qr").dataset.url !== d.join_url) {
      $("qr").innerHTML = d.qr_svg;     // the server's own SVG (segno)
      $("qr").dataset.url = d.join_url;
    }
    $("treatment").textContent = describe(d.treatment);
    $("export").href = `/api/sessions/${d.id}/export.csv`;
    const next = d.match + 1;
    $("start").textContent = `Start match ${next}`;
    $("start").disabled = d.ended || d.playing || d.seats.length === 0;
    $("stop").disabled = d.ended || !d.playing;
    $("end").disabled = d.ended;
    document.body.dataset.match = String(d.match);
    document.body.dataset.playing = String(d.playing);
    document.body.dataset.ended = String(d.ended);
    let status;
    if (d.ended) status = "The session has ended.";
    else if (d.playing) status = `Match ${d.match} is being played: ${d.units_open} of ${d.units} ` +
      `${d.treatment.group_size > 2 ? "groups" : "pairs"} still playing.`;
    else if (d.match) status = `Match ${d.match} is over. Start the next one when the class is ready.`;
    else status = `${d.seats.length} student${d.seats.length === 1 ? "" : "s"} joined. Start match 1 when ready.`;
    $("status").textContent = status;
    $("counts").textContent = `${d.decisions} decisions stored`;
    const body = document.querySelector("#seats tbody");
    body.replaceChildren(...d.seats.map(s => {
      const mark = el("button", { text: "mark absent", "data-label": s.label, onclick: () => absent(s.label) });
      mark.disabled = d.ended || s.status !== "present";
      return el("tr", { "data-label": s.label },
        el("td", { text: s.label }),
        el("td", {}, el("span", { class: `pill ${s.status === "present" ? "on" : "off"}`, text: s.status })),
        el("td", { text: s.waiting ? "to choose" : (d.playing ? "chosen" : "") }),
        el("td", { class: "num", text: s.decisions }),
        el("td", {}, mark));
    }));
    drawCharts(d.charts);
    if (d.ended && !analysed) analyse();
  }

  function drawCharts(c) {
    const series = key => c.matches.map(m => ({ name: `match ${m.match}`, points: m[key] }));
    lineChart($("chart-giving"), series("giving"), { yMin: 0, yMax: 1, xLabel: "round", yLabel: "share giving",
                                                     label: "giving by round" });
    lineChart($("chart-mutual"), series("mutual"), { yMin: 0, yMax: 1, xLabel: "round",
                                                     yLabel: "share of units all giving", label: "mutual giving" });
    lineChart($("chart-power"), series("power_gap"), { yMin: 0, xLabel: "round", yLabel: "mean |z|",
                                                       label: "power gaps" });
    lineChart($("chart-exits"), series("closed"), { yMin: 0, yMax: 1, xLabel: "round",
                                                    yLabel: "share closed", label: "alliances closed" });
  }

  async function control(path, body = {}) {
    try {
      await api(`/api/sessions/${current}/${path}`, { method: "POST", body });
      await refresh();
    } catch (error) { showError(error); }
  }

  const absent = label => control("absent", { label });

  async function analyse() {
    analysed = true;
    const holder = $("analysis-body");
    holder.replaceChildren(el("p", { class: "muted", text: "Estimating…" }));
    try {
      const a = await api(`/api/sessions/${current}/analysis`);
      holder.replaceChildren();
      if (!a.estimate) {
        holder.append(el("p", { class: "message", text: a.message }));
        analysed = false;
        return;
      }
      const e = a.estimate;
      holder.append(el("h3", { text: "Shares of library strategies in the class" }),
        el("table", { id: "estimate-table" },
          el("thead", {}, el("tr", {}, el("th", { text: "strategy" }), el("th", { class: "num", text: "share" }),
            el("th", { class: "num", text: "standard error" }), el("th", { class: "num", text: "students" }))),
          el("tbody", {}, ...e.table.map(r => el("tr", {}, el("td", { text: r.strategy }),
            el("td", { class: "num", text: fmt(r.share, 2) }), el("td", { class: "num", text: fmt(r.standard_error, 2) }),
            el("td", { class: "num", text: fmt(r.subjects, 1) }))))),
        el("p", { text: `Error rate (a choice other than the strategy's): ${fmt(e.error, 3)} ± ${fmt(e.error_se, 3)}; ` +
          `${e.decisions} decisions of ${e.subjects} students.` }));
      for (const w of e.warnings) holder.append(el("p", { class: "muted", text: w }));
      const m = a.mix;
      if (m) {
        holder.append(el("h3", { text: `The class's mix in a tournament of the library: rank ${m.mix_rank} of ` +
          `${m.ranking.length + 1} (score ${fmt(m.mix_score, 3)})` }));
        const chart = el("div", { id: "mix-ranking" });
        holder.append(chart);
        // the first ten and, below them, the class's mix with its neighbours, the mix in black
        const rows = m.ranking.map((r, k) => Object.assign({ rank: k + 1 }, r,
          r.name === "the class's mix" ? { color: "#1f2328" } : {}));
        const at = m.mix_rank - 1;
        const shown = at < 12 ? rows.slice(0, 12)
          : rows.slice(0, 8).concat(rows.slice(at - 2, at + 3));
        barChart(chart, shown.map(r => Object.assign({}, r, { name: `${r.rank}. ${r.name}` })),
                 { label: "the mix among the library" });
        holder.append(el("h3", { text: "The mix under evolution (replicator dynamics)" }));
        const evo = el("div", { id: "mix-evolution" });
        holder.append(evo);
        lineChart(evo, m.names.map((name, k) => ({ name, points: m.replicator.times.map((t, i) =>
          [t, m.replicator.shares[i][k]]) })), { yMin: 0, yMax: 1, xLabel: "time", yLabel: "share",
          label: "the mix under evolution" });
        holder.append(el("p", { class: "status", text: `Survivors: ${m.replicator.survivors.join(", ") || "none"}.` }));
        for (const note of m.notes) holder.append(el("p", { class: "muted", text: note }));
      }
    } catch (error) {
      analysed = false;
      holder.replaceChildren(el("p", { class: "error", text: String(error.message || error) }));
    }
  }

  async function init() {
    for (const name of ["overlap", "levels"]) {
      const input = document.querySelector(`#create-form [name=${name}]`);
      input.addEventListener("input", () => { $(`${name}-value`).textContent = input.value; });
    }
    $("create-form").addEventListener("submit", create);
    $("start").addEventListener("click", () => control("start"));
    $("stop").addEventListener("click", () => control("stop"));
    $("end").addEventListener("click", () => { if (confirm("End the session for everyone?")) control("end"); });
    $("analyse").addEventListener("click", analyse);
    try {
      const list = await api("/api/sessions");
      const wanted = location.hash.slice(1);
      if (wanted && list.sessions.some(s => s.id === wanted)) { show(wanted); return; }
      $("create").classList.remove("hidden");
      if (list.sessions.length) {
        $("earlier").replaceChildren(el("h3", { text: "Earlier sessions" }),
          ...list.sessions.map(s => el("p", {}, el("a", { href: `#${s.id}`, text: `${s.code}`,
            onclick: e => { e.preventDefault(); show(s.id); } }),
            ` · ${s.students} students · ${s.matches} matches${s.ended ? " · ended" : ""}`)));
      }
    } catch (error) { showError(error); }
  }

  init();
})();
