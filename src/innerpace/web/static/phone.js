// innerpace on the phone: the ten-second check-in, a moment, a few words, WHO-5.
//
// Nothing is lost on a bad connection. Every entry goes first into an outbox with the time it
// was made and an id of its own; the outbox sends when it can (the server keeps an entry once
// per id, so sending twice is harmless) and forgets each entry as soon as the computer has it.
// With a secure context the outbox is IndexedDB (it survives closing the page); without one
// (the certificate warning was accepted instead) it lives in this page's memory while it is open.
(function () {
  "use strict";

  var DB = "innerpace-outbox";
  var STORE = "entries";
  var RETRY_MS = 15000;
  var outbox = null; // {all, put, remove, persistent}
  var csrf = "";
  var sending = false;
  var unpaired = false;
  var lastProblem = "";
  var whenTouched = false;

  function $(id) {
    return document.getElementById(id);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  // -- the outbox -----------------------------------------------------------------------------
  function memoryOutbox() {
    var entries = {};
    return {
      persistent: false,
      all: function () {
        return Promise.resolve(
          Object.keys(entries).map(function (k) {
            return entries[k];
          })
        );
      },
      put: function (entry) {
        entries[entry.client_id] = entry;
        return Promise.resolve();
      },
      remove: function (id) {
        delete entries[id];
        return Promise.resolve();
      },
    };
  }

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function indexedOutbox() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      opening.onerror = function () {
        reject(opening.error);
      };
      opening.onsuccess = function () {
        var db = opening.result;
        function store(mode) {
          return db.transaction(STORE, mode).objectStore(STORE);
        }
        resolve({
          persistent: true,
          all: function () {
            return request(store("readonly").getAll());
          },
          put: function (entry) {
            return new Promise(function (done, fail) {
              var tx = db.transaction(STORE, "readwrite");
              tx.objectStore(STORE).put(entry);
              tx.oncomplete = function () {
                done();
              };
              tx.onerror = function () {
                fail(tx.error);
              };
            });
          },
          remove: function (id) {
            return new Promise(function (done, fail) {
              var tx = db.transaction(STORE, "readwrite");
              tx.objectStore(STORE).delete(id);
              tx.oncomplete = function () {
                done();
              };
              tx.onerror = function () {
                fail(tx.error);
              };
            });
          },
        });
      };
    });
  }

  function openOutbox() {
    if (window.isSecureContext && window.indexedDB) {
      return indexedOutbox().catch(function () {
        return memoryOutbox();
      });
    }
    return Promise.resolve(memoryOutbox());
  }

  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  function showOutbox() {
    return outbox.all().then(function (entries) {
      var waiting = entries.filter(function (e) {
        return !e.refused;
      });
      var refused = entries.filter(function (e) {
        return e.refused;
      });
      var line = $("outbox");
      var text;
      if (unpaired) {
        text = "This phone is no longer paired with innerpace.";
        if (entries.length) {
          text += " " + entries.length + " " + plural(entries.length, "entry stays", "entries stay") +
            " here until you pair it again.";
        }
      } else if (!waiting.length) {
        text = "Everything is on the computer.";
      } else {
        text = waiting.length + " " + plural(waiting.length, "entry is", "entries are") +
          " waiting on this phone and will go when the computer answers.";
        if (!outbox.persistent) {
          text += " Keep this page open until then.";
        }
      }
      if (refused.length) {
        text += " The computer could not keep " + refused.length + " " +
          plural(refused.length, "entry", "entries") + ": " + refused[0].refused;
      }
      line.textContent = text;
      line.dataset.waiting = String(waiting.length);
      line.className = "outbox" + (waiting.length ? " outbox-waiting" : "");
    });
  }

  // -- talking to the computer -----------------------------------------------------------------
  function loadState() {
    return fetch("/api/state", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 403) {
        unpaired = true;
        throw new Error("unpaired");
      }
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      unpaired = false;
      return response.json().then(function (state) {
        csrf = state.csrf;
        showRuns(state.runs);
        suggestWhen(state.suggested_when);
        $("wellbeing-due").hidden = !state.wellbeing_due;
        return state;
      });
    });
  }

  function sendOne(entry) {
    var body = {};
    Object.keys(entry).forEach(function (k) {
      if (k !== "refused") {
        body[k] = entry[k];
      }
    });
    return fetch("/api/entries", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.status === 403) {
        unpaired = true;
        throw new Error("unpaired");
      }
      if (response.ok) {
        return response.json().then(function (result) {
          if (result.card) {
            showSupport(result.card);
          }
          return outbox.remove(entry.client_id);
        });
      }
      if (response.status === 422 || response.status === 404 || response.status === 400) {
        return response.json().then(function (result) {
          entry.refused = result.message || "it was refused";
          return outbox.put(entry);
        });
      }
      throw new Error("status " + response.status);
    });
  }

  function flush() {
    if (sending || !outbox) {
      return Promise.resolve();
    }
    sending = true;
    return loadState()
      .then(function () {
        return outbox.all();
      })
      .then(function (entries) {
        var queue = entries
          .filter(function (e) {
            return !e.refused;
          })
          .sort(function (a, b) {
            return a.made_at < b.made_at ? -1 : a.made_at > b.made_at ? 1 : 0;
          });
        var chain = Promise.resolve();
        queue.forEach(function (entry) {
          chain = chain.then(function () {
            return sendOne(entry);
          });
        });
        return chain;
      })
      .then(function () {
        lastProblem = "";
      })
      .catch(function (error) {
        lastProblem = String(error);
      })
      .then(function () {
        sending = false;
        return showOutbox();
      });
  }

  function keep(entry) {
    entry.client_id = newId();
    entry.made_at = new Date().toISOString();
    return outbox
      .put(entry)
      .then(showOutbox)
      .then(function () {
        flush();
      });
  }

  // -- the page -------------------------------------------------------------------------------
  function said(text) {
    var line = $("saved");
    line.textContent = text;
    line.hidden = false;
  }

  function showRuns(runs) {
    var select = $("run-choice");
    var chosen = select.value;
    while (select.options.length > 1) {
      select.remove(1);
    }
    runs.forEach(function (run) {
      var option = document.createElement("option");
      option.value = String(run.id);
      option.textContent = run.day + ", " + run.time + " · " + run.title + (run.has_after ? " (has an after check-in)" : "");
      select.appendChild(option);
    });
    select.value = chosen;
  }

  // "After a run" when a run ended in the last three hours, as on the computer's Today page;
  // never over a choice the person already made.
  function suggestWhen(when) {
    if (whenTouched || !when) {
      return;
    }
    var input = document.querySelector('#checkin-form input[name="when"][value="' + when + '"]');
    if (input) {
      input.checked = true;
      $("run-field").hidden = when !== "after";
    }
  }

  function showSupport(card) {
    var aside = $("support");
    aside.textContent = "";
    function add(tag, text, cls) {
      var node = document.createElement(tag);
      node.textContent = text;
      if (cls) {
        node.className = cls;
      }
      aside.appendChild(node);
      return node;
    }
    add("h2", card.title);
    add("p", card.body);
    if (card.heading) {
      add("h3", card.heading);
    }
    if (card.contacts && card.contacts.length) {
      var list = add("ul", "", "contacts");
      card.contacts.forEach(function (contact) {
        var item = document.createElement("li");
        var name = document.createElement("strong");
        name.textContent = contact.name;
        item.appendChild(name);
        item.appendChild(document.createTextNode(": " + contact.how + " "));
        if (contact.tel) {
          var link = document.createElement("a");
          link.href = contact.tel;
          link.className = "contact-number";
          link.textContent = contact.number;
          item.appendChild(link);
        } else {
          var number = document.createElement("span");
          number.className = "contact-number";
          number.textContent = contact.number;
          item.appendChild(number);
        }
        list.appendChild(item);
      });
    } else if (card.none) {
      add("p", card.none);
    }
    add("p", card.emergency, "emergency");
    add("p", card.note, "quiet");
    aside.className = "support-card" + (card.level === "prominent" ? " support-prominent" : "");
    aside.hidden = false;
    aside.scrollIntoView({ block: "start" });
  }

  function chosen(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function showTab(name) {
    document.querySelectorAll(".tab").forEach(function (tab) {
      tab.setAttribute("aria-pressed", tab.dataset.tab === name ? "true" : "false");
    });
    document.querySelectorAll(".panel").forEach(function (panel) {
      panel.hidden = panel.id !== "tab-" + name;
    });
    $("saved").hidden = true;
  }

  function wire() {
    document.querySelectorAll(".tab").forEach(function (tab) {
      tab.addEventListener("click", function () {
        showTab(tab.dataset.tab);
      });
    });
    var checkin = $("checkin-form");
    checkin.addEventListener("change", function (event) {
      if (event.target.name === "when") {
        whenTouched = true;
      }
      var when = chosen(checkin, "when");
      $("run-field").hidden = when !== "after";
    });
    checkin.addEventListener("submit", function (event) {
      event.preventDefault();
      var when = chosen(checkin, "when");
      var entry = {
        kind: "checkin",
        when: when,
        feeling: Number(chosen(checkin, "feeling")),
        arousal: chosen(checkin, "arousal") ? Number(chosen(checkin, "arousal")) : null,
        note: $("checkin-note").value,
      };
      if (when === "after" && $("run-choice").value) {
        entry.run_id = Number($("run-choice").value);
      }
      keep(entry).then(function () {
        checkin.reset();
        whenTouched = false;
        $("run-field").hidden = true;
        said(
          when === "before" ? "Saved. Whatever you are carrying, it can come along."
            : when === "after" ? "Saved. Thank you for checking in after your run."
            : "Saved. Rest days belong in the journal too."
        );
        window.scrollTo(0, 0);
      });
    });
    var moment = $("moment-form");
    moment.addEventListener("submit", function (event) {
      event.preventDefault();
      var tags = Array.prototype.map.call(moment.querySelectorAll('input[name="tag"]:checked'), function (i) {
        return i.value;
      });
      var note = $("moment-note").value;
      if (!tags.length && !note.trim()) {
        said("A moment needs a tag or a few words.");
        return;
      }
      keep({ kind: "moment", tags: tags, note: note }).then(function () {
        moment.reset();
        said("Moment marked at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      });
    });
    var words = $("words-form");
    words.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = $("words-text").value;
      if (!text.trim()) {
        said("There are no words to keep yet.");
        return;
      }
      keep({ kind: "reflection", text: text }).then(function () {
        words.reset();
        said("Your words are kept.");
      });
    });
    var who5 = $("wellbeing-form");
    who5.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = Array.prototype.map.call(who5.querySelectorAll("fieldset"), function (set) {
        var input = set.querySelector("input:checked");
        return input ? Number(input.value) : null;
      });
      keep({ kind: "wellbeing", answers: answers }).then(function () {
        who5.reset();
        $("wellbeing-due").hidden = true;
        said("Saved. Thank you for taking a moment for these five questions.");
      });
    });
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        flush();
      }
    });
    window.setInterval(flush, RETRY_MS);
  }

  function start() {
    wire();
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    }
    openOutbox().then(function (box) {
      outbox = box;
      window.innerpaceOutbox = box; // for a look from the browser's console
      showOutbox().then(flush);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
