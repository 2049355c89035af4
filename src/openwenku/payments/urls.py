from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("my/recharge/", views.recharge, name="recharge"),
    path("my/recharge/<str:number>/", views.order, name="order"),
    path("payments/alipay/notify", views.alipay_notify, name="alipay_notify"),
]
