/* Rating by clicking the matrix: each [data-rating-picker] sets its rating's likelihood and impact
 * selects from the cell clicked, and shows the score, the level and whether it is above the
 * appetite, in the colour of the level (static/risks/matrix.js, loaded before); choosing in the
 * selects moves the highlighted cell too. */
(function () {
  "use strict";

  document.querySelectorAll("[data-rating-picker]").forEach(function (picker) {
    var likelihood = document.getElementById(picker.dataset.likelihood);
    var impact = document.getElementById(picker.dataset.impact);
    var result = picker.querySelector("[data-rating-result]");
    if (!likelihood || !impact) return;

    function show() {
      var chosen = null;
      picker.querySelectorAll("button.cell").forEach(function (cell) {
        var on = cell.dataset.likelihood === likelihood.value && cell.dataset.impact === impact.value;
        cell.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) chosen = cell;
      });
      result.textContent = chosen
        ? chosen.dataset.likelihood + " × " + chosen.dataset.impact + " = " + chosen.dataset.score + " · " +
          chosen.dataset.level + " · " +
          (chosen.classList.contains("above-appetite") ? picker.dataset.wordsAbove : picker.dataset.wordsWithin)
        : "";
      result.className = "rating-picker-result" + (chosen ? " " + chosen.className.replace("cell ", "") : "");
      window.RiskOpsMatrix.paint(result, chosen ? chosen.dataset.color : "");
    }

    picker.addEventListener("click", function (event) {
      var cell = event.target.closest("button.cell");
      if (!cell) return;
      likelihood.value = cell.dataset.likelihood;
      impact.value = cell.dataset.impact;
      [likelihood, impact].forEach(function (select) {
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show();
    });
    likelihood.addEventListener("change", show);
    impact.addEventListener("change", show);
    show();
  });
})();
