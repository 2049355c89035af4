from django.urls import path

from . import pages

app_name = "api_tokens"
urlpatterns = [
    path("my/tokens/", pages.tokens, name="list"),
    path("my/tokens/<int:pk>/revoke", pages.revoke, name="revoke"),
]
