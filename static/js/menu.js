/* 质监通: the phone menu toggle and the labels of card tables. No inline script: loaded from base.html. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js-nav");

  function setUpMenu() {
    var toggle = document.querySelector("[data-nav-toggle]");
    var topbar = document.querySelector(".topbar");
    if (!toggle || !topbar) return;
    toggle.addEventListener("click", function () {
      var open = topbar.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && topbar.classList.contains("nav-open")) {
        topbar.classList.remove("nav-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // A card table whose cells lack data-label takes the labels from its header row, so every
  // list marked `table.data.cards` reads as label: value on a phone.
  function labelCardTables() {
    // The result-entry rows read as cards on phones too (their template stays as it is).
    document.querySelectorAll("table.data.result-items").forEach(function (table) {
      table.classList.add("cards");
    });
    document.querySelectorAll("table.data.cards").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label") && headers[index] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", headers[index]);
          }
        });
      });
    });
  }

  // Desktop: the menu stays on one line. Entries that do not fit move into a “更多” drop-down (priority+
  // navigation); on phones the whole menu is behind the toggle instead, so nothing is moved there.
  function setUpOverflow() {
    var nav = document.getElementById("mainnav");
    var toggle = document.querySelector("[data-nav-toggle]");
    if (!nav) return;
    var more = document.createElement("div");
    more.className = "nav-more";
    more.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-more-button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-haspopup", "true");
    button.textContent = nav.getAttribute("data-more-label") || "更多";
    var panel = document.createElement("div");
    panel.className = "nav-more-panel";
    panel.id = "mainnav-more";
    button.setAttribute("aria-controls", panel.id);
    more.appendChild(button);
    more.appendChild(panel);
    nav.appendChild(more);

    function close() {
      more.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
    }
    button.addEventListener("click", function (event) {
      event.stopPropagation();
      var open = more.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("click", function (event) {
      if (!more.contains(event.target)) close();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && more.classList.contains("open")) {
        close();
        button.focus();
      }
    });

    function fits() {
      var last = more.hidden ? more.previousElementSibling : more;
      if (!last) return true;
      return last.getBoundingClientRect().right <= nav.getBoundingClientRect().right + 1;
    }

    function fit() {
      close();
      while (panel.firstChild) nav.insertBefore(panel.firstChild, more);
      more.hidden = true;
      more.classList.remove("active");
      var phone = toggle && getComputedStyle(toggle).display !== "none";
      if (phone || fits()) return;
      more.hidden = false;
      var links = Array.prototype.filter.call(nav.children, function (el) {
        return el.tagName === "A";
      });
      for (var i = links.length - 1; i > 0 && !fits(); i--) {
        panel.insertBefore(links[i], panel.firstChild);
      }
      if (panel.querySelector("a.active")) more.classList.add("active");
    }

    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(fit, 100);
    });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
    fit();
  }

  function ready() {
    setUpMenu();
    setUpOverflow();
    labelCardTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:afterSwap", labelCardTables);
})();
