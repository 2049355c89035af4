"""Settings, read from the environment (see .env.example).

The defaults are the embedded mode: SQLite in WAL mode and local files under
OPENWENKU_DATA_DIR, no other service. DATABASE_URL switches to PostgreSQL.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openwenku import datadir

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()
# A .env in the working directory is read if present; real environment variables win.
environ.Env.read_env(Path.cwd() / ".env", overwrite=False)

# Importing the settings creates nothing: the data folder and the secret key are
# made by the `openwenku` command and the WSGI entry point (see openwenku.datadir).
DATA_DIR = Path(env.str("OPENWENKU_DATA_DIR", default="./data")).resolve()

DEBUG = env.bool("OPENWENKU_DEBUG", default=False)


def _secret_key() -> str:
    """The operator's key, or the one the first command kept in the data folder.

    Embedded installs need no configuration, yet never share a key baked into
    the source.
    """
    key = env.str("OPENWENKU_SECRET_KEY", default="") or datadir.read_secret_key(DATA_DIR)
    if not key:
        raise ImproperlyConfigured(
            f"No secret key: set OPENWENKU_SECRET_KEY, or run any `openwenku` command "
            f"(e.g. `openwenku migrate`) once to create one in {DATA_DIR}."
        )
    return key


SECRET_KEY = _secret_key()
# The site's public address: the only source of links in e-mails (never the
# request's Host header, which a client chooses). `openwenku serve` derives it
# from its --bind address when unset, and requires it when listening on all
# interfaces outside DEBUG.
SITE_URL = env.str("OPENWENKU_SITE_URL", default="").rstrip("/")


def _default_allowed_hosts(site_url: str) -> list[str]:
    """The public address's host and the loopback names; never "*"."""
    hosts = ["localhost", "127.0.0.1", "[::1]"]
    host = urlsplit(site_url).hostname
    if host:
        host = f"[{host}]" if ":" in host else host
        if host not in hosts:
            hosts.insert(0, host)
    return hosts


ALLOWED_HOSTS = env.list("OPENWENKU_ALLOWED_HOSTS", default=_default_allowed_hosts(SITE_URL))
CSRF_TRUSTED_ORIGINS = env.list("OPENWENKU_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "openwenku.core",
    "openwenku.accounts",
    "openwenku.notifications",
    "openwenku.audit",
    "openwenku.discovery",
    "openwenku.documents",
    "openwenku.similarity",
    "openwenku.integrity",
    "openwenku.conversion",
    "openwenku.moderation",
    "openwenku.search",
    "openwenku.market",
    "openwenku.payments",
    "openwenku.api",
    # Last: only so django-ninja's API docs render its bundled Swagger UI and ReDoc
    # from this site's static files instead of a public CDN.
    "ninja",
]

MIDDLEWARE = [
    # First, so it times everything below (Prometheus, /metrics).
    "openwenku.web.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON answers (static files come pre-compressed from
    # WhiteNoise, above). Above every middleware that reads or writes the body.
    # Django's GZip pads each answer with random bytes against BREACH (Django 4.2+).
    "openwenku.core.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The first operator's one-time password leads to the password change first.
    "openwenku.accounts.middleware.PasswordChangeRequiredMiddleware",
    # A deleted document's page answers 410 Gone, not 404 (above the next one).
    "openwenku.discovery.middleware.RemovedDocumentMiddleware",
    "openwenku.core.middleware.ApplicationErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4), issue 11 item 14: the pages run only
# scripts and styles served from this site -- no inline <script>, no on*= handler,
# no style= attribute (templates wire behaviour with data- attributes and
# static/openwenku/site.js). Page images and covers are same-origin; data: covers
# small inline icons. Nothing may frame the site, post forms elsewhere, or
# rewrite the base URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "openwenku.urls"
WSGI_APPLICATION = "openwenku.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "openwenku.core.context_processors.site",
                "openwenku.market.context_processors.wallet",
                "openwenku.notifications.context_processors.unread",
                "openwenku.payments.context_processors.recharge",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: readers never block the
# writer and two writers queue instead of failing with "database is locked".
_SQLITE_DEFAULT = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(DATA_DIR / "openwenku.sqlite3"),
    # Tests use a file, so a live server and worker threads share one database.
    "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    "OPTIONS": {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=30000;"
            "PRAGMA foreign_keys=ON;"
        ),
    },
}
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # Another SQLite file: same WAL and IMMEDIATE transactions as the default.
        DATABASES["default"]["OPTIONS"] = _SQLITE_DEFAULT["OPTIONS"]
    else:
        DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
        DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
