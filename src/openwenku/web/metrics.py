"""Prometheus metrics on ``/metrics`` (prometheus-client).

Two kinds:

* figures of the site (conversions, failures by reason, queue depth, OCR backlog,
  purchases) are read from the database at scrape time by :class:`SiteCollector`:
  the same answer from any web process or machine, nothing lost on a restart;
* request latency by view is a Histogram each web process observes. Under
  ``openwenku serve`` (several gunicorn processes) ``PROMETHEUS_MULTIPROC_DIR`` is
  set and prometheus-client's multiprocess mode adds up every process's samples.

The endpoint answers 404 unless the operator configured who may read it:
``OPENWENKU_METRICS_TOKEN`` (``Authorization: Bearer …``) and/or
``OPENWENKU_METRICS_ALLOW`` (client addresses or networks).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from openwenku.accounts.throttling import client_ip
from openwenku.conversion.selectors import conversion_totals, queue_status
from openwenku.market.selectors import purchase_totals

# Not in the global registry: each scrape builds its own (see metrics_view).
REQUEST_LATENCY = Histogram(
    "openwenku_request_duration_seconds",
    "Time to answer a request, by view (the URL pattern's name) and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


class SiteCollector(Collector):
    """The site's figures, computed from the database when scraped."""

    def collect(self) -> Iterator[Metric]:
        converted, failed = conversion_totals()
        yield CounterMetricFamily(
            "openwenku_conversions", "Documents converted (ever).", value=converted
        )
        failures = GaugeMetricFamily(
            "openwenku_conversion_failures",
            "Documents whose conversion failed, by failure code.",
            labels=["reason"],
        )
        for reason, n in sorted(failed.items()):
            failures.add_metric([reason], n)
        yield failures
        queue = queue_status()
        yield GaugeMetricFamily(
            "openwenku_conversion_queue_depth", "Conversions waiting.", value=queue.depth
        )
        yield GaugeMetricFamily(
            "openwenku_conversion_queue_oldest_seconds",
            "Age of the oldest waiting conversion (0 when none waits).",
            value=queue.oldest_age_seconds or 0.0,
        )
        yield GaugeMetricFamily(
            "openwenku_conversions_running", "Conversions being run.", value=queue.running
        )
        yield GaugeMetricFamily(
            "openwenku_ocr_backlog_pages",
            "Pages waiting for OCR.",
            value=queue.ocr_backlog_pages,
        )
        purchases, coins = purchase_totals()
        yield CounterMetricFamily(
            "openwenku_purchases", "Purchases (refunds excluded).", value=purchases
        )
        yield CounterMetricFamily(
            "openwenku_purchase_coins", "Coins paid for purchases (refunds excluded).", value=coins
        )


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"  # no URL pattern (404): never the raw path
    return match.view_name or match._func_path


class RequestLatencyMiddleware:
    """Observes every request's duration under its resolved view's name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(_view_name(request), method).observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _authorised(request: HttpRequest) -> bool:
    token: str = getattr(settings, "METRICS_TOKEN", "")
    allow: list[str] = getattr(settings, "METRICS_ALLOW", [])
    if not token and not allow:
        return False
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return False
    if allow:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        if not any(address in ipaddress.ip_network(n, strict=False) for n in allow):
            return False
    return True


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The metrics, for Prometheus; 404 to anyone not configured to read them."""
    if not _authorised(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every web process's latency samples
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(SiteCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
