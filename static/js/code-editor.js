// The Code panel's editor: CodeMirror 6 as @pyscript/core bundles it (static/vendor/codemirror.js,
// written by `make vendor`), with Python highlighting, line numbers and a mark for the line an
// error points at. Tab is left to move between controls (keyboard users must be able to leave
// the editor): Ctrl+] and Ctrl+[ indent and dedent, and Enter keeps the indentation. The page's Python imports this module when the lab is ready (it is not
// needed to start) and drives it through the small object `create` returns.

import {
  EditorView, basicSetup, EditorState, StateEffect, StateField, python, view, language,
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

/**
 * An editor in `parent` holding `text`. `label` names it for screen readers; `onChange()` is
 * called after each edit. Returns {getText, setText, markLine, focus}.
 */
export function create(parent, text, label, onChange) {
  const extensions = [
    basicSetup,
    python(),
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
      if (update.docChanged && onChange) onChange();
    }),
  ];
  const editor = new EditorView({ doc: text, extensions, parent });
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
