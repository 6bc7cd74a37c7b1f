/* Tandem's own script: small enhancements on top of pages that work without it. */
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The menu folds into a button on narrow screens; without this script it stays open.
  const toggle = document.getElementById("nav-toggle");
  const menu = document.getElementById("main-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }
});

// Browsers skip autofocus when the address names a section (#sessions), as a failed form's does:
// the error summary then takes the focus once the page is shown.
window.addEventListener("load", () => {
  const summary = document.querySelector(".error-summary[autofocus]");
  if (summary && document.activeElement !== summary) summary.focus();
});

// A link in an error summary puts the focus in its field, not just the field in view.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".error-summary a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  }
});
