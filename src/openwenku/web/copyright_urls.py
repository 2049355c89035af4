from django.urls import path

from . import copyright as views

app_name = "copyright"
urlpatterns = [
    path("copyright/notice/", views.notice, name="notice"),
    path("doc/<int:pk>/counter-notice", views.counter_notice, name="counter_notice"),
    path("doc/<int:pk>/claim", views.claim, name="claim"),
    path("manage/notices/", views.notices, name="notices"),
    path("manage/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("manage/notices/<int:pk>/accept", views.notice_accept, name="notice_accept"),
    path("manage/notices/<int:pk>/reject", views.notice_reject, name="notice_reject"),
    path("manage/attachments/<int:pk>", views.attachment, name="attachment"),
    path("manage/takedowns/", views.takedowns, name="takedowns"),
    path("manage/takedowns/<int:pk>/", views.takedown_detail, name="takedown_detail"),
    path(
        "manage/takedowns/<int:pk>/<str:decision>",
        views.takedown_decide,
        name="takedown_decide",
    ),
    path("manage/documents/<int:pk>/take-down", views.take_down, name="take_down"),
    path("manage/claims/", views.claims, name="claims"),
    path("manage/claims/<int:pk>/<str:decision>", views.claim_decide, name="claim_decide"),
]