else:
    DATABASES = {"default": _SQLITE_DEFAULT}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks -----------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Cache ----------------------------------------------------------------------
# The cache holds the rate limits and throttles (counted with atomic add/incr), so
# every web process must share it. REDIS_URL (OPENWENKU_REDIS_URL also read): Redis,
# shared by several machines. Otherwise a file cache in the data folder, shared by
# the web processes of this machine (core.cache makes its add/incr atomic).
# OPENWENKU_CACHE_KEY_PREFIX separates sites (or test runs) sharing one Redis database.
REDIS_URL = env.str("REDIS_URL", default="") or env.str("OPENWENKU_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("OPENWENKU_CACHE_KEY_PREFIX", default="openwenku"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "openwenku.core.cache.LockingFileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": env.str("OPENWENKU_CACHE_KEY_PREFIX", default=""),
        }
    }

# --- Files ----------------------------------------------------------------------
# Everything under MEDIA_ROOT is private: originals, PDFs and page images are
# only ever served through views that check who may see them.
MEDIA_ROOT = DATA_DIR / "files"
# Never routed: media is served only by views that check access.
MEDIA_URL = "/_private/"
# Originals and page images readable by the site's user and its group only.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/_private/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads stream to temporary files above this size; the size limit is
# enforced while streaming (see documents.upload).
FILE_UPLOAD_HANDLERS = ["openwenku.documents.uploads.LimitedHashingUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# --- Accounts -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
# Log in with the user name or the e-mail address. django-axes comes first: it
# refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "openwenku.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = env.str(
    "OPENWENKU_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("OPENWENKU_FROM_EMAIL", default="OpenWenku <noreply@localhost>")

# One login throttle for every way in (login page, admin, API token endpoint):
# django-axes counts failures in the database, atomically, per account (from any
# address) and per address (for any accounts); limits and cool-off are
# OPENWENKU_LOGIN_* below, read at each attempt by accounts.throttling.
AXES_HANDLER = "openwenku.accounts.throttling.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "openwenku.accounts.throttling.login_failure_limit"
AXES_COOLOFF_TIME = "openwenku.accounts.throttling.login_cool_off"
AXES_CLIENT_IP_CALLABLE = "openwenku.accounts.throttling.client_ip"
AXES_USERNAME_CALLABLE = "openwenku.accounts.throttling.login_username"
AXES_LOCKOUT_CALLABLE = "openwenku.accounts.throttling.lockout_response"
# A member's own success forgets their failures from that address (only those).
AXES_RESET_ON_SUCCESS = True
# Attempts while locked count too: a client that keeps guessing stays locked.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# No table of every successful login (the audit log keeps what operators need).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Labels for the admin; the language switcher shows each language by its own name.
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("OPENWENKU_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Security (sensible in production, harmless embedded) ---------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served over TLS when the public address says so: HSTS for this host (subdomains
# only when the operator opts in: they may be other sites) and cookies that never
# travel in clear.
if urlsplit(SITE_URL).scheme == "https":
    SECURE_HSTS_SECONDS = env.int("OPENWENKU_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("OPENWENKU_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Reverse proxies whose X-Forwarded-* headers are believed (addresses or networks,
# comma-separated). Only then is X-Forwarded-Proto trusted for "is this HTTPS?":
# the proxy must set it on every request and be the only way in. `openwenku serve`
# also hands the list to gunicorn (--forwarded-allow-ips).
# They also give the client's address to every per-address limit
# (accounts.throttling.client_ip). Checked here, so a typo stops the start.
try:
    TRUSTED_PROXIES = [
        str(ipaddress.ip_network(p, strict=False))
        for p in env.list("OPENWENKU_TRUSTED_PROXIES", default=[])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"OPENWENKU_TRUSTED_PROXIES: {exc}") from exc
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # SECURE_SSL_REDIRECT: the TLS-terminating proxy redirects http to https;
    # Django redirecting behind it (without a trusted proxy header) would loop.
    "security.W008",
    # HSTS includeSubDomains: other sites may live on subdomains and not all of
    # them on HTTPS; an operator opts in with OPENWENKU_HSTS_INCLUDE_SUBDOMAINS.
    "security.W005",
    # HSTS preload: a listing in browsers that is slow to undo and needs
    # includeSubDomains; the operator's decision, not a default.
    "security.W021",
]

# --- OpenWenku ---------------------------------------------------------------------


def _operator_text(var: str, default: Promise) -> str | Promise:
    """An operator text: as the operator wrote it when set (even empty), else the
    project's default words, translated into each reader's language. The default
    stays out of env.str(), which would evaluate it before the apps are ready."""
    value = env.str(var, default=None)
    return default if value is None else value


def _secret(var: str) -> str:
    """A key given in the variable itself or in a file named by VAR_FILE."""
    path = env.str(f"{var}_FILE", default="")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{var}_FILE: {exc}") from exc
    return env.str(var, default="").replace("\\n", "\n").strip()


OPENWENKU = {
    # Free preview pages of a priced document when its uploader sets none.
    "DEFAULT_PREVIEW_PAGES": env.int("OPENWENKU_DEFAULT_PREVIEW_PAGES", default=10),
    "SITE_NAME": _operator_text("OPENWENKU_SITE_NAME", _("OpenWenku")),
    # Upload limit in bytes, enforced while the body streams in.
    "MAX_UPLOAD_BYTES": env.int("OPENWENKU_MAX_UPLOAD_MB", default=100) * 1024 * 1024,
    # Conversion limits: LibreOffice wall time, page rendering wall time, pages, memory.
    "CONVERT_TIMEOUT": env.int("OPENWENKU_CONVERT_TIMEOUT", default=120),
    "RENDER_TIMEOUT": env.int("OPENWENKU_RENDER_TIMEOUT", default=300),
    # A page the renderer is silent on for this long is skipped as unreadable.
    "PAGE_TIMEOUT": env.int("OPENWENKU_PAGE_TIMEOUT", default=60),
    "MAX_PAGES": env.int("OPENWENKU_MAX_PAGES", default=2000),
    "WORKER_MEMORY_MB": env.int("OPENWENKU_WORKER_MEMORY_MB", default=2048),
    "PAGE_WIDTH": env.int("OPENWENKU_PAGE_WIDTH", default=1200),
    # Page-rendering processes per document (0 = one per core).
    "RENDER_PROCESSES": env.int("OPENWENKU_RENDER_PROCESSES", default=0),
    # OCR of pages without a usable text layer (after publishing).
    "OCR_ENABLED": env.bool("OPENWENKU_OCR", default=True),
    "OCR_PAGE_TIMEOUT": env.int("OPENWENKU_OCR_PAGE_TIMEOUT", default=120),
    "OCR_MEMORY_MB": env.int("OPENWENKU_OCR_MEMORY_MB", default=3072),
    # Chosen by benchmarks/ingest.py: WebP q75 method 2 keeps 1200 px text sharp at a
    # median ~46 KB/page in ~48 ms, where method 4 costs ~4x the time for 4% fewer bytes.
    "WEBP_QUALITY": env.int("OPENWENKU_WEBP_QUALITY", default=75),
    "WEBP_METHOD": env.int("OPENWENKU_WEBP_METHOD", default=2),
    "THUMB_WIDTH": env.int("OPENWENKU_THUMB_WIDTH", default=240),
    # How long a conversion may hold a document before another worker may take it.
    "LEASE_SECONDS": env.int("OPENWENKU_LEASE_SECONDS", default=900),
    "SOFFICE": env.str("OPENWENKU_SOFFICE", default="soffice"),
    # warm: a long-lived LibreOffice per worker process (needs Debian's python3-uno);
    # cold: a fresh soffice per file. A warm instance is replaced after this many files.
    "LO_MODE": env.str("OPENWENKU_LO_MODE", default="warm"),
    "LO_MAX_CONVERSIONS": env.int("OPENWENKU_LO_MAX_CONVERSIONS", default=100),
    # Every converter (LibreOffice, PDFium renderer, OCR) runs in a bubblewrap sandbox
    # (no network, no view of the data dir). Required: a missing or broken bwrap stops
    # the worker at start-up. "off" is for development only and logs a loud warning.
    "SANDBOX": env.str("OPENWENKU_SANDBOX", default="on"),
    # Scratch bound of every converter: the largest file it may write and the size of
    # its private /tmp (memory). A decompression bomb ends as "output_too_large".
    "CONVERT_SCRATCH_MB": env.int("OPENWENKU_CONVERT_SCRATCH_MB", default=2048),
    # Operator texts shown in every page footer.
    "STATEMENT": _operator_text(
        "OPENWENKU_STATEMENT",
        _(
            "Documents here are traded between members: what a member uploads is "
            "downloaded by other members, and this site is only the platform in between. "
            "All earnings from downloads go to the uploader (the author included). This "
            "site only provides storage, protects how uploaded content is displayed, and "
            "does not modify or edit the content itself."
        ),
    ),
    "COMPLAINT": _operator_text(
        "OPENWENKU_COMPLAINT",
        _(
            "If a document infringes your copyright or privacy, tell us with the "
            "“Report” link on its page or by e-mail to {email}, and we will deal with "
            "it at once."
        ),
    ),
    "COMPLAINT_EMAIL": env.str("OPENWENKU_COMPLAINT_EMAIL", default="abuse@localhost"),
    "ICP": env.str("OPENWENKU_ICP", default=""),
    # Search: a logged query is offered to other readers (suggestions, related
    # searches) only once this many searches made it; raw log kept this many days.
    "SEARCH": {
        "SUGGEST_MIN_COUNT": env.int("OPENWENKU_SEARCH_SUGGEST_MIN_COUNT", default=3),
        "LOG_DAYS": env.int("OPENWENKU_SEARCH_LOG_DAYS", default=180),
        # Searches a minute per member or per anonymous address (issue 11, item 8),
        # and per address for all its members together (0 = no limit).
        "RATE": env.int("OPENWENKU_SEARCH_RATE", default=60),
        "RATE_PER_IP": env.int("OPENWENKU_SEARCH_RATE_PER_IP", default=600),
    },
    # Upload quotas of a member (operators and the import command are exempt):
    # files in one request, files and megabytes a day (0 = no limit).
    "UPLOAD_FILES_PER_REQUEST": env.int("OPENWENKU_UPLOAD_FILES_PER_REQUEST", default=20),
    "UPLOAD_FILES_PER_DAY": env.int("OPENWENKU_UPLOAD_FILES_PER_DAY", default=50),
    "UPLOAD_MB_PER_DAY": env.int("OPENWENKU_UPLOAD_MB_PER_DAY", default=1024),
    # Personal API tokens expire after this many days (a token may ask for fewer).
    "API_TOKEN_DAYS": env.int("OPENWENKU_API_TOKEN_DAYS", default=90),
    # Rewards (issue 11, item 2). An upload earns a reward only if the document
    # has at least MIN_PAGES pages and MIN_TEXT_CHARS characters of text (also the
    # content-integrity rule, documents/content.py); about half a printed page of
    # Chinese, so one-line files earn nothing while a short real handout does.
    "MIN_PAGES": env.int("OPENWENKU_MIN_PAGES", default=1),
    "MIN_TEXT_CHARS": env.int("OPENWENKU_MIN_TEXT_CHARS", default=300),
    # Reward coins (upload + sign-in) a member may earn per local day (0 = no cap).
    "REWARD_DAILY_CAP": env.int("OPENWENKU_REWARD_DAILY_CAP", default=10),
    # Sale income becomes withdrawable this many days after the sale; a sale paid
    # with coins more than SALE_REVIEW_REWARD_PERCENT % of which were rewards from
    # that period waits for an operator's review instead.
    "SALE_HOLD_DAYS": env.int("OPENWENKU_SALE_HOLD_DAYS", default=7),
    "SALE_REVIEW_REWARD_PERCENT": env.int("OPENWENKU_SALE_REVIEW_REWARD_PERCENT", default=50),
    # A VIP member's download of a priced document pays its uploader this % of the
    # price from the site's wallet (issue 15).
    "VIP_PAYOUT_PERCENT": env.int("OPENWENKU_VIP_PAYOUT_PERCENT", default=50),
    # --- accounts: registration limits (issue 11, item 2) ---
    # Accounts one client address may create in 24 hours (0 = no limit).
    "REGISTRATIONS_PER_IP_PER_DAY": env.int("OPENWENKU_REGISTRATIONS_PER_IP_PER_DAY", default=5),
    # Login throttle (issue 11, item 3): failed logins that lock one account (from
    # any address) and one address (for any accounts), and for how many minutes
    # after the latest failure.
    "LOGIN_FAILURE_LIMIT": env.int("OPENWENKU_LOGIN_FAILURE_LIMIT", default=10),
    "LOGIN_FAILURE_LIMIT_PER_IP": env.int("OPENWENKU_LOGIN_FAILURE_LIMIT_PER_IP", default=30),
    "LOGIN_LOCKOUT_MINUTES": env.int("OPENWENKU_LOGIN_LOCKOUT_MINUTES", default=15),
    # --- end accounts ---
    # --- moderation: copyright (issue 13) ---
    # Upheld copyright notices against a member's documents that ban their uploads,
    # and for how many days (0 notices = never).
    "REPEAT_INFRINGER_NOTICES": env.int("OPENWENKU_REPEAT_INFRINGER_NOTICES", default=3),
    "REPEAT_INFRINGER_BAN_DAYS": env.int("OPENWENKU_REPEAT_INFRINGER_BAN_DAYS", default=90),
    # A document taken down for cause: its sale earnings are frozen; when on, its
    # sales are also reversed to the buyers.
    "TAKEDOWN_REFUND_BUYERS": env.bool("OPENWENKU_TAKEDOWN_REFUND_BUYERS", default=False),
    # --- end moderation: copyright ---
    # --- moderation (issue 13): review before publishing, reports ---
    # "none": publish at once; "new_members": a member's uploads are reviewed until
    # REVIEW_FIRST_UPLOADS of them were accepted with no upheld report; "all": review all.
    "REVIEW_POLICY": env.str("OPENWENKU_REVIEW_POLICY", default="new_members"),
    "REVIEW_FIRST_UPLOADS": env.int("OPENWENKU_REVIEW_FIRST_UPLOADS", default=3),
    # Reports (举报) one client address may file an hour (0 = no limit).
    "REPORTS_PER_IP_PER_HOUR": env.int("OPENWENKU_REPORTS_PER_IP_PER_HOUR", default=10),
    # --- end moderation ---
    # --- integrity: content checks (issue 12; README "Content checks") ---
    "CHECKS": {
        # Findings stored per check per document (the rest are counted only).
        "MAX_FINDINGS": env.int("OPENWENKU_CHECK_MAX_FINDINGS", default=50),
        # Contact details of these kinds hold a document for review wherever they
        # appear (phone, qq, wechat, email, url, qr).
        "CONTACT_HOLD": env.list("OPENWENKU_CONTACT_HOLD", default=["phone", "qq", "wechat", "qr"]),
        # Kinds allowed on the last page (the uploader's own site or address):
        # recorded for information only there.
        "CONTACT_LAST_PAGE": env.list("OPENWENKU_CONTACT_LAST_PAGE", default=["email", "url"]),
        # E-mail addresses and links are information, unless words of advertising
        # surround them (更多/下载/关注/免费 …: they hold), or they are on at least
        # this many pages (0: no such rule; papers repeat a footer URL on every page).
        "CONTACT_LINK_PAGES": env.int("OPENWENKU_CONTACT_LINK_PAGES", default=0),
        # Domains (and their subdomains) never reported; the site's own always is.
        "CONTACT_ALLOWED_DOMAINS": env.list("OPENWENKU_CONTACT_ALLOWED_DOMAINS", default=[]),
        # QR codes: documents up to this many pages are scanned whole, longer ones
        # at this many pages (first, last and evenly between); images downscaled.
        "QR_MAX_PAGES": env.int("OPENWENKU_QR_MAX_PAGES", default=30),
        "QR_WIDTH": env.int("OPENWENKU_QR_WIDTH", default=1000),
        # Low content: a page with fewer characters than this and a nearly uniform
        # image (pixel standard deviation below BLANK_PAGE_STDDEV) is blank.
        "BLANK_PAGE_CHARS": env.int("OPENWENKU_BLANK_PAGE_CHARS", default=5),
        "BLANK_PAGE_STDDEV": env.float("OPENWENKU_BLANK_PAGE_STDDEV", default=4.0),
        # What a low-content finding does: info (no upload reward), hold or reject.
        "LOW_CONTENT": env.str("OPENWENKU_LOW_CONTENT", default="info"),
    },
    # --- end integrity ---
    # --- similarity: near-duplicates (issue 12; README "Near-duplicates") ---
    "NEAR_DUPLICATE": {
        # A document is a near-duplicate of another when max(resemblance, share of
        # the smaller found in the larger) reaches this (0..1).
        "THRESHOLD": env.float("OPENWENKU_NEAR_DUPLICATE_THRESHOLD", default=0.8),
        # What a near-duplicate of another member's earlier document does: hold | info.
        "ACTION": env.str("OPENWENKU_NEAR_DUPLICATE_ACTION", default="hold"),
    },
    # --- end similarity ---
    # --- payments: recharge by Alipay / WeChat Pay (issue 15; README "Payments") ---
    # Recharge is hidden (404) until a provider's app id and keys are all set.
    "PAYMENTS": {
        "ALIPAY_APP_ID": env.str("OPENWENKU_ALIPAY_APP_ID", default=""),
        "ALIPAY_PRIVATE_KEY": _secret("OPENWENKU_ALIPAY_PRIVATE_KEY"),
        "ALIPAY_PUBLIC_KEY": _secret("OPENWENKU_ALIPAY_PUBLIC_KEY"),
        # The merchant's Alipay account id (2088…): checked in notifications when set.
        "ALIPAY_SELLER_ID": env.str("OPENWENKU_ALIPAY_SELLER_ID", default=""),
        "ALIPAY_SANDBOX": env.bool("OPENWENKU_ALIPAY_SANDBOX", default=False),
        # Another gateway address (a test double, a proxy); empty: Alipay's own.
        "ALIPAY_GATEWAY": env.str("OPENWENKU_ALIPAY_GATEWAY", default=""),
        "WECHAT_MCHID": env.str("OPENWENKU_WECHAT_MCHID", default=""),
        "WECHAT_APPID": env.str("OPENWENKU_WECHAT_APPID", default=""),
        "WECHAT_PRIVATE_KEY": _secret("OPENWENKU_WECHAT_PRIVATE_KEY"),
        "WECHAT_CERT_SERIAL_NO": env.str("OPENWENKU_WECHAT_CERT_SERIAL_NO", default=""),
        "WECHAT_APIV3_KEY": _secret("OPENWENKU_WECHAT_APIV3_KEY"),
        # WeChat Pay's public key (平台公钥) and its id (PUB_KEY_ID_…).
        "WECHAT_PUBLIC_KEY": _secret("OPENWENKU_WECHAT_PUBLIC_KEY"),
        "WECHAT_PUBLIC_KEY_ID": env.str("OPENWENKU_WECHAT_PUBLIC_KEY_ID", default=""),
        "WECHAT_GATEWAY": env.str("OPENWENKU_WECHAT_GATEWAY", default=""),
        # H5 pay for phones' browsers (needs the merchant's H5 permission); else a QR code.
        "WECHAT_H5": env.bool("OPENWENKU_WECHAT_H5", default=False),
        # An order not paid after this many minutes is closed by `payments reconcile`.
        "ORDER_EXPIRE_MINUTES": env.int("OPENWENKU_PAYMENT_EXPIRE_MINUTES", default=30),
    },
    # --- end payments ---
}

# --- Operations (issue 17): health, metrics, logs, warm-up ---------------------------
# /metrics (Prometheus) answers only a scraper that sends this bearer token and/or
# comes from one of these addresses or networks; 404 to everyone when neither is set.
METRICS_TOKEN = env.str("OPENWENKU_METRICS_TOKEN", default="")
try:
    METRICS_ALLOW = [
        str(ipaddress.ip_network(p, strict=False))
        for p in env.list("OPENWENKU_METRICS_ALLOW", default=[])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"OPENWENKU_METRICS_ALLOW: {exc}") from exc
# Load jieba, OpenCC and the search tables when a web process starts (wsgi.py).
WARM_UP = env.bool("OPENWENKU_WARM_UP", default=True)
# "plain" (default) or "json": one JSON object per line for log collectors.
LOG_FORMAT = env.str("OPENWENKU_LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("OPENWENKU_LOG_FORMAT must be plain or json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "openwenku.core.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("OPENWENKU_LOG_LEVEL", default="INFO")},
    # django-axes logs every attempt at INFO; failures and lockouts are WARNING.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Keep gettext_lazy importable from here for apps that declare labels in settings.
_ = _
