"""``{% document_seo_tags document %}``: OpenGraph tags and JSON-LD for a document's
page; ``{% document_page_title document %}``: its title by the operator's template.

The JSON-LD is a data block (``<script type="application/ld+json">``), which the
Content-Security-Policy does not run; its JSON is escaped as Django's json_script
does (``<``, ``>`` and ``&`` as \\u escapes), so no text can close the element."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from openwenku.documents.models import Document

from ..seo import DocumentSeo, document_seo

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _seo(context: template.Context, document: Document) -> DocumentSeo:
    cache = context.render_context
    key = f"document_seo:{document.pk}"
    if key not in cache:
        cache[key] = document_seo(document, context.get("request"))
    return cache[key]


@register.simple_tag(takes_context=True)
def document_page_title(context: template.Context, document: Document) -> str:
    return _seo(context, document).title


@register.simple_tag(takes_context=True)
def document_seo_tags(context: template.Context, document: Document) -> SafeString:
    """Nothing for a document that is not public (the page is noindex then)."""
    if not document.is_ready:
        return mark_safe("")
    seo = _seo(context, document)
    og = [
        ("og:type", "article"),
        ("og:title", seo.title),
        ("og:description", seo.description),
        ("og:url", seo.url),
        ("og:site_name", (context.get("site") or {}).get("site_name", "")),
    ]
    if seo.image:
        og.append(("og:image", seo.image))
    tags = format_html_join("\n", '<meta property="{}" content="{}">', og)
    data = json.dumps(seo.json_ld, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html(
        '<meta name="description" content="{}">\n{}\n<meta name="twitter:card" content="summary">\n'
        '<script type="application/ld+json">{}</script>',
        seo.description,
        tags,
        mark_safe(data),  # noqa: S308  (escaped above: it cannot close the element)
    )
