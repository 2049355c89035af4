from django.urls import path

from . import documents as views

app_name = "documents"
urlpatterns = [
    path("doc/<int:pk>.html", views.detail, name="detail"),
    path("doc/<int:pk>/page/<int:number>", views.page_image, name="page_image"),
    path("doc/<int:pk>/cover.webp", views.cover_image, name="cover"),
    path("doc/<int:pk>/status.json", views.status, name="status"),
    path("doc/<int:pk>/pages.json", views.pages, name="pages"),
    path("doc/<int:pk>/download", views.download, name="download"),
    path("doc/<int:pk>/report", views.report, name="report"),
    path("doc/<int:pk>/edit", views.edit, name="edit"),
    path("doc/<int:pk>/unpublish", views.unpublish, name="unpublish"),
    path("doc/<int:pk>/republish", views.republish, name="republish"),
    path("doc/<int:pk>/delete", views.delete, name="delete"),
    path("upload/", views.upload, name="upload"),
    path("my/documents/", views.mine, name="mine"),
]
