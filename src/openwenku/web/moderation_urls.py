from django.urls import path

from . import moderation as views

app_name = "manage"
urlpatterns = [
    path("manage/review/", views.review_queue, name="review"),
    path("manage/review/decide", views.review_decide, name="review_decide"),
    path("manage/reports/", views.report_queue, name="reports"),
    path("manage/reports/<int:pk>/handle", views.report_handle, name="report_handle"),
    path("manage/members/<int:user_id>/penalties", views.penalty_impose, name="penalty_impose"),
    path("manage/penalties/<int:pk>/lift", views.penalty_lift, name="penalty_lift"),
    path("manage/audit/", views.audit_log, name="audit"),
]
