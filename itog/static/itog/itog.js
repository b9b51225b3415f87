/* Itog: the small behaviours of the pages, kept out of the HTML so the Content-Security-Policy can forbid
   inline code. Sizes come from data-* attributes (set through the CSSOM, which the policy allows). */
(function () {
  "use strict";

  function applySizes(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = el.dataset.width + "%"; });
    root.querySelectorAll("[data-left]").forEach(function (el) { el.style.left = el.dataset.left + "%"; });
    root.querySelectorAll("[data-width-px]").forEach(function (el) { el.style.width = el.dataset.widthPx + "px"; });
    root.querySelectorAll("[data-month-px]").forEach(function (el) {
      el.style.setProperty("--month-px", el.dataset.monthPx + "px");
      el.style.setProperty("--months", el.dataset.months);
    });
  }

  // The essay marks form: the overall mark as the expert chooses (the rule is checked again on the server).
  function marksPreview(form) {
    var out = document.getElementById("overall-preview");
    if (!out || form.dataset.previewBound) { return; }
    form.dataset.previewBound = "1";
    var req = JSON.parse(form.dataset.requirements || "[]"), mandatory = JSON.parse(form.dataset.mandatory || "[]");
    var optional = JSON.parse(form.dataset.optional || "[]"), minOpt = parseInt(form.dataset.minOptional || "0", 10);
    function val(code) { var el = form.querySelector("input[name='" + code + "']:checked"); return el ? el.value : null; }
    function update() {
      for (var i = 0; i < req.length; i++) { if (val(req[i]) === "незачет") { out.textContent = "незачет (требование не выполнено)"; return; } }
      var all = req.concat(mandatory, optional);
      for (var j = 0; j < all.length; j++) { if (!val(all[j])) { out.textContent = "—"; return; } }
      var ok = mandatory.every(function (c) { return val(c) === "зачет"; });
      var n = optional.filter(function (c) { return val(c) === "зачет"; }).length;
      out.textContent = (ok && n >= minOpt) ? "зачет" : "незачет";
    }
    form.addEventListener("change", update);
    update();
  }

  function init(root) {
    applySizes(root);
    var marks = root.querySelector ? root.querySelector("#marks-form[data-requirements]") : null;
    if (marks) { marksPreview(marks); }
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target, question = form.dataset ? form.dataset.confirm : null;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
