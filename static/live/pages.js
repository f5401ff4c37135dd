/* Pages that update themselves (dashboard, team now): the live part is rendered again by the
 * server whenever the stream says something changed (clocks tick in incidents/countdown.js), the
 * connection indicator tells the state, and the dashboard draws the register's heat map. */
(function () {
  "use strict";

  var part = document.querySelector("[data-live-part]");
  var indicator = document.querySelector("[data-live-indicator]");
  var REFRESH_DELAY_MS = 80;
  var HEATMAP_EVERY_MS = 60000;

  function showStatus(state) {
    if (!indicator) return;
    var words = indicator.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)];
    indicator.dataset.state = state;
    indicator.querySelector(".label").textContent = words;
    indicator.title = words;
  }

  var scheduled = null;
  var loading = false;
  var loadAgain = false;

  function refresh() {
    if (loading) { loadAgain = true; return; }
    loading = true;
    fetch(location.pathname + "?part=live", { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { replacePart(html); part.dataset.refreshedAt = Date.now(); })
      .catch(function () { loadAgain = true; })
      .finally(function () {
        loading = false;
        if (loadAgain) { loadAgain = false; schedule(); }
      });
  }

  // What a person opened (the drills apart) stays open when the part is rendered again.
  function replacePart(html) {
    var open = [];
    part.querySelectorAll("details[data-keep-open][open]").forEach(function (el) { open.push(el.dataset.keepOpen); });
    part.innerHTML = html;
    open.forEach(function (key) {
      var el = part.querySelector('details[data-keep-open="' + key + '"]');
      if (el) el.open = true;
    });
    if (window.RiskOpsClocks) window.RiskOpsClocks.tick();
  }

  function schedule() {
    if (!scheduled) scheduled = setTimeout(function () { scheduled = null; refresh(); }, REFRESH_DELAY_MS);
  }

  function drawHeatmap(box) {
    fetch(box.dataset.heatmapUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (heatmap) {
        var likelihoods = [], impacts = [], byCell = {};
        heatmap.cells.forEach(function (cell) {
          if (likelihoods.indexOf(cell.likelihood) < 0) likelihoods.push(cell.likelihood);
          if (impacts.indexOf(cell.impact) < 0) impacts.push(cell.impact);
          byCell[cell.likelihood + ":" + cell.impact] = cell;
        });
        likelihoods.sort(function (a, b) { return b - a; });
        impacts.sort(function (a, b) { return a - b; });
        var table = document.createElement("table");
        table.className = "live-heatmap";
        likelihoods.forEach(function (likelihood, row) {
          var tr = table.insertRow();
          if (row === 0) {
            var axis = document.createElement("th");
            axis.rowSpan = likelihoods.length;
            axis.className = "axis";
            axis.textContent = box.dataset.labelLikelihood;
            tr.appendChild(axis);
          }
          var head = document.createElement("th");
          head.textContent = likelihood;
          tr.appendChild(head);
          impacts.forEach(function (impact) {
            var cell = byCell[likelihood + ":" + impact];
            var td = tr.insertCell();
            td.className = "level-" + cell.level + (cell.count ? "" : " empty");
            td.textContent = cell.count;
          });
        });
        var foot = table.insertRow();
        foot.appendChild(document.createElement("th"));
        foot.appendChild(document.createElement("th"));
        impacts.forEach(function (impact) {
          var th = document.createElement("th");
          th.textContent = impact;
          foot.appendChild(th);
        });
        var caption = table.insertRow();
        caption.appendChild(document.createElement("th"));
        caption.appendChild(document.createElement("th"));
        var label = document.createElement("th");
        label.colSpan = impacts.length;
        label.textContent = box.dataset.labelImpact;
        caption.appendChild(label);
        box.replaceChildren(table);
        if (!heatmap.total) {
          var empty = document.createElement("p");
          empty.className = "muted";
          empty.textContent = box.dataset.labelEmpty;
          box.appendChild(empty);
        }
      })
      .catch(function () { /* drawn again at the next interval */ });
  }

  if (part) {
    window.RiskOpsLive.subscribe(part.dataset.liveStream, { onEvent: schedule, onStatus: showStatus });
  }

  document.querySelectorAll("[data-heatmap]").forEach(function (box) {
    drawHeatmap(box);
    setInterval(function () { drawHeatmap(box); }, HEATMAP_EVERY_MS);
  });
})();
