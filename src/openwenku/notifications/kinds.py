"""The kinds of notice, each with its wording.

A kind is registered once by the app that sends it (in its AppConfig.ready()),
with a title and a body as lazy translatable strings holding ``%(name)s``
placeholders; a notice stores its kind and the values, and is worded when it is
shown or mailed, in the language of the moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    title: str | Promise
    body: str | Promise = ""
    # Important kinds are e-mailed too (members may turn e-mail off).
    email: bool = False

    def render(self, params: dict[str, Any]) -> tuple[str, str]:
        return _format(self.title, params), _format(self.body, params)


def _format(text: str | Promise, params: dict[str, Any]) -> str:
    text = str(text)
    if not text:
        return ""
    try:
        return text % params
    except (KeyError, ValueError, TypeError):
        # A value missing from an old notice must not break the message centre.
        return text


_KINDS: dict[str, Kind] = {}

# Shown for a notice whose kind is no longer registered.
UNKNOWN = Kind("unknown", _("Notice"))


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"notice kind {kind.code!r} is registered twice, differently")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    return _KINDS.get(code, UNKNOWN)


def registered() -> dict[str, Kind]:
    return dict(_KINDS)


# A plain message from the operators, worded by them (params: title, body).
OPERATOR_MESSAGE = register(Kind("operator", "%(title)s", "%(body)s", email=True))
