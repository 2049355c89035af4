from .models import SiteConfiguration


def site(request):
    return {"site": SiteConfiguration.current()}
