// The war room's reassign, add-task and role forms: the page carries the teams and people to choose from once, in
// <template id="party-options">, and each form's choices are filled in from it when it is opened
// (a board of twenty tasks would otherwise repeat the whole list forty times).
(function () {
  "use strict";
  var choices = document.getElementById("party-options");
  var people = document.getElementById("people-options");
  if (!choices) return;

  function fillFrom(form, selector, template) {
    if (!template) return;
    form.querySelectorAll(selector).forEach(function (select) {
      if (select.options.length > 1) return;
      select.appendChild(template.content.cloneNode(true));
    });
  }

  function fill(form) {
    fillFrom(form, "select[data-party-options]", choices);
    fillFrom(form, "select[data-people-options]", people);
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.open) fill(event.target);
  }, true);
})();
