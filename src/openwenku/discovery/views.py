from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from openwenku.documents.models import Category

from . import selectors


@require_GET
def home(request):
    return render(
        request,
        "discovery/home.html",
        {
            "tree": selectors.category_tree(),
            "newest": selectors.newest_documents(),
            "popular": selectors.popular_documents(),
        },
    )


@require_GET
def category(request, slug: str):
    node = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    order = "popular" if request.GET.get("order") == "popular" else "new"
    paginator = Paginator(selectors.documents_in_category(node, order), 30)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "discovery/category.html",
        {
            "category": node,
            "breadcrumb": node.ancestry(),
            "children": node.children.all(),
            "page_obj": page,
            "order": order,
            "canonical_url": request.build_absolute_uri(node.get_absolute_url()),
        },
    )


def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /upload/",
        "Allow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
