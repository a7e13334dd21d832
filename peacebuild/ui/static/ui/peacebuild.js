// The narrow-screen navigation (a static file, like shell.js: no inline scripts, so the
// content security policy holds). Without it the navigation simply stays open.
(function () {
  "use strict";
  // On a narrow screen the navigation folds behind the "Menu" button.
  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    document.documentElement.classList.add("nav-js");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
  }
})();
