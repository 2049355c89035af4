from django.contrib import admin

from .models import QueryLog, QueryStat, SearchEntry


@admin.register(QueryStat)
class QueryStatAdmin(admin.ModelAdmin):
    list_display = ("query", "count", "last_results", "last_searched_at")
    list_filter = ("last_searched_at",)
    search_fields = ("query",)
    ordering = ("-count",)
    readonly_fields = ("query", "count", "last_results", "last_searched_at")

    def has_add_permission(self, request):
        return False


@admin.register(QueryLog)
class QueryLogAdmin(admin.ModelAdmin):
    list_display = ("query", "results", "created_at")
    list_filter = ("created_at",)
    search_fields = ("query",)
    date_hierarchy = "created_at"
    readonly_fields = ("query", "results", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SearchEntry)
class SearchEntryAdmin(admin.ModelAdmin):
    list_display = ("document", "indexed_at")
    search_fields = ("document__title",)
    fields = ("document", "top_terms", "indexed_at")
    readonly_fields = fields
    raw_id_fields = ("document",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
