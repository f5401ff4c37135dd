/* The matrix editor's live preview: every change to a label, a colour, a grid cell or the appetite
 * redraws the matrix as raters will see it (the same drawing as the rating picker), paints each grid
 * select in its level's colour and renames the levels in the selects. The server's Preview checks
 * the version before it can be saved. */
(function () {
  "use strict";

  var editor = document.querySelector("[data-matrix-editor]");
  if (!editor) return;
  var preview = editor.querySelector("[data-matrix-preview]");
  var language = editor.dataset.language === "zh" ? "zh" : "en";
  var levels = preview.dataset.levels.split(" ");
  var paint = window.RiskOpsMatrix.paint;

  function value(id) {
    var field = document.getElementById(id);
    return field ? field.value.trim() : "";
  }

  function label(key) {
    return value("id_level_" + key + "_" + language) || value("id_level_" + key + "_" + (language === "zh" ? "en" : "zh"));
  }

  function redraw() {
    var appetite = levels.indexOf(value("id_appetite"));
    preview.querySelectorAll("button.cell").forEach(function (cell) {
      var l = cell.dataset.likelihood;
      var i = cell.dataset.impact;
      var key = value("id_grid_" + l + "_" + i);
      var name = label(key);
      cell.className = "cell level-" + key + (levels.indexOf(key) > appetite ? " above-appetite" : "");
      cell.dataset.level = name;
      cell.dataset.color = value("id_level_" + key + "_color");
      cell.setAttribute("aria-label", preview.dataset.cellWords.replace("{l}", l).replace("{i}", i).replace("{level}", name));
      paint(cell, cell.dataset.color);
    });
    preview.querySelectorAll("[data-likelihood-label]").forEach(function (header) {
      header.title = value("id_likelihood_" + header.dataset.likelihoodLabel + "_" + language);
    });
    preview.querySelectorAll("[data-impact-label]").forEach(function (header) {
      header.title = value("id_impact_" + header.dataset.impactLabel + "_" + language);
    });
    preview.querySelectorAll("[data-legend]").forEach(function (badge) {
      badge.textContent = label(badge.dataset.legend);
      paint(badge, value("id_level_" + badge.dataset.legend + "_color"));
    });
    editor.querySelectorAll(".matrix-grid select, #id_appetite").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.textContent = label(option.value);
      });
      if (select.id !== "id_appetite") paint(select, value("id_level_" + select.value + "_color"));
    });
  }

  editor.addEventListener("input", redraw);
  editor.addEventListener("change", redraw);
  redraw();
})();
