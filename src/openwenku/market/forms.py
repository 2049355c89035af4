from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from openwenku.documents.services import MAX_PRICE


class BuyForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    expected_price = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class VipBuyForm(forms.Form):
    plan = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class VipDownloadForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (coins)"), min_value=1)
    account = forms.CharField(
        label=_("Payout account"),
        max_length=200,
        help_text=_("Where the operator should pay you, e.g. an Alipay account and name."),
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class PricingForm(forms.Form):
    price = forms.IntegerField(
        label=_("Price (coins)"), min_value=0, max_value=MAX_PRICE, help_text=_("0 means free.")
    )
    preview_pages = forms.IntegerField(
        label=_("Free preview pages"),
        min_value=1,
        required=False,
        help_text=_("Pages anyone may read before buying; empty means the site default."),
    )


class OperatorPricingForm(PricingForm):
    lock = forms.BooleanField(label=_("Lock: the uploader cannot change the price"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Member (user name)"), max_length=150)
    amount = forms.IntegerField(
        label=_("Amount"), help_text=_("Positive to grant coins, negative to deduct them.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No member with this user name."))
        self.cleaned_data["user"] = user
        return name

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("The amount must not be zero."))
        return amount
