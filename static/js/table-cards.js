// On a phone each row of a data table is drawn as a card (riskops.css): every cell is labelled
// with its column's header, here, for the rows on the page now and for rows a live update adds.
(function () {
  "use strict";
  function label(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headers.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (cell.colSpan === 1 && headers[index] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headers[index]);
        }
      });
    });
  }
  function labelAll() { document.querySelectorAll("table.data").forEach(label); }
  labelAll();
  new MutationObserver(labelAll).observe(document.querySelector("main") || document.body, {
    childList: true, subtree: true,
  });
})();
