"""The LibreOffice user profile every conversion runs with, warm or cold.

Pre-seeded settings refuse macros, link updates and untrusted linked content,
and skip the first-start wizard. Each instance (lo_pool.py) and each cold run
(office.py) writes it into a profile directory of its own.
"""

from __future__ import annotations

from pathlib import Path

_SETTINGS = [
    ("Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("Writer/Content/Update", "Link", "0"),  # Writer: 0 = never update links
    ("Calc/Content/Update", "Link", "1"),  # Calc: 1 = never update links
    ("Common/Misc", "FirstRun", "false"),
    ("Common/Misc", "ShowTipOfTheDay", "false"),
    ("Common/Save/Document", "AutoSave", "false"),
    ("Recovery/AutoSave", "Enabled", "false"),
]
_REGISTRY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "".join(
        f'<item oor:path="/org.openoffice.Office.{path}"><prop oor:name="{name}" '
        f'oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in _SETTINGS
    )
    + "</oor:items>\n"
)


def write_profile(profile: Path) -> Path:
    """Create the profile directory ``profile`` with the safe settings; return it."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return profile
