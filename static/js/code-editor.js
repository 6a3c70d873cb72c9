// The Code panel's editor: CodeMirror 6 as @pyscript/core bundles it (static/vendor/codemirror.js,
// written by `make vendor`), with Python highlighting, line numbers and a mark for the line an
// error points at. Tab is left to move between controls (keyboard users must be able to leave
// the editor): Ctrl+] and Ctrl+[ indent and dedent, and Enter keeps the indentation. The page's Python imports this module when the lab is ready (it is not
// needed to start) and drives it through the small object `create` returns.

import {
  EditorView, basicSetup, EditorState, StateEffect, StateField, Transaction, python, view, language,
} from "../vendor/codemirror.js";

// Decoration is exported by the bundle under a short name only: find it by what it does.
const Decoration = Object.values(view).find(
  (value) => typeof value?.line === "function" && typeof value?.mark === "function" && "none" in value,
);

// indentUnit too (its default is two spaces): Python's blocks here are indented by four.
const indentUnit = Object.values(language).find(
  (value) => typeof value?.of === "function" && value?.default === "  ",
);

const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => (Decoration ? Decoration.none : null),
  update(marks, transaction) {
    if (!Decoration) return marks;
    for (const effect of transaction.effects) {
      if (effect.is(setErrorLine)) {
        const line = effect.value;
        if (line === null || line < 1 || line > transaction.state.doc.lines) return Decoration.none;
        const from = transaction.state.doc.line(line).from;
        return Decoration.set([Decoration.line({ class: "cm-error-line" }).range(from)]);
      }
    }
    return transaction.docChanged ? Decoration.none : marks;
  },
  provide: (field) => (Decoration ? EditorView.decorations.from(field) : []),
});

// The editor is made in steps, each in a task of the browser when it is idle, not at once: at
// once, an editor of the lab's ~90 lines took 70-100 ms after a run (a long task, which a click
// then waits out). First the editor with none of CodeMirror's own extensions, then those, then
// Python's highlighting, then the text ten lines at a time (added at the end: the lines already
// drawn stay as they are): 5-40 ms each. Nothing can be typed in it meanwhile, and none of it
// is kept in the undo history.
const LINES_A_STEP = 10;

/** `text` as pieces of `count` lines each (the last may have fewer), without their newlines. */
function linesInParts(text, count) {
  const lines = text.split(/\r\n?|\n/);
  const parts = [];
  for (let start = 0; start < lines.length; start += count) {
    parts.push(lines.slice(start, start + count).join("\n"));
  }
  return parts;
}
const nextTask = () =>
  new Promise((done) =>
    globalThis.requestIdleCallback ? requestIdleCallback(done, { timeout: 500 }) : setTimeout(done),
  );
const WAIT_MS = 250; // between two looks at `busy()`

/**
 * An editor in `parent` holding `text`. `label` names it for screen readers; `onChange()` is
 * called after each edit (not while the text is put in, in steps); no step is taken while
 * `busy()` says true (the lab training). Resolves to {getText, setText, markLine, focus} once
 * the whole text is in.
 */
export async function create(parent, text, label, onChange, busy = () => false) {
  let loaded = false;
  const own = [
    EditorState.tabSize.of(4),
    ...(indentUnit ? [indentUnit.of("    ")] : []),
    // No EditorView.lineWrapping: with it, the tile renderer of the @codemirror/view that
    // @pyscript/core bundles (6.39+) loses lines as the cursor moves through the file.
    errorLine,
    EditorView.contentAttributes.of({
      "aria-label": label,
      "data-testid": "code",
      tabindex: "0", // focusable in its scrolling box, for the keyboard (and axe)
      spellcheck: "false",
      autocapitalize: "off",
      autocorrect: "off",
    }),
    EditorView.updateListener.of((update) => {
      if (loaded && update.docChanged && onChange) onChange();
    }),
  ];
  // Nothing typed between two steps: not in the page's text (editable), nor by a key's command
  // (readOnly; the steps' own changes are not commands).
  const loading = [EditorView.editable.of(false), EditorState.readOnly.of(true)];
  const editor = new EditorView({ doc: "", extensions: [...own, ...loading], parent });
  const steps = [
    { effects: StateEffect.reconfigure.of([basicSetup, ...own, ...loading]) },
    { effects: StateEffect.reconfigure.of([basicSetup, python(), ...own, ...loading]) },
    ...linesInParts(text, LINES_A_STEP).map((part, index) => ({
      changes: { from: undefined, insert: index ? `\n${part}` : part },
      annotations: Transaction.addToHistory.of(false),
    })),
    { effects: StateEffect.reconfigure.of([basicSetup, python(), ...own]) },
  ];
  for (const step of steps) {
    await nextTask();
    while (busy()) await new Promise((done) => setTimeout(done, WAIT_MS));
    if (step.changes) step.changes.from = editor.state.doc.length; // the end, as it is now
    editor.dispatch(step);
  }
  loaded = true;
  // Kept on the element too, so that the whole text can be read (CodeMirror draws only the
  // lines in view): document.getElementById("code-editor").nnEditor.getText().
  return (parent.nnEditor = {
    getText: () => editor.state.doc.toString(),
    setText(newText) {
      editor.dispatch({
        changes: { from: 0, to: editor.state.doc.length, insert: newText },
        effects: setErrorLine.of(null),
      });
    },
    markLine(line) {
      const effects = [setErrorLine.of(line ?? null)];
      if (line && line >= 1 && line <= editor.state.doc.lines) {
        const at = editor.state.doc.line(line).from;
        effects.push(EditorView.scrollIntoView(at, { y: "center" }));
      }
      editor.dispatch({ effects });
    },
    focus: () => editor.focus(),
  });
}
