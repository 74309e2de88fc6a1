// OpenPARS live regions: the one script of the pages (served by the app; CSP script-src 'self'; no build step).
// An element with data-live-stream="/api/v1/streams/…" opens that Server-Sent Events stream (the page session cookie
// authenticates it). When one of its data-live-events arrives, the page is fetched again from the server — the same
// page, the same use case, the same audit — and each [data-live-region] inside the element is replaced by its new
// rendering; data-live-announce is then said in the page's polite status region. Without JavaScript the page is
// complete; it only does not update by itself.
(function () {
  "use strict";

  function refresh(root) {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        root.querySelectorAll("[data-live-region]").forEach(function (region) {
          var name = region.getAttribute("data-live-region");
          var replacement = next.querySelector('[data-live-region="' + name + '"]');
          if (replacement) {
            region.replaceWith(document.importNode(replacement, true));
          }
        });
        var status = document.getElementById("live-status");
        if (status && root.dataset.liveAnnounce) {
          status.textContent = root.dataset.liveAnnounce;
        }
        document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || "0") + 1);
      });
  }

  function watch(root) {
    var source = new EventSource(root.dataset.liveStream);
    var pending = null;
    var kinds = (root.dataset.liveEvents || "").split(/\s+/).filter(Boolean);
    kinds.forEach(function (kind) {
      source.addEventListener(kind, function () {
        // Several events in a burst make one refresh.
        if (pending === null) {
          pending = setTimeout(function () { pending = null; refresh(root).catch(function () { }); }, 150);
        }
      });
    });
    source.addEventListener("open", function () { document.body.dataset.liveOpen = "true"; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-stream]").forEach(watch);
  });
})();
