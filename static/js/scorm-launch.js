// The SCORM package's launch page (launch.html, written by `make scorm`: tests/scorm_package.py)
// opens the lab in the same frame, so the LMS's API object stays up the parent chain:
//   <script src="static/js/scorm-launch.js" data-query="scorm=1&embed=1&lesson=notebook"></script>
// A classic script (an LMS serves .js as JavaScript), and the query is the package's own.
(() => {
  "use strict";
  const query = document.currentScript.dataset.query;
  location.replace(`index.html?${query}`);
})();
