"""Handlers of sharing and keeping: Copy link, Embed, Export, Import, As Python."""

from __future__ import annotations

from dataclasses import replace

from app import App, on
from controller import Lab
from dom import clear_error, element, invalid_fields, make, mark_valid, set_status, show_error
from pyscript import document, window
from savestate import (
    embed_snippet,
    export_text,
    python_snippet,
    read_import,
    run_script,
    share_query,
)
from storage import copy_text, download
from values import HIDEABLE


def link(lab: Lab, embed: bool = False, hide: tuple[str, ...] = ()) -> str:
    """The address of this page with the lab in its query (and the weights if asked for)."""
    with_weights = element("link-weights").checked and lab.network.is_finite()
    weights = lab.network.parameters() if with_weights else None
    settings = lab.settings
    if embed or hide:
        settings = replace(settings, embed=embed, hide=hide)
    query = share_query(settings, weights)
    base = window.location.origin + window.location.pathname
    return base + ("?" + query if query else "")


@on("#copy-link", "click")
def on_copy_link(app: App, event) -> None:
    copy_text(link(app.lab), "link")


def embed_code(app: App) -> str:
    hidden = tuple(node.value for node in document.querySelectorAll("#embed-hide input:checked"))
    return embed_snippet(link(app.lab, embed=True, hide=hidden))


@on("#embed-open", "click")
def on_embed_open(app: App, event) -> None:
    container = element("embed-hide")
    if not container.children.length:
        for name in HIDEABLE:
            box = make("input", type="checkbox", value=name)
            box.checked = name in app.lab.settings.hide
            label = make("label")
            label.append(box, document.createTextNode(" " + name))
            container.appendChild(label)
    element("embed-code").value = embed_code(app)
    element("embed-dialog").showModal()


@on("#embed-hide", "change")
def on_embed_options(app: App, event) -> None:
    element("embed-code").value = embed_code(app)


@on("#embed-copy", "click")
def on_embed_copy(app: App, event) -> None:
    copy_text(element("embed-code").value, "embed code")


@on("#embed-close", "click")
def on_embed_close(app: App, event) -> None:
    element("embed-dialog").close()


@on("#export-json", "click")
def on_export(app: App, event) -> None:
    download("nn-lab.json", export_text(app.lab), "application/json")
    set_status("Exported the model and the data set to nn-lab.json.")


async def import_file(app: App, file) -> None:
    text = await file.text()
    try:
        settings, network, epoch = read_import(text)
    except ValueError as error:
        show_error(str(error))
        return
    lab = app.lab
    # How the page looks stays as the link says: a file never hides or embeds anything.
    lab.change(replace(settings, embed=lab.settings.embed, hide=lab.settings.hide), rebuild=True)
    lab.network = network
    lab.epoch = epoch
    lab.weights_changed()
    lab.replayable = epoch == 0
    app.editing = None
    clear_error()
    for field in invalid_fields():  # every setting is the file's now
        mark_valid(field)
    set_status(f"Imported {file.name}: {len(settings.examples)} examples, epoch {epoch}.")
    app.save(app)


@on("#import-json", "change")
def on_import(app: App, event):
    files = event.target.files
    if not files.length:
        return None
    file = files.item(0)
    event.target.value = ""  # choosing the same file again fires change again
    return import_file(app, file)


@on("#export-python", "click")
def on_export_python(app: App, event) -> None:
    element("python-code").value = python_snippet(app.lab)
    script, note = run_script(app.lab)
    element("python-run").value = script
    element("python-run-note").textContent = note
    element("python-dialog").showModal()


@on("#python-run-copy", "click")
def on_python_run_copy(app: App, event) -> None:
    copy_text(element("python-run").value, "Python script")


@on("#python-copy", "click")
def on_python_copy(app: App, event) -> None:
    copy_text(element("python-code").value, "Python code")


@on("#python-close", "click")
def on_python_close(app: App, event) -> None:
    element("python-dialog").close()
