from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [
    path("c/<str:slug>/", views.category, name="category"),
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    # Other forms of a document's address answer 301 to the canonical /doc/<id>.html.
    path("doc/<int:pk>", views.legacy_document, name="legacy_document"),
    path("doc/<int:pk>/", views.legacy_document),
    path("doc/<int:pk>.htm", views.legacy_document),
    path("d/<int:pk>", views.legacy_document),
    path("d/<int:pk>.html", views.legacy_document),
]
