/* innerpace reflection editor: keeps a draft of what is typed, so nothing is lost.
 *
 * Every few seconds while typing, and when the page is hidden or closed, the text is sent to
 * the draft address given in the form's data-draft-url (with the CSRF token as a header): the
 * draft lives on the journal's own computer. Only while the server can't be reached does this
 * browser keep a copy (localStorage), and that copy is removed as soon as the server has the
 * words. "Leave it for now" first hands the words to the server, then leaves nothing behind.
 * No inline code: everything comes from data-* attributes.
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 3000;
  var RETRY_EVERY_MS = 5000;
  var form = document.getElementById("reflection-form");
  if (!form) {
    return;
  }
  var area = document.getElementById("reflection-text");
  var status = document.getElementById("draft-status");
  var offer = document.getElementById("local-copy");
  var restoreButton = document.getElementById("local-restore");
  var dropButton = document.getElementById("local-drop");
  var leave = document.getElementById("leave-for-now");
  var url = form.getAttribute("data-draft-url");
  var storeKey = "innerpace-draft:" + form.getAttribute("data-draft-key");
  var serverTs = Number(form.getAttribute("data-saved-ts") || "0");
  var csrf = form.elements.namedItem("csrf").value;
  var confirmed = area.value; /* what the server is known to hold */
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
      /* storage full or switched off: the page itself still holds the words */
    }
  }

  function forgetLocal() {
    try {
      window.localStorage.removeItem(storeKey);
    } catch (err) {
      /* nothing to forget */
    }
  }

  /* The server now holds ``text``, sent at ``sentAt``: a browser copy that is these words, or
   * older than them, has done its job. (A newer copy from elsewhere waits for the person.) */
  function forgetLocalUpTo(sentAt, text) {
    var local = readLocal();
    if (local && (local.text === text || Number(local.ts) <= sentAt)) {
      forgetLocal();
    }
  }

  function body(text) {
    var params = new URLSearchParams();
    params.set("text", text);
    params.set("run", form.elements.namedItem("run").value);
    params.set("prompt", form.elements.namedItem("prompt").value);
    return params;
  }

  function schedule(ms) {
    if (timer === null) {
      timer = window.setTimeout(save, ms);
    }
  }

  /* Send the words; resolves true when the server holds exactly them. */
  function save() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
    var text = area.value;
    if (inflight) {
      return inflight.then(function () {
        return area.value === confirmed ? true : save();
      });
    }
    if (text === confirmed) {
      return Promise.resolve(true);
    }
    var sentAt = Date.now();
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
        confirmed = text;
        serverTs = answer.ts || Date.now();
        forgetLocalUpTo(sentAt, text);
        say("Draft kept at " + answer.at + ". Nothing you type here is lost.");
        return true;
      })
      .catch(function () {
        keepLocal(text);
        say("The draft could not be saved just now; this browser keeps a copy until it can.");
        schedule(RETRY_EVERY_MS);
        return false;
      })
      .finally(function () {
        inflight = null;
      });
    return inflight;
  }

  area.addEventListener("input", function () {
    schedule(SAVE_EVERY_MS);
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save();
    }
  });
  window.addEventListener("pagehide", function () {
    if (submitting) {
      return;
    }
    if (area.value !== confirmed) {
      keepLocal(area.value); /* the page is going; the server may not answer in time */
    }
    save();
  });

  if (leave) {
    leave.addEventListener("click", function (event) {
      event.preventDefault();
      var target = leave.getAttribute("href");
      save().then(function (held) {
        if (held) {
          forgetLocal();
        }
        submitting = held;
        window.location.assign(target);
      });
    });
  }

  form.addEventListener("submit", function (event) {
    if (submitting) {
      return;
    }
    event.preventDefault();
    save().then(function (held) {
      if (held) {
        forgetLocal();
      }
      submitting = true;
      form.submit();
    });
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
    if (dropButton) {
      dropButton.addEventListener("click", function () {
        forgetLocal();
        offer.hidden = true;
        say("The copy this browser held is gone; the draft saved here stays.");
      });
    }
  } else if (local) {
    forgetLocal(); /* the server already holds these words (or newer ones) */
  }
})();
