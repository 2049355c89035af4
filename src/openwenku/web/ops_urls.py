from django.urls import path

from . import favicon, health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
