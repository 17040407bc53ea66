// Progressive enhancement only: every page works without this file.
(function () {
  // Times are shown in the viewer's zone: tell the server which one (read on the next page).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('mailgov-tz=' + encodeURIComponent(zone)) < 0) {
      document.cookie = 'mailgov-tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* older browsers: UTC */ }

  // A request being applied: refresh its status block until it is done.
  document.addEventListener('DOMContentLoaded', function () {
    var block = document.querySelector('[data-poll]');
    if (!block) { return; }
    var timer = setInterval(function () {
      fetch(block.getAttribute('data-poll'), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var next = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-status]');
          if (!next) { return; }
          block.innerHTML = next.innerHTML;
          // Done: reload once so the whole page (decision, revision) shows the final state.
          if (!next.hasAttribute('data-poll')) { clearInterval(timer); window.location.reload(); }
        })
        .catch(function () { /* try again on the next tick */ });
    }, 2000);
  });
})();
