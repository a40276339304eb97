/* 质监通: small behaviours that used to be inline scripts (the Content-Security-Policy allows no inline script).
   - [data-autosubmit] selects (the language switch) and the public search's group/province/city selects submit
     their form when changed;
   - the result entry form derives the overall verdict live and moves with Enter / sets verdicts with 1 and 2. */
(function () {
  "use strict";

  function setUpAutosubmit() {
    var selector = "[data-autosubmit], .search-form select[name=product_group], " +
      ".search-form select[name=province], .search-form select[name=city]";
    document.querySelectorAll(selector).forEach(function (el) {
      el.addEventListener("change", function () {
        if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
      });
    });
  }

  function setUpResultEntry() {
    var form = document.querySelector("form[data-result-form]");
    var labels = document.getElementById("verdict-labels");
    if (!form || !labels) return;
    var LABELS = {pass: labels.dataset.pass, fail: labels.dataset.fail, "": labels.dataset.pending};
    function verdicts() {
      return Array.prototype.map.call(form.querySelectorAll("select[data-item-verdict]"), function (s) { return s.value; });
    }
    function derive(values) {
      if (values.indexOf("fail") >= 0) return "fail";
      if (values.length && values.every(function (v) { return v === "pass"; })) return "pass";
      return "";
    }
    function refresh() {
      var v = derive(verdicts());
      var badge = document.getElementById("live-verdict");
      if (!badge) return;
      badge.textContent = LABELS[v];
      badge.className = "badge " + (v || "pending");
    }
    function fields() {
      return Array.prototype.filter.call(
        form.querySelectorAll("input:not([type=hidden]), select, textarea, button[type=submit]"),
        function (el) { return !el.disabled; });
    }
    form.addEventListener("keydown", function (event) {
      var el = event.target;
      if (el.matches("select[data-item-verdict]") && (event.key === "1" || event.key === "2")) {
        el.value = event.key === "1" ? "pass" : "fail";
        el.dispatchEvent(new Event("change", {bubbles: true}));
        event.preventDefault();
        return;
      }
      // Enter moves to the next field; only the save button submits.
      if (event.key === "Enter" && el.tagName !== "TEXTAREA" && el.type !== "submit") {
        event.preventDefault();
        var list = fields();
        var next = list[list.indexOf(el) + 1];
        if (next) next.focus();
      }
    });
    form.addEventListener("change", refresh);
    refresh();
  }

  function ready() {
    setUpAutosubmit();
    setUpResultEntry();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
