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


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """A few files at once (proof of ownership); limits checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(d, initial) for d in items if d) if f]


class CopyrightNoticeForm(forms.Form):
    """A rights holder's notice: who, the work, which documents, proof, statements."""

    name = forms.CharField(label=_("Your name or organisation"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    work = forms.CharField(
        label=_("The work whose rights you hold"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    urls = forms.CharField(
        label=_("Addresses of the documents on this site"),
        help_text=_("One address a line."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )
    proof = AttachmentsField(
        label=_("Proof of ownership (files)"),
        required=False,
        help_text=_("Up to 5 files of at most 10 MB each."),
    )
    good_faith = forms.BooleanField(
        label=_(
            "I believe in good faith that the use of the work in these documents is not "
            "authorised by its rights holder or the law."
        )
    )
    accurate = forms.BooleanField(
        label=_(
            "The information in this notice is accurate, and I am the rights holder or "
            "authorised to act for them."
        )
    )

    def clean_urls(self) -> str:
        from .copyright import NoticeRefused, documents_from_urls

        raw = self.cleaned_data["urls"]
        try:
            self.documents_named = documents_from_urls(raw)
        except NoticeRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return raw

    def clean_proof(self) -> list[Any]:
        from .copyright import NoticeRefused, attachments_check

        files = self.cleaned_data["proof"]
        try:
            attachments_check(files)
        except NoticeRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return files


class CounterNoticeForm(forms.Form):
    real_name = forms.CharField(label=_("Your real name"), max_length=100)
    contact = forms.CharField(label=_("Contact (phone or e-mail)"), max_length=200)
    reasons = forms.CharField(
        label=_("Why you have the right to share this document"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    statement = forms.BooleanField(
        label=_(
            "I declare, knowing that a false statement makes me liable, that the document "
            "was removed by mistake or misidentification, and that I have the right to share it."
        )
    )


class ClaimForm(forms.Form):
    evidence = forms.CharField(
        label=_("Why this document is yours"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    contact = forms.CharField(label=_("Contact (phone or e-mail)"), max_length=200)
    proof = AttachmentsField(
        label=_("Evidence (files)"),
        required=False,
        help_text=_("Up to 5 files of at most 10 MB each."),
    )

    def clean_proof(self) -> list[Any]:
        from .copyright import NoticeRefused, attachments_check

        files = self.cleaned_data["proof"]
        try:
            attachments_check(files)
        except NoticeRefused as exc:
            raise forms.ValidationError(exc.message) from None
        return files


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class TakeDownForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=())
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from openwenku.documents.models import Document

        super().__init__(*args, **kwargs)
        cause = self.fields["cause"]
        assert isinstance(cause, forms.ChoiceField)
        cause.choices = Document.TakedownCause.choices
