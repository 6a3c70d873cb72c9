// Loaded by index.html as a classic script BEFORE static/vendor/pyscript/core.js:
//   <script src="static/js/lms-files.js"></script>
// An LMS serves a SCORM package's files through its own handler (`make scorm`), which often
// gives an extension it does not know, such as .wasm, the type application/octet-stream.
// WebAssembly.instantiateStreaming refuses any type but application/wasm, and Pyodide then
// fails to start. Here a response of another type is compiled from its bytes instead: the same
// module, a little later, and no error. Served as it should be, nothing changes.
(() => {
  "use strict";
  const streaming = WebAssembly.instantiateStreaming;
  if (typeof streaming !== "function") return;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    if (type.toLowerCase() === "application/wasm") return streaming.call(WebAssembly, response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  };
})();
