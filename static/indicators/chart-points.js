/* A KRI's chart: pointing at a reading, or moving to it with the keyboard, says under the chart why
 * it has its colour (the same words as the point's tooltip and the readings table). */
(function () {
  "use strict";

  document.querySelectorAll("[data-kri-chart]").forEach(function (chart) {
    var caption = chart.querySelector("[data-point-reason]");
    function show(event) {
      var point = event.target.closest(".point");
      if (!point) return;
      caption.textContent = point.getAttribute("aria-label");
      caption.className = "point-reason point-reason-" + point.dataset.band;
    }
    chart.addEventListener("mouseover", show);
    chart.addEventListener("focusin", show);
  });
})();
