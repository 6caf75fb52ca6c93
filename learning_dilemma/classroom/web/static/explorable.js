// The explorable: a match against a library strategy, round by round, then a tournament and
// evolution driven by sliders. Every number comes from the server (the toolkit's engines).
"use strict";

(() => {
  const { api, el, fmt, lineChart, barChart, PALETTE } = LD;
  const $ = id => document.getElementById(id);
  let options = null;
  const values = {};
  let mix = {};
  let play = null;          // {opponent, seed, settings, moves}
  let asked = 0;            // sandbox requests sent (later answers win)
  let timer = null;

  function showError(id, error) {
    const box = $(id);
    box.textContent = error ? String(error.message || error) : "";
    box.classList.toggle("hidden", !error);
  }

  // --- sliders and mix -------------------------------------------------------------
  function buildSliders() {
    const holder = $("sliders");
    holder.replaceChildren(el("h3", { text: "The game" }));
    for (const s of options.sliders) {
      values[s.name] = s.default;
      const shown = el("span", { class: "value", id: `value-${s.name}`, text: String(s.default) });
      const input = el("input", { type: "range", min: s.low, max: s.high, step: s.step, value: s.default,
                                  id: `slider-${s.name}`, name: s.name, "aria-label": s.label });
      input.addEventListener("input", () => {
        values[s.name] = s.whole ? parseInt(input.value, 10) : parseFloat(input.value);
        shown.textContent = input.value;
        schedule();
      });
      holder.append(el("label", { class: "slider" }, el("span", { text: s.label }), input, shown,
                       el("small", { text: s.help })));
    }
  }

  function buildMix() {
    const holder = $("mix");
    holder.replaceChildren();
    for (const name of Object.keys(mix)) {
      const shown = el("span", { class: "value", text: String(mix[name]) });
      const input = el("input", { type: "range", min: 0, max: 10, step: 1, value: mix[name],
                                  "data-strategy": name, "aria-label": `weight of ${name}` });
      input.addEventListener("input", () => {
        mix[name] = parseInt(input.value, 10);
        shown.textContent = input.value;
        schedule();
      });
      const remove = el("button", { title: `remove ${name}`, text: "×", onclick: () => {
        delete mix[name];
        buildMix();
        schedule();
      } });
      holder.append(el("label", { class: "slider mix" }, el("span", { text: name }), input, shown, remove));
    }
    const add = $("add-strategy");
    add.replaceChildren(...options.strategies.filter(n => !(n in mix)).map(n => el("option", { value: n, text: n })));
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(runSandbox, 200);
  }

  async function runSandbox() {
    const number = ++asked;
    document.body.dataset.sandbox = "busy";
    try {
      const result = await api("/api/explorable/sandbox", { method: "POST", body: Object.assign({}, values, { mix }) });
      if (number !== asked) return;
      showError("sandbox-error", null);
      drawSandbox(result);
    } catch (error) {
      if (number === asked) showError("sandbox-error", error);
    } finally {
      if (number === asked) document.body.dataset.sandbox = "ready";
    }
  }

  function drawSandbox(result) {
    const colour = {};
    result.strategies.forEach((name, k) => { colour[name] = PALETTE[k % PALETTE.length]; });
    barChart($("ranking"), result.ranking.map(r => ({ name: r.strategy, value: r.score, color: colour[r.strategy] })),
             { label: "tournament ranking" });
    const ranking = $("ranking");
    ranking.append(el("table", { id: "ranking-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "rank" }), el("th", { text: "strategy" }),
         el("th", { class: "num", text: "payoff/round" }), el("th", { class: "num", text: "gives" }),
         el("th", { class: "num", text: "rounds open" }))),
      el("tbody", {}, ...result.ranking.map((r, k) => el("tr", {}, el("td", { text: k + 1 }),
         el("td", { text: r.strategy }), el("td", { class: "num", text: fmt(r.score, 3) }),
         el("td", { class: "num", text: fmt(r.give_rate, 2) }), el("td", { class: "num", text: fmt(r.duration, 1) }))))));
    const evo = result.evolution;
    const series = result.strategies.map((name, k) => ({
      name, color: colour[name], points: evo.times.map((t, i) => [t, evo.shares[i][k]]) }));
    lineChart($("evolution"), series, { yMin: 0, yMax: 1, xLabel: "time", yLabel: "share", label: "evolution" });
    const survivors = evo.survivors.length ? evo.survivors.join(", ") : "none";
    $("evolution-summary").textContent =
      `Survivors: ${survivors}. Giving in the final population: ${fmt(evo.give_rate, 2)}.`;
    const g = result.game;
    $("game-summary").textContent = `Stage game at full receptivity: R ${g.R}, S ${g.S}, T ${g.T}, P ${g.P}; ` +
      `expected match length ${result.expected_rounds} rounds.`;
  }

  // --- playing a match ---------------------------------------------------------------
  async function startMatch() {
    showError("play-error", null);
    const settings = Object.assign({}, values);
    play = { opponent: $("opponent").value, seed: null, settings, moves: [] };
    await step(null);
  }

  async function step(choice) {
    if (!play) return;
    const moves = choice ? play.moves.concat([choice]) : play.moves;
    try {
      const state = await api("/api/explorable/practice", { method: "POST",
        body: { opponent: play.opponent, seed: play.seed, settings: play.settings, moves } });
      play.seed = state.seed;
      play.moves = moves;
      showError("play-error", null);
      drawPlay(state);
    } catch (error) {
      showError("play-error", error);
    }
  }

  function drawPlay(state) {
    $("board").classList.remove("hidden");
    $("them-name").textContent = play.opponent;
    const s = play.settings;
    $("play-settings").textContent = `shadow of the future ${s.continuation}, power ${s.power}, ` +
      `${s.stakes} knowledge levels, overlap ${s.overlap}, tacitness ${s.tacitness}`;
    for (const button of document.querySelectorAll("#board button.choice")) {
      button.disabled = !state.open;
      if (button.dataset.choice === "LEAVE") button.classList.toggle("hidden", !state.exit_allowed);
    }
    const rows = state.rounds;
    const last = rows[rows.length - 1];
    const levels = state.levels || 1;
    const you = last ? last.stakes_after[0] : state.stakes[0];
    const them = last ? last.stakes_after[1] : state.stakes[1];
    $("stakes-you").style.width = `${100 * you / levels}%`;
    $("stakes-them").style.width = `${100 * them / levels}%`;
    $("stakes-you-n").textContent = you;
    $("stakes-them-n").textContent = them;
    $("power").textContent = String(them - you);
    $("total-you").textContent = fmt(state.totals[0], 1);
    $("total-them").textContent = fmt(state.totals[1], 1);
    $("play-status").textContent = state.open
      ? `Round ${rows.length + 1}: your move.`
      : `The match is over after ${rows.length} rounds (${state.ended}).`;
    document.body.dataset.play = state.open ? "open" : "over";
    const body = document.querySelector("#rounds tbody");
    body.replaceChildren(...rows.slice().reverse().map(r => el("tr", {},
      el("td", { text: r.round }), el("td", { class: r.moves[0][0], text: r.moves[0] }),
      el("td", { class: r.moves[1][0], text: r.moves[1] }), el("td", { class: "num", text: fmt(r.payoffs[0], 2) }),
      el("td", { class: "num", text: fmt(r.payoffs[1], 2) }), el("td", { class: "num", text: r.stakes_after[0] }),
      el("td", { class: "num", text: r.stakes_after[1] }), el("td", { class: "num", text: r.stakes_after[1] - r.stakes_after[0] }))));
    let a = 0, b = 0;
    const mine = [[0, 0]], theirs = [[0, 0]];
    rows.forEach(r => { a += r.payoffs[0]; b += r.payoffs[1]; mine.push([r.round, a]); theirs.push([r.round, b]); });
    lineChart($("play-chart"), [{ name: "you", points: mine }, { name: play.opponent, points: theirs }],
              { xLabel: "round", yLabel: "total payoff", label: "payoffs so far" });
  }

  async function init() {
    options = await api("/api/explorable/options");
    mix = Object.assign({}, options.mix);
    buildSliders();
    buildMix();
    $("opponent").replaceChildren(...options.opponents.map(n => el("option", { value: n, text: n })));
    $("opponent").value = options.opponent;
    $("start").addEventListener("click", startMatch);
    for (const button of document.querySelectorAll("#board button.choice")) {
      button.addEventListener("click", () => step(button.dataset.choice));
    }
    $("add").addEventListener("click", () => {
      const name = $("add-strategy").value;
      if (name && !(name in mix)) { mix[name] = 1; buildMix(); schedule(); }
    });
    await runSandbox();
  }

  init().catch(error => showError("sandbox-error", error));
})();
