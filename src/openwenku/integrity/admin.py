"""Operators manage the sensitive-word list here (every change audited) and
read the stored check results."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import User

from . import services
from .models import CheckRun, Hit, SensitiveWord, WordCategory
from .normalize import normalize


def _operator(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@admin.register(WordCategory)
class WordCategoryAdmin(admin.ModelAdmin[WordCategory]):
    list_display = ("name", "action")
    list_editable = ("action",)
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: WordCategory, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.words_changed(
            by=_operator(request),
            reason="category_changed" if change else "category_added",
            category=obj.name,
            action=obj.action,
        )

    def delete_model(self, request: HttpRequest, obj: WordCategory) -> None:
        name = obj.name
        super().delete_model(request, obj)
        services.words_changed(by=_operator(request), reason="category_deleted", category=name)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WordCategory]) -> None:
        names = list(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        services.words_changed(by=_operator(request), reason="category_deleted", categories=names)


class SensitiveWordForm(forms.ModelForm):
    class Meta:
        model = SensitiveWord
        fields = ("word", "category")

    def clean_word(self) -> str:
        word = normalize(self.cleaned_data["word"])
        if not word:
            raise forms.ValidationError(_("The word has no letters or digits."))
        return word


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Word list file"),
        help_text=_(
            "UTF-8 text, one word a line, optionally followed by a tab or a comma and "
            "its category (词<TAB>分类 or 词,分类)."
        ),
    )
    category = forms.ModelChoiceField(
        WordCategory.objects.all(),
        required=False,
        label=_("Category for lines without one"),
        to_field_name="name",
    )
    replace = forms.BooleanField(
        required=False, label=_("Replace the whole list (words not in the file are deleted)")
    )


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin[SensitiveWord]):
    form = SensitiveWordForm
    list_display = ("word", "category", "created_at")
    list_filter = ("category",)
    search_fields = ("word",)
    list_per_page = 200
    change_list_template = "admin/integrity/sensitiveword/change_list.html"

    def save_model(self, request: HttpRequest, obj: SensitiveWord, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.words_changed(
            by=_operator(request),
            reason="changed" if change else "add",
            word=obj.word,
            category=obj.category.name,
        )

    def delete_model(self, request: HttpRequest, obj: SensitiveWord) -> None:
        word = obj.word
        super().delete_model(request, obj)
        services.words_changed(by=_operator(request), reason="delete", word=word)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SensitiveWord]) -> None:
        words = list(queryset.values_list("word", flat=True))
        super().delete_queryset(request, queryset)
        services.words_changed(
            by=_operator(request), reason="delete", words=words[:1000], count=len(words)
        )

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="integrity_sensitiveword_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="integrity_sensitiveword_export",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_delete_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[tuple[int, str]] = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                category = form.cleaned_data["category"]
                try:
                    result = services.words_import(
                        text=text,
                        category=category.name if category else None,
                        replace=form.cleaned_data["replace"],
                        by=_operator(request),
                    )
                except services.WordListInvalid as error:
                    errors = error.errors
                else:
                    messages.success(
                        request,
                        _(
                            "Imported: %(added)d added, %(changed)d moved to another "
                            "category, %(removed)d deleted, %(unchanged)d unchanged."
                        )
                        % vars(result),
                    )
                    return HttpResponseRedirect(reverse("admin:integrity_sensitiveword_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import sensitive words"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/integrity/sensitiveword/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(services.words_export(), content_type="text/plain; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="sensitive-words-{stamp}.txt"'
        return response


class HitInline(admin.TabularInline):
    model = Hit
    extra = 0
    can_delete = False
    fields = ("kind", "severity", "page", "excerpt", "context", "duplicate_of", "accepted")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin[CheckRun]):
    list_display = ("document", "check_code", "outcome", "ran_at")
    list_filter = ("check_code", "outcome")
    search_fields = ("document__title",)
    raw_id_fields = ("document",)
    readonly_fields = ("document", "check_code", "outcome", "ran_at")
    inlines = [HitInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
