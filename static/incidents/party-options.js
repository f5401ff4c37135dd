// The war room's reassign forms: the page carries the teams and people to choose from once, in
// <template id="party-options">, and each form's choices are filled in from it when it is opened
// (a board of twenty tasks would otherwise repeat the whole list forty times).
(function () {
  "use strict";
  var choices = document.getElementById("party-options");
  if (!choices) return;

  function fill(form) {
    form.querySelectorAll("select[data-party-options]").forEach(function (select) {
      if (select.options.length > 1) return;
      select.appendChild(choices.content.cloneNode(true));
    });
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.open) fill(event.target);
  }, true);
})();
