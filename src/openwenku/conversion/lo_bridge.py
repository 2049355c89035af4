"""A warm LibreOffice behind a line protocol (runs under Debian's python3).

This file is copied into a LibreOffice instance's sandbox and run with the
system Python, whose ``uno`` module (package python3-uno) talks to the office.
It has no dependency on the project: it starts ``soffice`` with a private
profile, connects over a pipe, then converts one file per request line:

    → {"in": "/abs/in.txt", "out": "/abs/out.pdf", "format": "txt",
       "filter": "Text (encoded)", "filter_options": "UTF8,LF,,,"}   (filter: optional)
    ← {"ok": true} | {"error": "load" | "export" | "...", "detail": "..."}

Documents load hidden, read-only, with link updates and macros off. If the
office dies, this process exits and its parent starts a new instance.
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

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
        try:
            doc.storeToURL(out_url, (prop("FilterName", export),))
        except Exception as exc:
            return {"error": "export", "detail": str(exc)[:300]}
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
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        result = convert(desktop, request)
        if "error" in result:
            time.sleep(0.2)  # a crashing office may still be on its way down
        if office.poll() is not None:
            reply({"error": "crashed", "detail": f"office exited {office.returncode}"})
            sys.exit(3)
        reply(result)
    with contextlib.suppress(Exception):
        desktop.terminate()
    office.wait(timeout=10)


if __name__ == "__main__":
    main()
