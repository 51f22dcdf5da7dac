// innerpace's service worker: it keeps the phone page's shell (no journal data) so the page
// opens while the computer is asleep. It never keeps anything the computer answers to /api/.
"use strict";

var SHELL = "innerpace-shell-v1";
var FILES = ["/", "/static/phone.js", "/static/phone.css", "/static/phone-icon.svg",
  "/static/phone-icon-192.png", "/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(FILES);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) {
          return name !== SHELL;
        }).map(function (name) {
          return caches.delete(name);
        })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  var url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  var path = url.pathname;
  if (FILES.indexOf(path) === -1) {
    return; // /api/, /pair, /authority…: always the network
  }
  // The shell from the cache at once (the computer may be asleep), refreshed when it answers.
  event.respondWith(
    caches.open(SHELL).then(function (cache) {
      return cache.match(path).then(function (cached) {
        var fresh = fetch(event.request).then(function (response) {
          if (response.ok) {
            cache.put(path, response.clone());
          }
          return response;
        });
        if (cached) {
          fresh.catch(function () {});
          return cached;
        }
        return fresh;
      });
    })
  );
});
