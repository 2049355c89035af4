"""Where the shared material (corpus, seed page) is: ``OPENWENKU_SHARED_DIR`` if
set, else the ``shared`` folder beside this checkout, else the one beside the
checkout this one was cloned from (a clean clone for CI sits elsewhere, and its
``origin`` is the working checkout). No machine's path is written here.

Standalone (no Django): the benchmarks import it too.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _origin_checkout() -> Path | None:
    try:
        url = subprocess.run(
            ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    url = url.removeprefix("file://")
    return Path(url) if url.startswith("/") else None


def shared_dir() -> Path:
    configured = os.environ.get("OPENWENKU_SHARED_DIR")
    if configured:
        return Path(configured)
    candidates = [ROOT.parent / "shared"]
    origin = _origin_checkout()
    if origin is not None:
        candidates.append(origin.resolve().parent / "shared")
    for candidate in candidates:
        if (candidate / "corpus").exists():
            return candidate
    return candidates[0]


SHARED = shared_dir()
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed" / "000_e805396408d40de5.txt"


# Documents that really carry contact details, and what holds them.
HELD_FOR_CONTACTS: dict[str, set[str]] = {
    # A novel's first page: "徐公子胜治www.91now.com整理制作，并提供下载" (an e-book
    # site advertising itself).
    "main/chatchat__1.pdf": {"url"},
    # Links are recorded as information: a paper repeating
    # "Permanent URL: http://sprouts.aisnet.org/9-37" on every page
    # (pdfjs__TAMReview.pdf), a sheet of GitHub issue links
    # (chatchat__langchain-ChatGLM_open.xlsx), e-mail addresses of authors.
}
