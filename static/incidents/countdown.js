// Countdowns and elapsed times that tick in the browser, from ISO times in data- attributes.
// [data-countdown="<iso>"]: "in 1h 02m" before, then "5m ago" (or "5m overdue" with data-past="overdue"),
// times data-scale (a drill's clock rate: what a person reads is plan time).
// [data-elapsed-since="<iso>"]: time since then (until data-elapsed-until, if set), times data-scale.
// <progress data-progress-since="<iso>" data-progress-from="<s>" data-progress-to="<s>">: how much of
// that window of plan time (seconds since the iso time, times data-scale) has passed.
(function () {
  "use strict";
  var words = (document.getElementById("countdown-words") || { dataset: {} }).dataset;

  function span(seconds) {
    seconds = Math.floor(Math.abs(seconds));
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    if (d) return d + (words.d || "d") + " " + h + (words.h || "h");
    if (h) return h + (words.h || "h") + " " + pad(m) + (words.m || "m");
    if (m) return m + (words.m || "m") + " " + pad(s) + (words.s || "s");
    return s + (words.s || "s");
  }

  function phrase(template, time) {
    return (template || "{time}").replace("{time}", time);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = ((Date.parse(el.dataset.countdown) - now) / 1000) * (Number(el.dataset.scale) || 1);
      var past = left <= 0;
      el.textContent = past
        ? phrase(el.dataset.past === "overdue" ? words.overdue : words.ago, span(left))
        : phrase(words.in, span(left));
      el.classList.toggle("past", past);
      el.classList.toggle("soon", !past && left < 600);
    });
    document.querySelectorAll("[data-elapsed-since]").forEach(function (el) {
      var until = el.dataset.elapsedUntil ? Date.parse(el.dataset.elapsedUntil) : now;
      var seconds = Math.max(0, (until - Date.parse(el.dataset.elapsedSince)) / 1000);
      el.textContent = span(seconds * (Number(el.dataset.scale) || 1));
    });
    document.querySelectorAll("progress[data-progress-since]").forEach(function (el) {
      var elapsed = ((now - Date.parse(el.dataset.progressSince)) / 1000) * (Number(el.dataset.scale) || 1);
      var from = Number(el.dataset.progressFrom), to = Number(el.dataset.progressTo);
      el.value = Math.min(Math.max((elapsed - from) / (to - from), 0), 1);
    });
  }

  // Pages that render a part again (the dashboard) tick its clocks at once.
  window.RiskOpsClocks = { tick: tick };
  tick();
  setInterval(tick, 1000);
})();
