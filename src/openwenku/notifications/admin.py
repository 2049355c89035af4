from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "notice_title", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "recipient__email")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"

    @admin.display(description=_("title"))
    def notice_title(self, obj: Notification) -> str:
        return obj.title

    # Notices are what the site said; nobody rewrites them.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
