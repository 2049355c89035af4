from django.contrib import admin

from openwenku.documents.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "slug", "position")
    list_filter = ("parent",)
    search_fields = ("name", "slug")
    ordering = ("parent__position", "position")
