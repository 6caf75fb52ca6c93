// The student's phone view: join with the code, then Give / Take (/ Leave) round by round.
// The seat's token stays in this browser (localStorage) and goes with every call; the page
// shows the seat's own history only, and never the match's length.
"use strict";

(() => {
  const { api, el, fmt } = LD;
  const $ = id => document.getElementById(id);
  const KEY = "learning-dilemma-seat";
  let seat = null;       // {session, label, token}
  let state = null;
  let sending = false;
  let timer = null;
  let levels = 0;

  function showError(error) {
    $("error").textContent = error ? String(error.message || error) : "";
    $("error").classList.toggle("hidden", !error);
  }

  function headers() { return { "X-Student-Token": seat.token }; }

  function remember(value) {
    seat = value;
    if (value) localStorage.setItem(KEY, JSON.stringify(value)); else localStorage.removeItem(KEY);
  }

  async function join(event) {
    event.preventDefault();
    const code = $("code").value.trim();
    if (!code) return;
    try {
      const joined = await api("/api/join", { method: "POST", body: { code } });
      remember(Object.assign(joined, { code: code.toUpperCase() }));
      showError(null);
      begin();
    } catch (error) { showError(error); }
  }

  function begin() {
    $("join").classList.add("hidden");
    $("play").classList.remove("hidden");
    $("me").textContent = `you are ${seat.label}`;
    document.body.dataset.label = seat.label;
    poll();
    clearInterval(timer);
    timer = setInterval(poll, 1000);
  }

  async function poll() {
    if (!seat || sending) return;
    try {
      const s = await api(`/api/sessions/${seat.session}/seats/${seat.label}`, { headers: headers() });
      showError(null);
      draw(s);
    } catch (error) {
      if (error.status === 403 || error.status === 404) {   // the seat is not ours any more: join again
        clearInterval(timer);
        remember(null);
        $("play").classList.add("hidden");
        $("join").classList.remove("hidden");
      }
      showError(error);
    }
  }

  async function choose(choice) {
    if (!state || state.status !== "choose" || sending) return;
    sending = true;
    for (const b of document.querySelectorAll("#choices button")) b.disabled = true;
    try {
      const s = await api(`/api/sessions/${seat.session}/seats/${seat.label}/choice`, {
        method: "POST", headers: headers(), body: { match: state.match, round: state.round, choice } });
      showError(null);
      sending = false;
      draw(s);
    } catch (error) {
      sending = false;
      showError(error);
      poll();
    }
  }

  const WORDS = {
    waiting: "Waiting for the teacher to start a match…",
    chosen: "Waiting for your partner…",
    substitute: "You were away: a strategy played this round for you. You are back from the next round.",
    left: "Your alliance is closed for this match. Wait for the next one.",
    "match over": "This match is over. Wait for the teacher to start the next one.",
    ended: "The session has ended. Thank you for playing!",
  };

  function draw(s) {
    state = s;
    const group = s.group_size > 2;
    document.body.dataset.status = s.status;
    document.body.dataset.round = s.round ?? "";
    document.body.dataset.match = s.match ?? "";
    let text = WORDS[s.status] || "";
    if (s.status === "choose") text = `Match ${s.match}, round ${s.round}: your move.`;
    if (s.status === "chosen") text = `Match ${s.match}, round ${s.round}: you chose ${s.chosen}. ` +
      (group ? "Waiting for your group…" : "Waiting for your partner…");
    $("status").textContent = text;
    for (const b of document.querySelectorAll("#choices button")) {
      b.disabled = s.status !== "choose";
      if (b.dataset.choice === "LEAVE") b.classList.toggle("hidden", !s.exit_allowed);
    }
    $("partner-head").textContent = group ? "group" : "partner";
    $("partner-word").textContent = group ? "the others lack" : "partner lacks";
    if (s.stakes) {
      levels = Math.max(levels, s.stakes.you, s.stakes.partner, 1);
      $("stakes-box").classList.remove("hidden");
      $("stakes-you").style.width = `${100 * s.stakes.you / levels}%`;
      $("stakes-partner").style.width = `${100 * s.stakes.partner / levels}%`;
      $("stakes-you-n").textContent = s.stakes.you;
      $("stakes-partner-n").textContent = fmt(s.stakes.partner, group ? 1 : 0);
      $("power").textContent = fmt(s.power, group ? 1 : 0);
    }
    $("match-total").textContent = fmt(s.match_total, 1);
    $("total").textContent = fmt(s.total, 1);
    $("history").querySelector("tbody").replaceChildren(...s.history.slice().reverse().map(h => el("tr", {},
      el("td", { text: h.round }), el("td", { class: h.you[0], text: h.substitute ? `${h.you} (away)` : h.you }),
      el("td", { class: h.partner[0], text: h.partner }), el("td", { class: "num", text: fmt(h.payoff, 2) }))));
    $("earlier").replaceChildren(...(s.matches.length ? [el("h3", { text: "Earlier matches" }),
      ...s.matches.map(m => el("p", { text: `Match ${m.match}: ${m.rounds} rounds, total ${fmt(m.total, 1)}` }))] : []));
  }

  function init() {
    $("join-form").addEventListener("submit", join);
    for (const b of document.querySelectorAll("#choices button")) {
      b.addEventListener("click", () => choose(b.dataset.choice));
    }
    const code = new URLSearchParams(location.search).get("code");
    if (code) $("code").value = code;
    const saved = localStorage.getItem(KEY);
    if (saved) {
      try { seat = JSON.parse(saved); } catch (e) { seat = null; }
    }
    // a saved seat is resumed (the same token takes the seat back), unless the link is for another session
    if (seat && seat.token && seat.session && seat.label && (!code || code.toUpperCase() === seat.code)) begin();
  }

  init();
})();
