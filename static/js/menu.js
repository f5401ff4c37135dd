// On a phone the navigation and the account fold into the top bar's "Menu" button.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  var bar = toggle.closest(".topbar");
  toggle.addEventListener("click", function () {
    var open = bar.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
