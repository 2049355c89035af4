"""The form a reader fills in to report a document (举报)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=())
    detail = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    contact = forms.CharField(label=_("Contact (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, anonymous: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if anonymous:
            # A visitor without an account must say how to reach them.
            contact = self.fields["contact"]
            contact.required = True
            contact.label = _("Contact (e-mail or phone)")
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = Report.Reason.choices
