/* A matrix is drawn in its version's colours: every [data-color] element is painted in its colour,
 * its text dark or white, whichever reads better on it. RiskOpsMatrix.paint serves the other
 * scripts (the rating picker's result, the matrix editor's live preview). */
(function () {
  "use strict";

  var COLOR = /^#[0-9a-fA-F]{6}$/;

  function luminance(color) {
    var channels = [1, 3, 5].map(function (at) {
      var value = parseInt(color.substr(at, 2), 16) / 255;
      return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function paint(element, color) {
    var known = COLOR.test(color || "");
    element.style.backgroundColor = known ? color : "";
    // Above this luminance dark text contrasts more than white does.
    element.style.color = known ? (luminance(color) > 0.21 ? "#222" : "#fff") : "";
  }

  window.RiskOpsMatrix = { paint: paint };
  document.querySelectorAll("[data-color]").forEach(function (element) {
    paint(element, element.dataset.color);
  });
})();
