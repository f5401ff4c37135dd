// Keeps the war room current. If the live layer (static/live/live.js) is present, every event on
// the incident's stream re-fetches the page's fragments from the server and swaps them in; the
// server stays the one source of truth, so a missed or repeated event does no harm.
(function () {
  "use strict";
  var room = document.querySelector("[data-incident-stream]");
  if (!room) return;
  var words = (document.getElementById("live-words") || { dataset: {} }).dataset;
  var pending = null;
  var deferred = new Set();

  function showStatus(state) {
    var indicator = document.getElementById("live-status");
    if (!indicator) return;
    indicator.dataset.state = state;
    indicator.textContent = words[state] || state;
  }

  function busy(section) {
    // Someone typing or with a form open in this section keeps it until they are done.
    var active = document.activeElement;
    return (active && active !== document.body && section.contains(active)) ||
      section.querySelector("details[open]") !== null;
  }

  function swap(section) {
    if (busy(section)) {
      deferred.add(section);
      return;
    }
    deferred.delete(section);
    fetch(section.dataset.liveFragment, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var state = (document.getElementById("live-status") || { dataset: {} }).dataset.state;
        section.innerHTML = html;
        if (state) showStatus(state);
        if (window.RiskOpsClocks) window.RiskOpsClocks.tick();  // the new part's clocks, at once
      })
      .catch(function () { showStatus("offline"); });
  }

  function refresh() {
    pending = null;
    room.querySelectorAll("[data-live-fragment]").forEach(swap);
  }

  function refreshSoon() {
    // Events come in bursts (a tier change opens several tasks): one fetch per burst.
    if (pending === null) pending = setTimeout(refresh, 150);
  }

  room.addEventListener("focusout", function () {
    setTimeout(function () { deferred.forEach(swap); }, 0);
  });
  room.addEventListener("toggle", function () { deferred.forEach(swap); }, true);

  if (!window.RiskOpsLive || typeof window.RiskOpsLive.subscribe !== "function") {
    showStatus("unavailable");
    return;
  }
  var missed = false;
  window.RiskOpsLive.subscribe(room.dataset.incidentStream, {
    onEvent: function () { refreshSoon(); },
    onStatus: function (state) {
      showStatus(state);
      if (state === "offline") missed = true;
      if (state === "live" && missed) {  // back again: catch up on what happened meanwhile
        missed = false;
        refreshSoon();
      }
    }
  });
})();
