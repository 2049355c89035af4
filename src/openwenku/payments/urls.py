from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("my/recharge/", views.recharge, name="recharge"),
    path("my/recharge/<str:number>/", views.order, name="order"),
    path("my/recharge/<str:number>/qr.svg", views.order_qr, name="qr"),
    path("payments/alipay/notify", views.alipay_notify, name="alipay_notify"),
    path("payments/wechat/notify", views.wechat_notify, name="wechat_notify"),
]
