/* The KRI form: shows only the settings of the rule kind chosen, and puts the rule in words beside
 * the fields as they change (the words come from the server, in the reader's language). */
(function () {
  "use strict";

  var form = document.querySelector("form[data-rule-words-url]");
  if (!form) return;
  var RULE_FIELDS = ["direction", "rule_type", "amber", "red", "count", "baseline", "either_way"];
  var words = form.querySelector("[data-rule-words]");
  var kind = form.elements.rule_type;
  var timer = null;
  var asked = 0;

  function showKinds() {
    form.querySelectorAll("[data-rule-kinds]").forEach(function (field) {
      field.hidden = field.dataset.ruleKinds.split(" ").indexOf(kind.value) < 0;
    });
  }

  function explain() {
    var query = new URLSearchParams();
    RULE_FIELDS.forEach(function (name) {
      var input = form.elements[name];
      if (!input) return;
      if (input.type === "checkbox") {
        if (input.checked) query.set(name, "on");
      } else {
        query.set(name, input.value);
      }
    });
    var mine = ++asked;
    fetch(form.dataset.ruleWordsUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && mine === asked) words.innerHTML = html;
      });
  }

  function changed(event) {
    if (RULE_FIELDS.indexOf(event.target.name) < 0) return;
    showKinds();
    clearTimeout(timer);
    timer = setTimeout(explain, 200);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  showKinds();
})();
