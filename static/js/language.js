// Loaded by index.html in its head, before the page is drawn:
//   <script src="static/js/language.js"></script>
// A page that will speak another language than English (its link's `lang`, else the browser's
// first language the lab speaks) keeps its text hidden until Python has put index.html's
// text into that language (static/py/page/language.py removes the class): no flash of
// English. Python decides the language (core/i18n.py); this only guesses whether it will be
// English. The languages below are nn.i18n.LANGUAGES (tests/unit/test_i18n.py checks it).
(() => {
  "use strict";

  const LANGUAGES = ["en", "de", "es"];
  const linked = new URLSearchParams(location.search).get("lang");
  const tags = linked && linked.trim() ? [linked] : navigator.languages || [navigator.language];
  const primary = (tag) => String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
  const spoken = tags.map(primary).find((tag) => LANGUAGES.includes(tag)) || "en";
  if (spoken === "en" && !(linked && linked.trim())) return;
  if (spoken !== "en" || linked.trim().toLowerCase() === "en-xa") {
    document.documentElement.classList.add("lang-pending");
    // never hidden for good, even if Python does not start
    setTimeout(() => document.documentElement.classList.remove("lang-pending"), 30000);
  }
})();
