/* 质监通: small behaviours that used to be inline scripts (the Content-Security-Policy allows no inline script).
   - [data-autosubmit] selects (the language switch) and the public search's group/province/city selects submit
     their form when changed;
   - the result entry form derives the overall verdict live and moves with Enter / sets verdicts with 1 and 2;
   - wide data tables collapse into cards on phones. */
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

  // Data tables of four columns or more read as one card per row on phones (static/css/app.css, table.data.cards):
  // each cell gets its column's header as data-label unless the template gave one. A table with a spanning
  // header, or marked data-no-cards, is left as a table that scrolls inside its card.
  function setUpCardTables() {
    document.querySelectorAll("table.data:not(.cards):not([data-no-cards])").forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head || table.tHead.rows.length > 1 || head.cells.length < 4) return;
      var labels = [];
      for (var i = 0; i < head.cells.length; i++) {
        if (head.cells[i].colSpan > 1) return;
        labels.push(head.cells[i].textContent.trim());
      }
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
              cell.setAttribute("data-label", labels[column]);
            }
            column += cell.colSpan;
          });
        });
      });
      table.classList.add("cards");
    });
  }

  function ready() {
    setUpAutosubmit();
    setUpResultEntry();
    setUpCardTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
