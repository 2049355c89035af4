"""What a document's page tells search engines and link previews: its title and
description (operator templates), OpenGraph tags and schema.org JSON-LD.

Everything here is built from what anyone may see: the title, the category, the
masked uploader name and the free preview's text (``access.selectors.public_text``),
never from the reader's own access (a buyer's page must not carry paid text into
a shared cache or a crawler's copy). The cover is named only when page 1 is public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from openwenku.access.policy import preview_limit
from openwenku.access.selectors import public_text
from openwenku.core.links import absolute_url
from openwenku.core.models import SiteConfiguration
from openwenku.documents import formats
from openwenku.documents.models import Document
from openwenku.documents.presentation import meta_description

PLACEHOLDERS = ("title", "site_name", "category", "pages", "format", "description")


def fill(template: str, values: dict[str, str]) -> str:
    """The operator's template with its placeholders replaced (nothing else is
    interpreted: no attribute or index lookups as ``str.format`` would do)."""
    text = template
    for name in PLACEHOLDERS:
        text = text.replace("{" + name + "}", values.get(name, ""))
    return " ".join(text.split())


@dataclass(frozen=True)
class DocumentSeo:
    title: str
    description: str
    url: str
    image: str  # "" when the cover is not public
    json_ld: list[dict[str, Any]]


def document_seo(document: Document, request: HttpRequest | None = None) -> DocumentSeo:
    """The page's title, description, canonical URL, cover and JSON-LD."""
    site = SiteConfiguration.current()
    path = document.get_absolute_url()
    url = absolute_url(path, request)
    description = meta_description(document, public_text(document))
    ancestry = document.category.ancestry() if document.category else []
    file_format = formats.get(document.format)
    values = {
        "title": document.title,
        "site_name": site["site_name"],
        "category": ancestry[-1].name if ancestry else "",
        "pages": str(document.page_count),
        "format": file_format.label if file_format else document.format.upper(),
        "description": description,
    }
    title = fill(site["document_title_template"], values) or document.title
    page_description = fill(site["document_description_template"], values) or description
    public_cover = bool(document.cover) and preview_limit(document) >= 1
    image = absolute_url(reverse("documents:cover", args=[document.pk]), request)
    main: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": document.title,
        "url": url,
        "description": description,
        "numberOfPages": document.page_count,
        "encodingFormat": file_format.mime_type if file_format else document.format,
        "dateCreated": document.created_at.isoformat(),
        "dateModified": document.updated_at.isoformat(),
        "author": {"@type": "Person", "name": document.owner.masked_name},
        "isAccessibleForFree": document.price == 0,
    }
    if public_cover:
        main["thumbnailUrl"] = image
    json_ld = [main]
    if ancestry:
        items = [
            {
                "@type": "ListItem",
                "position": n,
                "name": node.name,
                "item": absolute_url(node.get_absolute_url(), request),
            }
            for n, node in enumerate(ancestry, start=1)
        ]
        items.append(
            {"@type": "ListItem", "position": len(items) + 1, "name": document.title, "item": url}
        )
        json_ld.append(
            {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
        )
    return DocumentSeo(
        title=title,
        description=page_description,
        url=url,
        image=image if public_cover else "",
        json_ld=json_ld,
    )
