from collections.abc import Iterable
from urllib.parse import urlsplit

from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from openwenku.access.policy import Action, decide, preview_limit
from openwenku.core.links import absolute_url
from openwenku.documents.models import Category, Document

from . import selectors
from .sitemaps import SITEMAPS


@require_safe
def home(request):
    return render(
        request,
        "discovery/home.html",
        {
            "tree": selectors.category_tree(),
            "newest": _with_covers(request, selectors.newest_documents()),
            "popular": selectors.popular_documents(),
            "canonical_url": absolute_url("/", request),
        },
    )


@require_safe
def category(request, slug: str):
    if "\x00" in slug:  # no slug holds NUL, and PostgreSQL refuses to look one up
        raise Http404
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    order = "popular" if request.GET.get("order") == "popular" else "new"
    paginator = Paginator(selectors.documents_in_category(node, order), 30)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _with_covers(request, page.object_list)
    return render(
        request,
        "discovery/category.html",
        {
            "category": node,
            "breadcrumb": node.ancestry(),
            "children": node.children.all(),
            "page_obj": page,
            "order": order,
            "canonical_url": absolute_url(node.get_absolute_url(), request),
        },
    )


def _with_covers(request: HttpRequest, documents: Iterable[Document]) -> list[Document]:
    """The cards, each marked ``cover_shown``: the cover is page 1's image, so it
    is shown only to a reader who may see page 1 (a card without it shows the
    format instead). A free preview shows page 1 to anyone; otherwise ask."""
    cards = list(documents)
    for d in cards:
        d.cover_shown = bool(d.cover) and (  # type: ignore[attr-defined]
            preview_limit(d) >= 1 or bool(decide(request.user, d, Action.READ_PAGE, 1))
        )
    return cards


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /upload/",
        "Disallow: /my/",
        "Disallow: /manage/",
        "Disallow: /notifications/",
        # Page images are signed per reader (the address expires); covers stay allowed.
        "Disallow: /doc/*/page/",
        "Disallow: /doc/*/download",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(reverse('discovery:sitemap_index'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Sitemaps are read by crawlers, not readers: a page of 50,000 addresses takes
# seconds to build, so each is kept for a while (removals reach them within it).
SITEMAP_CACHE_SECONDS = 900


@require_safe
@cache_page(SITEMAP_CACHE_SECONDS)
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Django's sitemap index, its addresses moved onto the configured site address."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="discovery:sitemap_section")
    assert isinstance(response, TemplateResponse)
    items = (response.context_data or {}).get("sitemaps", [])
    for item in items:
        parts = urlsplit(item.location)
        item.location = absolute_url(
            parts.path + (f"?{parts.query}" if parts.query else ""), request
        )
    return response


@require_safe
@cache_page(SITEMAP_CACHE_SECONDS)
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name="discovery/sitemap.xml"
    )


@require_safe
def legacy_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Other addresses of a document's page: 301 to the canonical /doc/<id>.html."""
    return HttpResponsePermanentRedirect(reverse("documents:detail", args=[pk]))
