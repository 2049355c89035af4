from django.http import HttpRequest

from .models import SiteConfiguration


def site(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"site": SiteConfiguration.current()}
