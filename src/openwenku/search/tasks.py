"""The search app's background tasks (Django's Tasks API, database backend)."""

from django_tasks import task

from . import services


@task(priority=-20)
def refresh_phrase_texts() -> int:
    """After the default free preview changed: phrase texts follow it. Safe to run twice."""
    return services.search_refresh_phrase_texts()
