// Loaded by index.html, deferred, before PyScript's core.js (deferred and module scripts run in
// document order, so this listens before PyScript starts):
//   <script defer src="static/js/loading.js"></script>
// The loading note says how far start-up has got, from PyScript's "py:progress" events: Python
// is downloading, then starting (the long part), then the lab is starting. A step of the bar
// and a sentence each, and no endless animation: a spinning indicator kept the browser drawing
// frames all through start-up, and on a 2-core machine without a GPU Python started ~0.6 s
// (~10%) later with it than with it stopped by prefers-reduced-motion (probes, not `make
// bench`). static/py/main.py hides the note once the lab is ready.
(() => {
  "use strict";

  const STEPS = {
    "Loading interpreter": [1, "Starting Python (it takes a few seconds)…"],
    "Loaded Pyodide": [2, "Starting the lab…"],
  };

  addEventListener("py:progress", ({ detail }) => {
    const step = STEPS[detail];
    const bar = document.getElementById("loading-progress");
    const text = document.getElementById("loading-text");
    if (!step || !bar || !text) return;
    [bar.value, text.textContent] = step;
  });
})();
