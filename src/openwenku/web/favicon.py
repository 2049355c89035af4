"""``/favicon.ico``: browsers and crawlers ask for it whatever the page links;
it redirects (temporarily: the address carries the file's hash) to the SVG icon."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe

ICON = "openwenku/favicon.svg"


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(static(ICON))
