/* Evidence upload (data dukung): several files at once, by drag-and-drop or the file input.
 * One XMLHttpRequest per file (so each gets its own progress bar and its own result), then
 * the list is fetched again and swapped in. Without JavaScript the form posts normally.
 * Texts come from data-msg-* attributes on .evidence-list, rendered (translated) by Django.
 */
(function () {
  "use strict";
  if (window.ziEvidenceUpload) {
    return; // the panel may appear several times on a page; bind the handlers once
  }
  window.ziEvidenceUpload = true;

  var PARALLEL = 3;

  function csrfToken() {
    return window.zi.csrfToken();
  }

  function listOf(form) {
    var panel = form.closest(".evidence-panel");
    return (panel && panel.querySelector(".evidence-list")) || form.closest(".evidence-list");
  }

  function text(list, key) {
    return (list && list.dataset[key]) || "";
  }

  function progressRow(container, file) {
    var row = document.createElement("div");
    row.className = "small mb-1";
    var name = document.createElement("div");
    name.textContent = file.name;
    var outer = document.createElement("div");
    outer.className = "progress";
    outer.setAttribute("role", "progressbar");
    outer.setAttribute("aria-label", file.name);
    outer.setAttribute("aria-valuemin", "0");
    outer.setAttribute("aria-valuemax", "100");
    var bar = document.createElement("div");
    bar.className = "progress-bar";
    bar.style.width = "0%";
    outer.appendChild(bar);
    var status = document.createElement("div");
    status.className = "text-muted";
    row.appendChild(name);
    row.appendChild(outer);
    row.appendChild(status);
    container.appendChild(row);
    return {
      set: function (percent) {
        bar.style.width = percent + "%";
        outer.setAttribute("aria-valuenow", String(percent));
      },
      done: function (ok, message) {
        bar.style.width = "100%";
        bar.classList.add(ok ? "bg-success" : "bg-danger");
        status.className = ok ? "text-success" : "text-danger";
        status.textContent = message;
      },
      note: function (message) {
        status.textContent = message;
      },
    };
  }

  function sendOne(form, file, ui, list) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          ui.set(Math.round((event.loaded / event.total) * 100));
        }
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch (ignored) {
          body = null;
        }
        if (xhr.status === 403) {
          ui.done(false, text(list, "msgForbidden"));
        } else if (xhr.status === 429) {
          ui.done(false, text(list, "msgTooMany"));
        } else if (body && body.accepted && body.accepted.length) {
          ui.done(true, text(list, "msgDone"));
        } else if (body && body.rejected && body.rejected.length) {
          ui.done(false, body.rejected[0].error);
        } else {
          ui.done(false, text(list, "msgFailed"));
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        ui.done(false, text(list, "msgFailed"));
        resolve();
      });
      ui.note(text(list, "msgUploading"));
      xhr.send(data);
    });
  }

  function refresh(list) {
    if (!list || !list.dataset.listUrl) {
      return Promise.resolve();
    }
    return fetch(list.dataset.listUrl, {
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector(".evidence-list");
        if (fresh) {
          list.replaceWith(fresh);
          if (window.htmx) {
            window.htmx.process(fresh);
          }
          syncItem(fresh);
        }
      });
  }

  // Inside a worksheet item, the item's summary line follows its evidence list: the count and
  // the "incomplete" badge change as soon as a file is uploaded, attached or removed.
  function syncItem(list) {
    var item = list && list.closest("[data-evidence]");
    if (!item) {
      return;
    }
    var count = item.querySelector("[data-evidence-count]");
    var missing = item.querySelector("[data-evidence-missing]");
    if (count) {
      count.textContent = list.dataset.count || "0";
    }
    if (missing) {
      missing.hidden = !list.dataset.missing;
    }
    // The card's evidence dictionary entries take the states the refreshed list shows.
    var entries = item.parentNode.querySelector(":scope > ul.evidence-entries");
    var fresh = list.querySelector("ul.evidence-entries");
    if (entries && fresh && entries !== fresh) {
      while (entries.firstChild) {
        entries.removeChild(entries.firstChild);
      }
      Array.prototype.forEach.call(fresh.children, function (li) {
        entries.appendChild(li.cloneNode(true));
      });
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    var list = target && target.querySelector ? target.querySelector(".evidence-list") : null;
    if (!list && target && target.classList && target.classList.contains("evidence-list")) {
      list = target;
    }
    syncItem(list);
  });

  function uploadAll(form, files) {
    var list = listOf(form);
    var container = form.querySelector(".evidence-progress");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = parseInt(text(list, "maxBytes"), 10) || 0;
    container.textContent = "";
    if (!files.length) {
      container.textContent = text(list, "msgNone");
      return;
    }
    var queue = [];
    Array.prototype.forEach.call(files, function (file) {
      var ui = progressRow(container, file);
      if (maxBytes && file.size > maxBytes) {
        ui.done(false, text(list, "msgTooBig")); // the server checks again
      } else {
        queue.push({ file: file, ui: ui });
      }
    });
    if (!queue.length) {
      return;
    }
    if (button) {
      button.disabled = true;
    }
    function worker() {
      var next = queue.shift();
      return next ? sendOne(form, next.file, next.ui, list).then(worker) : Promise.resolve();
    }
    var workers = [];
    for (var i = 0; i < PARALLEL; i += 1) {
      workers.push(worker());
    }
    Promise.all(workers)
      .then(function () {
        var input = form.querySelector("input[type=file]");
        if (input) {
          input.value = "";
        }
        return refresh(list);
      })
      .finally(function () {
        if (button && button.isConnected) {
          button.disabled = false;
        }
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".evidence-upload-form");
    if (!form || !window.FormData) {
      return;
    }
    var input = form.querySelector("input[type=file]");
    event.preventDefault();
    uploadAll(form, input ? input.files : []);
  });

  function zoneOf(event) {
    return event.target.closest ? event.target.closest(".evidence-dropzone") : null;
  }

  document.addEventListener("dragover", function (event) {
    var zone = zoneOf(event);
    if (zone) {
      event.preventDefault();
      zone.classList.add("border-primary");
    }
  });
  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone) {
      zone.classList.remove("border-primary");
    }
  });
  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) {
      return;
    }
    event.preventDefault();
    zone.classList.remove("border-primary");
    var form = zone.closest(".evidence-upload-form");
    if (form && event.dataTransfer && event.dataTransfer.files.length) {
      uploadAll(form, event.dataTransfer.files);
    }
  });
})();
