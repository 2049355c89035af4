from django.urls import path

from . import views

app_name = "discovery"
urlpatterns = [
    path("c/<str:slug>/", views.category, name="category"),
    path("robots.txt", views.robots, name="robots"),
]
