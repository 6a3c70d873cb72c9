// nn lab: size embedded labs to their content. On the course page, give each lab's iframe the
// attribute data-nn-lab and include this script once:
//   <iframe data-nn-lab src="https://example.edu/nn/?embed=1" title="nn lab"
//           style="width:100%;max-width:960px;height:520px;border:0"></iframe>
//   <script src="https://example.edu/nn/static/js/embed-host.js" defer></script>
// It says hello to each lab (for that lab's origin only) until the lab answers with its height,
// then sets the iframe's height whenever the lab's changes. Without it, a lab scrolls inside
// its iframe. It reads only {source: "nn-lab", type: "height"} from the iframe it sized.
(() => {
  "use strict";
  const labs = () => [...document.querySelectorAll("iframe[data-nn-lab]")];
  const originOf = (frame) => new URL(frame.src, location.href).origin;
  const answered = new WeakSet();

  addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.source !== "nn-lab" || data.type !== "height") return;
    for (const frame of labs()) {
      if (event.source !== frame.contentWindow || event.origin !== originOf(frame)) continue;
      const height = Number(data.height);
      if (Number.isFinite(height)) {
        frame.style.height = `${Math.min(Math.max(Math.round(height), 200), 5000)}px`;
        answered.add(frame);
      }
    }
  });

  let tries = 0;
  const hello = () => {
    const waiting = labs().filter((frame) => !answered.has(frame) && frame.contentWindow);
    for (const frame of waiting) {
      frame.contentWindow.postMessage({ source: "nn-host", type: "hello" }, originOf(frame));
    }
    if (waiting.length && ++tries < 120) setTimeout(hello, 1000); // the lab starts in seconds
  };
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", hello);
  else hello();
})();
