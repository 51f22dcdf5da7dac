/* innerpace reflection editor: keeps a draft of what is typed, so nothing is lost.
 *
 * Every few seconds while typing, and when the page is hidden or closed, the text is sent to
 * the draft address given in the form's data-draft-url (with the CSRF token as a header). A copy
 * is also kept in this browser's localStorage; when that copy is newer than the one the server
 * holds, the page offers to bring it back. No inline code: everything comes from data-* attributes.
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 3000;
  var form = document.getElementById("reflection-form");
  if (!form) {
    return;
  }
  var area = document.getElementById("reflection-text");
  var status = document.getElementById("draft-status");
  var offer = document.getElementById("local-copy");
  var restoreButton = document.getElementById("local-restore");
  var url = form.getAttribute("data-draft-url");
  var storeKey = "innerpace-draft:" + form.getAttribute("data-draft-key");
  var serverTs = Number(form.getAttribute("data-saved-ts") || "0");
  var csrf = form.elements.namedItem("csrf").value;
  var lastSent = area.value;
  var timer = null;
  var inflight = null;
  var submitting = false;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function readLocal() {
    try {
      var raw = window.localStorage.getItem(storeKey);
      return raw ? JSON.parse(raw) : null;
    } catch (err) {
      return null;
    }
  }

  function keepLocal(text) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify({ text: text, ts: Date.now() }));
    } catch (err) {
      /* storage full or switched off: the server copy still holds */
    }
  }

  function forgetLocal() {
    try {
      window.localStorage.removeItem(storeKey);
    } catch (err) {
      /* nothing to forget */
    }
  }

  function body(text) {
    var params = new URLSearchParams();
    params.set("text", text);
    params.set("run", form.elements.namedItem("run").value);
    params.set("prompt", form.elements.namedItem("prompt").value);
    return params;
  }

  function save() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    var text = area.value;
    if (submitting || text === lastSent) {
      return inflight || Promise.resolve();
    }
    lastSent = text;
    inflight = window
      .fetch(url, {
        method: "POST",
        body: body(text),
        headers: { "X-CSRF-Token": csrf },
        credentials: "same-origin",
        keepalive: true,
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        serverTs = answer.ts || Date.now();
        say("Draft kept at " + answer.at + ". Nothing you type here is lost.");
      })
      .catch(function () {
        lastSent = null;
        say("The draft could not be saved just now; this browser keeps a copy meanwhile.");
      })
      .finally(function () {
        inflight = null;
      });
    return inflight;
  }

  area.addEventListener("input", function () {
    keepLocal(area.value);
    if (timer === null) {
      timer = window.setTimeout(save, SAVE_EVERY_MS);
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save();
    }
  });
  window.addEventListener("pagehide", function () {
    save();
  });

  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    submitting = true;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    forgetLocal();
    if (inflight) {
      event.preventDefault();
      inflight.then(function () {
        form.submit();
      });
    }
  });

  var local = readLocal();
  if (local && local.text && local.text !== area.value && local.ts > serverTs && offer) {
    offer.hidden = false;
    restoreButton.addEventListener("click", function () {
      area.value = local.text;
      offer.hidden = true;
      say("The newer copy from this browser is back.");
      save();
      area.focus();
    });
  } else if (local && local.text === area.value) {
    forgetLocal();
  }
})();
