/* htmx and GOV.UK Frontend together. Loaded (deferred) after htmx; base.html's module script
   puts govuk-frontend's initAll on window.GOVUKFrontend.

   - 409 (someone else saved first) and 422 (validation errors) are swapped in like 200: the
     partial explains what to do. 204 swaps nothing. Any other 4xx or 5xx, or no response at all,
     swaps nothing and shows a message at the top of the page instead.
   - After a swap, govuk-frontend is started on the new fragment, and focus moves to its error
     summary or success banner, as it would on a full page load. A <title> in the fragment
     becomes the page's title.
*/
(function () {
  "use strict";

  var REQUEST_ERROR_ID = "app-request-error";
  var REQUEST_ERROR_MESSAGE = "Something went wrong; your changes were not saved. Try again.";
  var FOCUS_ON_SWAP = [".govuk-error-summary", '.govuk-notification-banner[role="alert"]'];

  if (!window.htmx) {
    return;
  }

  htmx.config.historyRestoreAsHxRequest = false;
  // The Content-Security-Policy allows no eval and no inline <style>: htmx is told so, rather
  // than finding out by breaking (no hx-on, no "event[filter]" triggers, no injected styles).
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[23]..", swap: true },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  function initGovukFrontend(fragment) {
    var govuk = window.GOVUKFrontend;
    if (!govuk) {
      return; // a browser govuk-frontend does not support: the page works without it
    }
    // From the parent, so a fragment that is itself a component (an error summary) is found.
    // Components already started elsewhere in that scope are skipped, quietly.
    govuk.initAll({
      scope: fragment.parentElement || fragment,
      onError: function (error) {
        if (error && error.name !== "InitError") {
          console.error(error);
        }
      },
    });
  }

  function firstOf(fragment, selectors) {
    for (var i = 0; i < selectors.length; i++) {
      var selector = selectors[i];
      var found = fragment.matches(selector) ? fragment : fragment.querySelector(selector);
      if (found) {
        return found;
      }
    }
    return null;
  }

  function moveFocusTo(element) {
    if (document.activeElement === element) {
      return;
    }
    if (!element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
      element.addEventListener(
        "blur",
        function () {
          element.removeAttribute("tabindex");
        },
        { once: true },
      );
    }
    element.focus();
  }

  // htmx takes a <title> only from the top level of a response; a partial whose root element is
  // its swap target carries it inside ("Error: ..." when there are errors), so use that one too.
  function useNestedTitle(fragment) {
    var title = fragment.querySelector("title");
    if (title) {
      document.title = title.textContent.trim();
      title.remove();
    }
  }

  function clearRequestError() {
    var box = document.getElementById(REQUEST_ERROR_ID);
    if (box) {
      box.remove();
    }
  }

  function showRequestError() {
    var main = document.getElementById("main-content");
    if (!main) {
      return;
    }
    clearRequestError();
    var box = document.createElement("div");
    box.id = REQUEST_ERROR_ID;
    box.className = "govuk-error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = "There is a problem";
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var message = document.createElement("p");
    message.className = "govuk-body";
    message.textContent = REQUEST_ERROR_MESSAGE;
    body.appendChild(message);
    box.appendChild(title);
    box.appendChild(body);
    main.insertBefore(box, main.firstChild);
    box.focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var fragment = event.target;
    if (!(fragment instanceof Element) || !fragment.isConnected) {
      return;
    }
    clearRequestError();
    useNestedTitle(fragment);
    initGovukFrontend(fragment);
    var focusTarget = firstOf(fragment, FOCUS_ON_SWAP);
    if (focusTarget) {
      moveFocusTo(focusTarget);
    }
  });

  // A form marked data-app-filters-apply-on-change applies its filters as soon as one changes,
  // except a text or search box (typing there applies on Enter or the button). htmx hears this as
  // "app:filters-changed"; an htmx trigger filter would need eval, which the CSP forbids.
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field && field.form;
    if (!form || !form.hasAttribute("data-app-filters-apply-on-change")) {
      return;
    }
    if (field.type === "text" || field.type === "search") {
      return;
    }
    htmx.trigger(form, "app:filters-changed");
  });

  document.addEventListener("htmx:responseError", showRequestError);
  document.addEventListener("htmx:sendError", showRequestError);
})();
