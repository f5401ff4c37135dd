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

  /* The heat map card: the open risks per cell, the first few named, inherent or residual. */
  function words(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  function link(href, text, title) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (title) a.title = title;
    return a;
  }

  function heatmapCell(box, heatmap, cell) {
    var td = document.createElement("td");
    td.className = "level-" + cell.level + (cell.count ? "" : " empty");
    var filtered = box.dataset.registerUrl + "?rating=" + heatmap.rating +
      "&likelihood=" + cell.likelihood + "&impact=" + cell.impact;
    var count = link(filtered, cell.count, words(box.dataset.labelCell, cell));
    count.className = "cell-count";
    td.appendChild(count);
    if (!cell.risks.length) return td;
    var names = document.createElement("ul");
    names.className = "cell-risks";
    cell.risks.forEach(function (risk) {
      names.appendChild(document.createElement("li")).appendChild(
        link(box.dataset.riskUrl.replace(/0\/$/, risk.id + "/"), risk.ref, risk.title));
    });
    if (cell.count > cell.risks.length) {
      var more = link(filtered, words(box.dataset.labelMore, { count: cell.count - cell.risks.length }));
      more.className = "more";
      names.appendChild(document.createElement("li")).appendChild(more);
    }
    td.appendChild(names);
    return td;
  }

  function drawHeatmap(box) {
    var rating = box.dataset.rating || "inherent";
    fetch(box.dataset.heatmapUrl + "?rating=" + rating, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (heatmap) {
        if (heatmap.rating !== (box.dataset.rating || "inherent")) return;  // switched since asked
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
        var shown = heatmap.rating === "residual" ? "labelResidual" : "labelInherent";
        table.createCaption().textContent = box.dataset[shown];
        var body = table.createTBody();
        likelihoods.forEach(function (likelihood, row) {
          var tr = body.insertRow();
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
            tr.appendChild(heatmapCell(box, heatmap, byCell[likelihood + ":" + impact]));
          });
        });
        var foot = body.insertRow();
        foot.appendChild(document.createElement("th"));
        foot.appendChild(document.createElement("th"));
        impacts.forEach(function (impact) {
          var th = document.createElement("th");
          th.textContent = impact;
          foot.appendChild(th);
        });
        var axisRow = body.insertRow();
        axisRow.appendChild(document.createElement("th"));
        axisRow.appendChild(document.createElement("th"));
        var label = document.createElement("th");
        label.colSpan = impacts.length;
        label.textContent = box.dataset.labelImpact;
        axisRow.appendChild(label);
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

  function switchHeatmap(box) {
    var buttons = box.closest(".heatmap-card").querySelectorAll("[data-heatmap-rating]");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        box.dataset.rating = button.dataset.heatmapRating;
        buttons.forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        drawHeatmap(box);
      });
    });
  }

  if (part) {
    window.RiskOpsLive.subscribe(part.dataset.liveStream, { onEvent: schedule, onStatus: showStatus });
  }

  document.querySelectorAll("[data-heatmap]").forEach(function (box) {
    switchHeatmap(box);
    drawHeatmap(box);
    setInterval(function () { drawHeatmap(box); }, HEATMAP_EVERY_MS);
  });
})();
