/* LKE worksheet autosave: nothing a person types is lost.
 *
 * Every change to an answer form (form[data-autosave]) is first kept in localStorage, then
 * sent: a choice at once, typing after a short pause, and everything still waiting at once
 * when the person clicks a tab, a link or a button, submits, or leaves the page (fetch with
 * keepalive, which outlives the page). A change stays in localStorage until the server has
 * answered for it, so a reload, a crash or a dropped connection loses nothing: drafts are put
 * back into their forms and sent again, and while the connection is down they are retried by
 * themselves with a growing pause (and at once when the browser is back online).
 *
 * The server answers with the item's card: 200 saved, 422 refused (the reason is on the
 * card, the saved answer is unchanged), 409 someone else saved first (both values shown),
 * 403 not allowed. Each card shows its own state; a banner counts the changes not saved yet,
 * and leaving the page with some asks first. Without JavaScript the forms post normally.
 * Texts come from data-msg-* attributes on #worksheet, rendered (translated) by Django.
 */
(function () {
  "use strict";
  var root = document.getElementById("worksheet");
  if (!root || window.ziWorksheetAutosave) {
    return;
  }
  window.ziWorksheetAutosave = true;

  var KEY = "zi:drafts:" + root.dataset.assessment + ":" + root.dataset.layer;
  var TYPING_PAUSE = 600; // ms after the last keystroke
  var RETRY_MIN = 1000;
  var RETRY_MAX = 30000;
  var drafts = load(); // question pk -> {url, fields: [[name, value]], at, state}
  var timers = {};
  var inflight = {};
  var retryDelay = RETRY_MIN;
  var retryTimer = null;

  function msg(key, n) {
    var text = root.dataset[key] || "";
    return n === undefined ? text : text.replace("{n}", String(n));
  }

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (ignored) {
      return {};
    }
  }

  function store() {
    try {
      if (Object.keys(drafts).length) {
        window.localStorage.setItem(KEY, JSON.stringify(drafts));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (ignored) {
      /* storage full or disabled: the in-memory drafts are still sent */
    }
  }

  function csrfToken() {
    return window.zi.csrfToken();
  }

  function formFor(pk) {
    return document.querySelector('form[data-autosave][data-question="' + pk + '"]');
  }

  function setState(pk, state, detail) {
    var form = formFor(pk);
    if (!form) {
      return;
    }
    var box = form.querySelector("[data-save-state]");
    if (!box) {
      return;
    }
    box.dataset.saveState = state;
    var words = {
      pending: msg("msgPending"),
      saving: msg("msgSaving"),
      retrying: msg("msgRetrying"),
    }[state];
    box.textContent = detail || words || "";
    box.className = /retrying|refused/.test(state) ? "text-danger" : "text-muted";
  }

  function banner() {
    var count = Object.keys(drafts).length;
    var box = document.getElementById("unsaved-banner");
    if (!box) {
      return;
    }
    box.hidden = count === 0;
    var offline = Object.keys(drafts).some(function (pk) {
      return drafts[pk].state === "retrying";
    });
    box.textContent = count
      ? msg(count === 1 ? "msgUnsavedOne" : "msgUnsavedOther", count) +
        (offline ? " " + msg("msgOffline") : "")
      : "";
  }

  function fields(form) {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        out.push([name, String(value)]);
      }
    });
    return out;
  }

  function remember(form) {
    var pk = form.dataset.question;
    drafts[pk] = { url: form.action, fields: fields(form), at: Date.now(), state: "pending" };
    store();
    setState(pk, "pending");
    banner();
    return pk;
  }

  function schedule(pk, delay) {
    window.clearTimeout(timers[pk]);
    timers[pk] = window.setTimeout(function () {
      delete timers[pk];
      send(pk, false);
    }, delay);
  }

  function flush(keepalive) {
    Object.keys(drafts).forEach(function (pk) {
      window.clearTimeout(timers[pk]);
      delete timers[pk];
      if (!inflight[pk]) {
        send(pk, keepalive);
      }
    });
  }

  function retryLater() {
    if (retryTimer) {
      return;
    }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush(false);
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX);
  }

  function send(pk, keepalive) {
    var draft = drafts[pk];
    if (!draft || inflight[pk]) {
      return;
    }
    inflight[pk] = draft.at;
    draft.state = "saving";
    setState(pk, "saving");
    var body = new URLSearchParams();
    draft.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    window
      .fetch(draft.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: {
          "HX-Request": "true",
          "X-CSRFToken": csrfToken(),
          "X-ZI-Autosave": "1",
        },
      })
      .then(function (response) {
        if (response.status >= 500 || response.status === 429 || response.status === 0) {
          throw new Error("retry");
        }
        return response.text().then(function (html) {
          answered(pk, draft, response.status, html);
        });
      })
      .catch(function () {
        delete inflight[pk];
        if (drafts[pk]) {
          drafts[pk].state = "retrying";
          store();
          setState(pk, "retrying");
          banner();
        }
        retryLater();
      });
  }

  function answered(pk, sent, status, html) {
    delete inflight[pk];
    retryDelay = RETRY_MIN;
    var card = document.getElementById("q-" + pk);
    var fresh = document.createElement("div");
    fresh.innerHTML = html.trim();
    var next = fresh.firstElementChild;
    var current = drafts[pk];
    if (current && current.at !== sent.at) {
      // Typed again while this one was on its way: keep the newer text, send it on top of
      // the revision the server has now.
      var revision = next && next.querySelector('input[name="revision"]');
      if (status === 200 && revision) {
        current.fields = current.fields.map(function (pair) {
          return pair[0] === "revision" ? ["revision", revision.value] : pair;
        });
        var form = formFor(pk);
        var mine = form && form.querySelector('input[name="revision"]');
        if (mine) {
          mine.value = revision.value;
        }
      }
      store();
      send(pk, false);
      return;
    }
    delete drafts[pk];
    store();
    banner();
    if (!next || next.id !== "q-" + pk) {
      // Not the item's card (a 403 page, a login page after the session ended): the change
      // was not saved and retrying will not help.
      setState(pk, "refused", msg("msgForbidden"));
      return;
    }
    progress(next);
    if (card) {
      // The person may already be in another field of this card (a second count): keep the
      // focus there, or what they type next would land in the card just replaced.
      var active = document.activeElement;
      var focused = active && active.name && card.contains(active) ? active : null;
      card.replaceWith(next);
      if (window.htmx) {
        window.htmx.process(next);
      }
      if (focused) {
        refocus(next, focused);
      }
      document.dispatchEvent(new CustomEvent("zi:answer-saved", { detail: { status: status } }));
    }
  }

  function refocus(card, old) {
    var same = Array.prototype.find.call(card.querySelectorAll("[name]"), function (el) {
      return el.name === old.name && (old.type !== "radio" || el.value === old.value);
    });
    if (!same) {
      return;
    }
    same.focus();
    if (typeof old.selectionStart === "number" && same.value === old.value) {
      try {
        same.setSelectionRange(old.selectionStart, old.selectionEnd);
      } catch (error) {
        /* not a text field */
      }
    }
  }

  function fill(pk) {
    var form = formFor(pk);
    if (form) {
      var values = {};
      drafts[pk].fields.forEach(function (pair) {
        values[pair[0]] = pair[1];
      });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken") {
          return;
        }
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = values[el.name] === el.value;
        } else if (el.name in values) {
          el.value = values[el.name];
        }
      });
    }
    setState(pk, drafts[pk].state === "retrying" ? "retrying" : "pending");
  }

  // The tab bar's counts after a save (a <template data-tab-progress> in the card).
  function progress(card) {
    var data = card.querySelector("template[data-tab-progress]");
    if (!data) {
      return;
    }
    Array.prototype.forEach.call(data.content.children, function (item) {
      var tab = document.querySelector('#worksheet-tab a[data-tab="' + item.dataset.tab + '"]');
      if (!tab) {
        return;
      }
      var count = tab.querySelector(".tab-count");
      var bar = tab.querySelector(".progress");
      var fill = tab.querySelector(".progress-bar");
      if (count) {
        count.textContent = item.dataset.answered + "/" + item.dataset.total;
      }
      if (bar && fill) {
        bar.setAttribute("aria-valuenow", item.dataset.percent);
        fill.className = fill.className.replace(/w-pct-\d+/, "w-pct-" + item.dataset.percent);
      }
    });
  }

  function restore() {
    Object.keys(drafts).forEach(fill);
    banner();
    flush(false);
  }

  root.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form) {
      return;
    }
    var pk = remember(form);
    var choice = event.target.type === "radio" || event.target.tagName === "SELECT";
    schedule(pk, choice ? 0 : TYPING_PAUSE);
  });

  root.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) {
      schedule(remember(form), 0); // left the field: send now
    }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (form) {
      event.preventDefault();
      send(remember(form), false);
    }
  });

  // Anything that may take the person elsewhere (a tab, a filter, a link, a button) sends what
  // is waiting first, before its own click handlers run.
  document.addEventListener(
    "click",
    function (event) {
      if (event.target.closest && event.target.closest("a, button")) {
        flush(true);
      }
    },
    true
  );
  document.addEventListener(
    "submit",
    function (event) {
      if (!(event.target.closest && event.target.closest("form[data-autosave]"))) {
        flush(true);
      }
    },
    true
  );
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush(true);
    }
  });
  window.addEventListener("pagehide", function () {
    flush(true);
  });
  window.addEventListener("online", function () {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    retryDelay = RETRY_MIN;
    flush(false);
  });
  window.addEventListener("beforeunload", function (event) {
    flush(true);
    var waiting = Object.keys(drafts).some(function (pk) {
      return drafts[pk].state === "retrying" || !inflight[pk];
    });
    if (waiting) {
      event.preventDefault();
      event.returnValue = msg("msgLeave");
      return msg("msgLeave");
    }
    return undefined;
  });
  // A tab, a filter or an item swapped in by htmx (after a comment, a return mark, a bulk
  // action): show what is still waiting for its items.
  document.body.addEventListener("htmx:afterSwap", function () {
    Object.keys(drafts).forEach(function (pk) {
      if (formFor(pk)) {
        fill(pk);
      }
    });
    banner();
  });

  // A bulk action (accept an area, judge its evidence) waits until every change typed before
  // it has reached the server, so it never races a save of the same item.
  function whenSaved() {
    return new Promise(function (resolve) {
      var tries = 0;
      (function check() {
        var waiting = Object.keys(drafts).some(function (pk) {
          return drafts[pk].state !== "retrying";
        });
        if (!waiting || tries > 150) {
          resolve();
        } else {
          tries += 1;
          window.setTimeout(check, 100);
        }
      })();
    });
  }
  document.body.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.closest || !elt.closest("[data-after-saves]")) {
      return;
    }
    if (!Object.keys(drafts).length) {
      return;
    }
    event.preventDefault();
    flush(false);
    whenSaved().then(function () {
      event.detail.issueRequest(true);
    });
  });

  // j / k: the next / previous item, for reviewers going through a tab by keyboard.
  var TYPING = "input:not([type=radio]):not([type=checkbox]), textarea, select, [contenteditable]";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== "j" && event.key !== "k")) {
      return;
    }
    if (event.target.closest && event.target.closest(TYPING)) {
      return;
    }
    var cards = Array.prototype.slice.call(root.querySelectorAll("article[id^='q-']"));
    if (!cards.length) {
      return;
    }
    var active = document.activeElement;
    var current = active && active.closest ? active.closest("article[id^='q-']") : null;
    var at = cards.indexOf(current);
    var next = at < 0 ? 0 : Math.max(0, Math.min(cards.length - 1, at + (event.key === "j" ? 1 : -1)));
    event.preventDefault();
    cards[next].focus();
    cards[next].scrollIntoView({ block: "start" });
  });

  restore();
})();
