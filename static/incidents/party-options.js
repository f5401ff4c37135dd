// The war room's reassign, add-task, role and link-a-risk forms: the page carries the teams and
// people to choose from once, in <template id="party-options">, and each form's choices are
// filled in from it when it is opened (a board of twenty tasks would otherwise repeat the whole
// list forty times). The risks a commander may link are asked for from the server when that form
// is first opened (data-options-url), not carried by every war room: a register has thousands.
(function () {
  "use strict";
  var choices = document.getElementById("party-options");
  var people = document.getElementById("people-options");

  function fillFrom(form, selector, template) {
    if (!template) return;
    form.querySelectorAll(selector).forEach(function (select) {
      if (select.options.length > 1) return;
      select.appendChild(template.content.cloneNode(true));
    });
  }

  function fetchInto(form) {
    form.querySelectorAll("select[data-options-url]").forEach(function (select) {
      if (select.dataset.optionsAsked) return;
      select.dataset.optionsAsked = "yes";
      fetch(select.dataset.optionsUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) { select.insertAdjacentHTML("beforeend", html); })
        .catch(function () { delete select.dataset.optionsAsked; });
    });
  }

  function fill(form) {
    fillFrom(form, "select[data-party-options]", choices);
    fillFrom(form, "select[data-people-options]", people);
    fetchInto(form);
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.open) fill(event.target);
  }, true);
})();
