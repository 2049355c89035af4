"""A warm LibreOffice behind a line protocol (runs under Debian's python3).

This file is copied into a LibreOffice instance's sandbox and run with the
system Python, whose ``uno`` module (package python3-uno) talks to the office.
It has no dependency on the project: it starts ``soffice`` with a private
profile, connects over a pipe, then converts one file per request line:

    → {"in": "/abs/in.txt", "out": "/abs/out.pdf", "format": "txt",
       "filter": "Text (encoded)", "filter_options": "UTF8,LF,,,"}   (filter: optional)
    ← {"ok": true} | {"error": "load" | "export" | "write" | "...", "detail": "...",
                      "tmp_full": bool}

Documents load hidden, read-only, with link updates and macros off. Fields
that print the file's name or path (Writer text, Calc headers and footers,
Impress/Draw shapes) are set to show the name only before export: the file
is named after the uploader's file name, and where this process keeps it is
nobody's business (issue 11 item 9). If the office dies, this process exits
and its parent starts a new instance.
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from scratch_watch import PeakWatch  # type: ignore[import-not-found]  # copied beside this file

# How LibreOffice reports a failed write (ERRCODE_IO_CANTWRITE and kin) in an exception.
WRITE_ERROR = "Class:Write"
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE

EXPORT_FILTERS = [
    ("com.sun.star.sheet.SpreadsheetDocument", "calc_pdf_Export"),
    ("com.sun.star.presentation.PresentationDocument", "impress_pdf_Export"),
    ("com.sun.star.drawing.DrawingDocument", "draw_pdf_Export"),
    ("com.sun.star.text.GenericTextDocument", "writer_pdf_Export"),
]


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def start_office(soffice, profile_url, pipe_name):
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nologo",
            "--nodefault",
            "--nofirststartwizard",
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def connect(pipe_name, office, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe_name};urp;StarOffice.ComponentContext"
    while True:
        try:
            ctx = resolver.resolve(url)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if office.poll() is not None and office.returncode != 81:
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# com.sun.star.text.FilenameDisplayFormat.NAME_AND_EXT (same value in TemplateDisplayFormat)
NAME_AND_EXT = 3
_PATH_FIELDS = (
    "com.sun.star.text.TextField.FileName",
    "com.sun.star.text.textfield.FileName",
    "com.sun.star.text.TextField.TemplateName",
    "com.sun.star.text.textfield.TemplateName",
)
_FORMAT_PROPERTIES = ("FileFormat", "TemplateFormat")
_PAGE_STYLE_TEXTS = (
    "RightPageHeaderContent",
    "LeftPageHeaderContent",
    "FirstPageHeaderContent",
    "RightPageFooterContent",
    "LeftPageFooterContent",
    "FirstPageFooterContent",
)


def _name_only(field):
    """Make a file-name or template field show the name and extension, no folder."""
    if not any(field.supportsService(svc) for svc in _PATH_FIELDS):
        return False
    info = field.getPropertySetInfo()
    changed = False
    for name in _FORMAT_PROPERTIES:
        if info.hasPropertyByName(name):
            field.setPropertyValue(name, NAME_AND_EXT)
            changed = True
    if changed and hasattr(field, "update"):
        field.update()
    return changed


def _file_fields_in_text(text):
    """The file-name field portions of an XText (a Calc header part, a shape's text)."""
    found = []
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if not hasattr(paragraph, "createEnumeration"):
            continue  # a table
        portions = paragraph.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            info = portion.getPropertySetInfo()
            if (
                info.hasPropertyByName("TextPortionType")
                and portion.TextPortionType == "TextField"
                and any(portion.TextField.supportsService(svc) for svc in _PATH_FIELDS)
            ):
                found.append(portion)
    return found


def _replace_file_fields(text, name):
    """Calc and Impress fields are copies: the field itself is replaced by the name."""
    portions = _file_fields_in_text(text)
    for portion in portions:
        text.insertString(portion, name, True)
    return bool(portions)


def _hide_paths_in_page_styles(doc, name):
    """Calc: headers and footers (&F, &Z&F) live in the page styles, not in the sheets."""
    styles = doc.getStyleFamilies().getByName("PageStyles")
    for index in range(styles.getCount()):
        style = styles.getByIndex(index)
        info = style.getPropertySetInfo()
        for prop_name in _PAGE_STYLE_TEXTS:
            if not info.hasPropertyByName(prop_name):
                continue
            content = style.getPropertyValue(prop_name)
            if content is None or not hasattr(content, "getCenterText"):
                continue
            changed = False
            for part in (content.getLeftText(), content.getCenterText(), content.getRightText()):
                changed |= _replace_file_fields(part, name)
            if changed:
                style.setPropertyValue(prop_name, content)


def _hide_paths_in_shapes(page, name):
    """Fields in the text of drawing shapes (and shapes grouped inside them)."""
    for index in range(page.getCount()):
        shape = page.getByIndex(index)
        if hasattr(shape, "getByIndex"):  # a group
            _hide_paths_in_shapes(shape, name)
        elif hasattr(shape, "getText") and hasattr(shape.getText(), "createEnumeration"):
            _replace_file_fields(shape.getText(), name)


def _pages(doc):
    if hasattr(doc, "getDrawPage"):  # Writer: one draw page for the whole text
        yield doc.getDrawPage()
    for pages in (getattr(doc, "getDrawPages", None), getattr(doc, "getMasterPages", None)):
        if pages is None:
            continue
        container = pages()
        for index in range(container.getCount()):
            yield container.getByIndex(index)


def hide_paths(doc, name):
    """Make every file-name field of ``doc`` show ``name`` (the file's name) only.

    Writer's own fields (body, headers, footers, frames) are set to name-only;
    the fields of Calc's headers and footers and of drawing shapes (Impress,
    Draw, shapes on sheets and in texts) are replaced by the name itself.
    """
    if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        _hide_paths_in_page_styles(doc, name)
    elif doc.supportsService("com.sun.star.text.GenericTextDocument"):
        fields = doc.getTextFields().createEnumeration()
        while fields.hasMoreElements():
            _name_only(fields.nextElement())
    for page in _pages(doc):
        _hide_paths_in_shapes(page, name)


def convert(desktop, request):
    in_url = uno.systemPathToFileUrl(request["in"])
    out_url = uno.systemPathToFileUrl(request["out"])
    load = [
        prop("Hidden", True),
        prop("ReadOnly", True),
        prop("UpdateDocMode", NO_UPDATE),
        prop("MacroExecutionMode", NEVER_EXECUTE),
        prop("Silent", True),
    ]
    if request.get("filter"):
        load += [
            prop("FilterName", request["filter"]),
            prop("FilterOptions", request.get("filter_options", "")),
        ]
    try:
        doc = desktop.loadComponentFromURL(in_url, "_blank", 0, tuple(load))
    except Exception as exc:  # IllegalArgumentException, IOException: unreadable file
        return {"error": "load", "detail": str(exc)[:300]}
    if doc is None:
        return {"error": "load", "detail": "no document"}
    try:
        export = next((f for svc, f in EXPORT_FILTERS if doc.supportsService(svc)), None)
        if export is None:
            return {"error": "export", "detail": "unknown document type"}
        with contextlib.suppress(Exception):  # the sandbox's neutral /job path remains
            hide_paths(doc, os.path.basename(request["in"]))
        try:
            doc.storeToURL(out_url, (prop("FilterName", export),))
        except Exception as exc:
            # "Class:Write": the PDF could not be written (the scratch bound), not a bad file.
            kind = "write" if WRITE_ERROR in str(exc) else "export"
            return {"error": kind, "detail": str(exc)[:300]}
        return {"ok": True}
    finally:
        try:
            doc.close(True)
        except Exception:
            with contextlib.suppress(Exception):
                doc.dispose()


def main():
    soffice, profile_url, pipe_name = sys.argv[1:4]
    office = start_office(soffice, profile_url, pipe_name)
    try:
        desktop = connect(pipe_name, office, time.monotonic() + 60)
    except Exception as exc:
        reply({"fatal": f"could not start LibreOffice: {exc}"})
        office.kill()
        sys.exit(2)
    reply({"ready": True, "pid": os.getpid()})
    watch = PeakWatch()
    watch.start()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        watch.reset()
        result = convert(desktop, request)
        if "error" in result:
            time.sleep(0.2)  # a crashing office may still be on its way down
            result["tmp_full"] = watch.full()
        if office.poll() is not None:
            detail = f"office exited {office.returncode}"
            reply({"error": "crashed", "detail": detail, "tmp_full": watch.full()})
            sys.exit(3)
        reply(result)
    with contextlib.suppress(Exception):
        desktop.terminate()
    office.wait(timeout=10)


if __name__ == "__main__":
    main()
