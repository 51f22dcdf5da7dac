// Pairing: the one-time code rides in the link's fragment (never sent in a request line).
// It is taken out of the address bar at once, so it does not stay in the history, and is sent
// only in the body of one same-origin POST.
(function () {
  "use strict";
  var code = window.location.hash.slice(1);
  if (code) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var form = document.getElementById("pair-form");
  var status = document.getElementById("pair-status");
  var intro = document.getElementById("pair-intro");
  if (!form || !code) {
    return;
  }
  intro.textContent = "Give this phone a name, so you can tell it apart in Settings on the computer.";
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var name = document.getElementById("device-name").value;
    status.textContent = "Pairing…";
    fetch("/pair", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: code, name: name }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        code = "";
        if (result.ok) {
          status.textContent = "Paired.";
          window.location.replace("/authority");
        } else {
          form.hidden = true;
          status.textContent = result.body.message || "Pairing did not work. Show a new code on the computer.";
        }
      })
      .catch(function () {
        status.textContent = "The computer did not answer. Check that the phone is on the same Wi-Fi, then try again.";
      });
  });
})();
