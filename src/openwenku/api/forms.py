"""The token page's form: a name and the scopes a new token carries."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope

SCOPE_HELP = {
    Scope.READ: _("read: see your documents, wallet and earnings"),
    Scope.UPLOAD: _("upload: upload documents and change their price"),
    Scope.MONEY: _("money: spend coins, sign in for coins, withdraw"),
    Scope.MODERATE: _(
        "moderate: operators only — review held documents, handle reports, impose penalties"
    ),
}


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("Where you use it, e.g. “backup script”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(scope.value, SCOPE_HELP[scope]) for scope in Scope],
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
