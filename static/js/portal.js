/* What every page needs (loaded by base.html before any page script):
 * - window.zi.csrfToken(): the CSRF token for a script's own POST (the one htmx sends, else
 *   the cookie);
 * - steps that cannot be taken back ask first: a form with data-confirm="question" is sent
 *   only when the person answers yes (the question is rendered, translated, by Django). */
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
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
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
})();
