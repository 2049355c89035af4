from django.contrib import admin
from django.urls import include, path

from openwenku.api import urls as api_urls
from openwenku.discovery import views as discovery_views

urlpatterns = [
    path("", discovery_views.home, name="home"),
    path("accounts/", include("openwenku.accounts.urls")),
    path("notifications/", include("openwenku.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api_urls.urls()),
    path("", include("openwenku.web.documents_urls")),
    path("", include("openwenku.web.copyright_urls")),
    path("", include("openwenku.search.urls")),
    path("", include("openwenku.web.market_urls")),
    path("", include("openwenku.web.moderation_urls")),
    path("", include("openwenku.payments.urls")),
    path("", include("openwenku.discovery.urls")),
    path("", include("openwenku.web.ops_urls")),
    path("", include("openwenku.api.page_urls")),
]
