from django.urls import path

from . import market as views

app_name = "market"
urlpatterns = [
    path("doc/<int:pk>/buy", views.buy, name="buy"),
    path("doc/<int:pk>/pricing", views.pricing, name="pricing"),
    path("doc/<int:pk>/vip-download", views.vip_download, name="vip_download"),
    path("my/vip/", views.vip, name="vip"),
    path("my/wallet/", views.wallet, name="wallet"),
    path("my/signin", views.signin, name="signin"),
    path("my/withdraw/", views.withdraw, name="withdraw"),
    path("my/earnings/", views.earnings, name="earnings"),
    path("earnings/<int:user_id>/", views.earnings_of, name="earnings_of"),
]
