"""Account pages. Django's auth views do the work; these only configure them."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView, UpdateView
from django.views.generic.base import ContextMixin

from openwenku.core.models import SiteConfiguration

from . import registration, services
from .forms import LOCKED_OUT, LoginForm, ProfileForm, RegisterForm
from .models import User
from .selectors import member_penalties
from .throttling import allow, client_ip
from .types import AuthenticatedRequest

BACKEND = "openwenku.accounts.backends.UsernameOrEmailBackend"


def _login_backend() -> str:
    """The backend recorded in the session for a member logged in without a password check."""
    backends = settings.AUTHENTICATION_BACKENDS
    return BACKEND if BACKEND in backends else backends[0]


class SiteContextMixin(ContextMixin):
    """Django's login and logout views put a ``sites`` framework ``site`` in the
    context, hiding the site texts that base.html reads from ``site``."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.pop("site", None)
        context.pop("site_name", None)
        return context


# Window of OPENWENKU_REGISTRATIONS_PER_IP_PER_DAY, counted from the first registration.
REGISTRATION_WINDOW = 24 * 3600
# The address a sign-up's mail went to, for the "check your e-mail" page.
SENT_TO_SESSION_KEY = "registration_sent_to"


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class RegisterView(auth_views.RedirectURLMixin, FormView[RegisterForm]):
    form_class = RegisterForm
    template_name = "accounts/register.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context[self.redirect_field_name] = self.get_redirect_url()
        return context

    def form_valid(self, form: RegisterForm) -> HttpResponse:
        data = form.cleaned_data
        limit = settings.OPENWENKU.get("REGISTRATIONS_PER_IP_PER_DAY", 5)
        ip = client_ip(self.request)
        if limit and not allow("register-ip", ip, limit=limit, window=REGISTRATION_WINDOW):
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Too many accounts have been created from your network address "
                        "today. Please try again in 24 hours."
                    ),
                    code="too_many_registrations",
                ),
            )
            return self.form_invalid(form)
        registration.registration_start(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            display_name=data.get("display_name", ""),
            next_url=self.get_redirect_url(),
        )
        # The same answer whether the address was new or registered: see registration.
        self.request.session[SENT_TO_SESSION_KEY] = data["email"]
        return HttpResponseRedirect(reverse("accounts:register_sent"))


@method_decorator(never_cache, name="dispatch")
class RegisterSentView(TemplateView):
    """ "We sent a link to <address>": the one answer to every accepted sign-up."""

    template_name = "accounts/register_sent.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.session.get(SENT_TO_SESSION_KEY)
        if not email:
            return HttpResponseRedirect(reverse("accounts:register"))
        context = self.get_context_data(
            email=email, days=registration.LINK_MAX_AGE // 86400, **kwargs
        )
        return self.render_to_response(context)


@method_decorator(never_cache, name="dispatch")
class RegisterActivateView(TemplateView):
    """The activation link: a page with one button (mail scanners that follow
    links must not use them up), whose POST creates the member and logs in."""

    template_name = "accounts/register_activate.html"

    def _refused(self, error: registration.InvalidLink) -> HttpResponse:
        return self.render_to_response(self.get_context_data(error=error), status=error.status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            pending = registration.pending_for_link(kwargs["token"])
        except registration.InvalidLink as exc:
            return self._refused(exc)
        return self.render_to_response(self.get_context_data(pending=pending))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            user, next_url = registration.registration_activate(token=kwargs["token"])
        except registration.InvalidLink as exc:
            return self._refused(exc)
        login(request, user, backend=_login_backend())
        request.session.pop(SENT_TO_SESSION_KEY, None)
        messages.success(
            request,
            gettext("Welcome, %(name)s! Your account has been created.")
            % {"name": user.public_name},
        )
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return HttpResponseRedirect(
            next_url if next_url and safe else resolve_url(settings.LOGIN_REDIRECT_URL)
        )


class LoginView(SiteContextMixin, auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, LOCKED_OUT):
            # Locked out: the form with its message, as 429 (with Retry-After, added
            # by the throttle's middleware).
            response.status_code = 429
        return response


class LogoutView(SiteContextMixin, auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, gettext("You have been logged out."))
        return response


class ProfileView(LoginRequiredMixin, SuccessMessageMixin, UpdateView[User, ProfileForm]):
    request: AuthenticatedRequest

    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your profile has been saved.")
    # Not "user": that would hide the logged-in member the page header shows.
    context_object_name = "profile"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        penalties = list(member_penalties(self.request.user)[:50])
        for p in penalties:
            p.in_force = p.is_in_force()  # type: ignore[attr-defined]
        context["penalties"] = penalties
        return context

    def get_object(self, queryset: QuerySet[User] | None = None) -> User:
        # A separate instance: a rejected form must not change the name in the page header.
        return User.objects.get(pk=self.request.user.pk)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_change_done(user=form.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


RESETS_PER_EMAIL = 3  # reset mails an hour to one address
RESETS_PER_CLIENT = 10  # reset requests an hour from one client address


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    # Not registration/password_reset_*: django.contrib.admin is installed
    # first and ships templates under those names, which would win.
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # The link's protocol and domain come from the configured public address
        # only, never from the request's Host (or X-Forwarded-Host) header, which
        # a client chooses: otherwise a reset asked for a victim with
        # `Host: evil.example` mails the victim a link to the attacker's host.
        site_url = registration.site_url()
        site = urlsplit(site_url)
        self.domain_override = site.netloc + site.path
        self.use_https = site.scheme == "https"
        self.extra_email_context = {
            "site_name": SiteConfiguration.current()["site_name"],
            "site_url": site_url,
        }
        # No mail-bombing a victim: a few reset mails an hour per address and per
        # client. Past that the same "sent" page is shown (nothing is revealed) and
        # no mail goes out.
        email = form.cleaned_data["email"]
        per_address = allow("reset-email", email, limit=RESETS_PER_EMAIL, window=3600)
        per_client = allow(
            "reset-ip", client_ip(self.request), limit=RESETS_PER_CLIENT, window=3600
        )
        if not (per_address and per_client):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_change_done(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
