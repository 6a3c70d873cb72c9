// Loaded by index.html, deferred, before PyScript's core.js (deferred and module scripts run in
// document order, so this listens before PyScript starts):
//   <script defer src="static/js/loading.js"></script>
// The loading note says how far start-up has got, from PyScript's "py:progress" events: Python
// is downloading, then starting (the long part), then the lab is starting. A step of the bar
// and a sentence each, and no endless animation: a spinning indicator kept the browser drawing
// frames all through start-up, and on a 2-core machine without a GPU Python started ~0.6 s
// (~10%) later with it than with it stopped by prefers-reduced-motion (probes, not `make
// bench`). static/py/main.py hides the note once the lab is ready. If the page's Python cannot
// be unpacked (static/js/pyodide-snapshot.mjs: "nn:python-failed"), the note says so instead.
// Its sentences are in the page's language, chosen as static/js/language.js guesses it (the
// link's `lang`, else the browser's first language the lab speaks; en-XA and others: English),
// before Python and its catalogues are there; the first is index.html's own loading text
// (tests/unit/test_i18n.py checks them against the catalogues' languages).
(() => {
  "use strict";

  const SENTENCES = {
    en: [
      "Downloading Python to your browser…",
      "Starting Python (it takes a few seconds)…",
      "Starting the lab…",
      "The lab could not load its Python. Reload the page; if that does not help, tell whoever runs this site (the browser's console says what went wrong).",
    ],
    de: [
      "Python wird in deinen Browser geladen…",
      "Python startet (das dauert ein paar Sekunden)…",
      "Das Labor startet…",
      "Das Labor konnte sein Python nicht laden. Lade die Seite neu; hilft das nicht, sag es den Betreibern dieser Seite (die Konsole des Browsers sagt, was schiefging).",
    ],
    es: [
      "Descargando Python en tu navegador…",
      "Iniciando Python (tarda unos segundos)…",
      "Iniciando el laboratorio…",
      "El laboratorio no pudo cargar su Python. Recarga la página; si no sirve, avisa a quien gestiona este sitio (la consola del navegador dice qué falló).",
    ],
  };
  const linked = new URLSearchParams(location.search).get("lang");
  const tags = linked && linked.trim() ? [linked] : navigator.languages || [navigator.language];
  const primary = (tag) => String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
  const spoken = tags.map(primary).find((tag) => Object.hasOwn(SENTENCES, tag)) || "en";
  const said = SENTENCES[spoken];
  const STEPS = {
    "Loading interpreter": [1, said[1]],
    "Loaded Pyodide": [2, said[2]],
  };
  const first = document.getElementById("loading-text");
  if (first && spoken !== "en") {
    first.textContent = said[0];
    first.lang = spoken; // shown now (lab.css hides index.html's English until then)
  }

  // static/js/pyodide-snapshot.mjs could not unpack the page's Python: the page cannot start
  addEventListener("nn:python-failed", () => {
    const note = document.getElementById("loading");
    const text = document.getElementById("loading-text");
    const bar = document.getElementById("loading-progress");
    if (!note || !text) return;
    text.textContent = said[3];
    note.classList.add("error"); // lab.css: an error's colours
    note.setAttribute("role", "alert");
    if (bar) bar.hidden = true;
  });
  addEventListener("py:progress", ({ detail }) => {
    const step = STEPS[detail];
    const bar = document.getElementById("loading-progress");
    const text = document.getElementById("loading-text");
    if (!step || !bar || !text) return;
    [bar.value, text.textContent] = step;
  });
})();
