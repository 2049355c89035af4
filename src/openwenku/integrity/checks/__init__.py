"""The content checks; each module registers itself with the registry."""

from __future__ import annotations

import importlib

# Modules under checks/ with a register() function; near_duplicate is optional
# (built in the similarity branch) and registered if present.
MODULES = ["sensitive_words", "contact", "qr_code", "low_content", "near_duplicate"]


def register_all() -> None:
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"{__name__}.{name}":
                continue
            raise
        register = getattr(module, "register", None)
        if register is not None:
            register()
