from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from .models import Category
from .selectors import category_label, category_tree
from .services import parse_tags


class CategoryTreeIterator(ModelChoiceIterator):
    """The categories in tree order, each child indented under its parent."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category, depth in category_tree(self.queryset):
            value = ModelChoiceIteratorValue(self.field.prepare_value(category), category)
            yield (value, category_label(category, depth))


class CategoryChoiceField(forms.ModelChoiceField):
    iterator = CategoryTreeIterator

    def label_from_instance(self, obj: Category) -> str:
        return str(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class DescribeForm(forms.Form):
    """What readers see of a document, shared by upload and edit."""

    title = forms.CharField(label=_("Title"), max_length=255)
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.select_related("parent"), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=300,
        required=False,
        help_text=_("Separate tags with commas or spaces."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))


class UploadForm(DescribeForm):
    # A declared field named like BaseForm.files (the uploads): the form metaclass
    # takes it off the class, so the two never meet at run time.
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]
    price = forms.IntegerField(
        label=_("Price (coins)"),
        min_value=0,
        max_value=100_000,
        initial=0,
        required=False,
        help_text=_("0 means free to download."),
    )
    preview_pages = forms.IntegerField(
        label=_("Free preview pages"),
        min_value=1,
        required=False,
        help_text=_("Pages anyone may read before buying; empty means the site default."),
    )
    field_order = ["files", "title", "category", "tags", "description", "price", "preview_pages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the file name.")

    def clean_price(self) -> int:
        return self.cleaned_data.get("price") or 0


class DocumentEditForm(DescribeForm):
    pass
