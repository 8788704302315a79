/* The GOV.UK timeout warning. base.html renders a <dialog id="app-timeout-dialog"> for a signed-in
   person, with data attributes saying how many seconds the session has left, how long the idle
   limit is, how long before the end to warn, where "Stay signed in" posts, and where to go when
   the time is up. Each htmx response says how long the session now has (X-Session-Seconds-Left:
   a request renews it at most once a minute), so the clock restarts from what the server says. When time runs out the page goes to the sign-in page, which says why (if the session is
   in fact still alive in another tab, the sign-in page sends the person straight back).
*/
(function () {
  "use strict";

  var dialog = document.getElementById("app-timeout-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var idleSeconds = Number(dialog.dataset.idleSeconds);
  var warningSeconds = Number(dialog.dataset.warningSeconds);
  var countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  var heading = document.getElementById("app-timeout-heading");
  var endsAt = 0;
  var absoluteEndsAt = 0;
  var timer = null;

  function now() {
    return Date.now() / 1000;
  }

  function words(seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    var whole = Math.max(0, Math.ceil(seconds));
    return whole + (whole === 1 ? " second" : " seconds");
  }

  function tick() {
    var left = endsAt - now();
    if (left <= 0) {
      window.location.assign(dialog.dataset.timedOutUrl);
      return;
    }
    if (left <= warningSeconds) {
      countdown.textContent = words(left);
      if (!dialog.open) {
        dialog.showModal();
        heading.focus();
      }
    }
    timer = window.setTimeout(tick, 1000);
  }

  function restart(secondsLeft) {
    endsAt = now() + secondsLeft;
    window.clearTimeout(timer);
    tick();
  }

  function renewed(secondsLeft) {
    // What the server says is left; without it, a full idle limit, never beyond the absolute one.
    var left = Number(secondsLeft);
    restart(secondsLeft && !isNaN(left) ? left : Math.min(idleSeconds, absoluteEndsAt - now()));
  }

  dialog.querySelector(".app-timeout-dialog__stay").addEventListener("click", function () {
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    fetch(dialog.dataset.keepUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("not renewed");
        }
        return response.json();
      })
      .then(function (data) {
        dialog.close();
        restart(data.seconds_left);
      })
      .catch(function () {
        window.location.assign(dialog.dataset.timedOutUrl);
      });
  });

  dialog.addEventListener("cancel", function (event) {
    event.preventDefault(); // Escape does not dismiss it: the person chooses
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful) {
      var xhr = event.detail.xhr;
      renewed(xhr ? xhr.getResponseHeader("X-Session-Seconds-Left") : null);
    }
  });

  absoluteEndsAt = now() + Number(dialog.dataset.absoluteSecondsLeft);
  restart(Number(dialog.dataset.secondsLeft));
})();
