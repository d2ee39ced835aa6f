/* What every page needs (loaded by base.html before any page script):
 * - window.zi.csrfToken(): the CSRF token for a script's own POST (the one htmx sends, else
 *   the cookie);
 * - steps that cannot be taken back ask first: a form with data-confirm="question" is sent
 *   only when the person answers yes (the question is rendered, translated, by Django);
 * - forms are checked by the portal, not by the browser: its translated messages instead of the
 *   browser's own bubbles (a required field, an address), with what was typed kept;
 * - a strip that scrolls sideways on a phone (.scroll-strip: page tabs, area tabs) shows its
 *   active entry, also after htmx swapped it in. */
(function () {
  "use strict";
  window.zi = window.zi || {};

  window.zi.csrfToken = function () {
    var raw = document.body.getAttribute("hx-headers");
    if (raw) {
      try {
        var headers = JSON.parse(raw);
        if (headers["X-CSRFToken"]) {
          return headers["X-CSRFToken"];
        }
      } catch (ignored) {
        /* fall through to the cookie */
      }
    }
    /* __Host-zi_csrf under HTTPS (settings: production), Django's csrftoken in local http */
    var match = document.cookie.match(/(?:^|;\s*)(?:__Host-zi_csrf|csrftoken)=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var question = form && form.dataset && form.dataset.confirm;
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  function showActive(root) {
    var strips = (root || document).querySelectorAll(".scroll-strip");
    Array.prototype.forEach.call(strips, function (strip) {
      var active = strip.querySelector(".active");
      if (active && strip.scrollWidth > strip.clientWidth) {
        strip.scrollLeft = Math.max(0, active.offsetLeft - strip.offsetLeft - 16);
      }
    });
  }
  function portalChecks(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("form"), function (form) {
      form.noValidate = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    showActive(document);
    portalChecks(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var parent = event.detail && event.detail.elt && event.detail.elt.parentNode;
    showActive(parent);
    portalChecks(parent);
  });
})();
