"""Enlace settings, read from the environment (twelve-factor).

The demo (`make run`) writes var/local.env (DEBUG=1 and a generated SECRET_KEY), read here
when present, so `enlace` commands work after it as the README gives them; a variable set in
the environment wins over the file. Outside debug a missing SECRET_KEY or ALLOWED_HOSTS stops
start-up with a message that names the variable.
"""

import ipaddress
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

TESTING = env.bool("ENLACE_TESTING", default="pytest" in sys.modules)
if not TESTING:
    environ.Env.read_env(env.str("ENLACE_LOCAL_ENV", default=str(VAR_DIR / "local.env")))
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=1 for the local demo."
        )
    SECRET_KEY = "enlace-insecure-demo-key-never-use-in-production"

# Sensitive fields (passport numbers) are encrypted with these Fernet keys, newest first.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS is not set. Generate one with `python -c \"from cryptography."
        "fernet import Fernet; print(Fernet.generate_key().decode())\"`."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. Set it to the host names this server answers to, "
            "comma-separated (for example enlace.example.org)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # web first: its templates (layout, allauth pages, error pages) override the libraries'.
    "web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "huey.contrib.djhuey",
    "django_htmx",
    "ninja",
    "core",
    "accounts",
    "partnerships",
    "personnel",
    "engagements",
    "response",
    "border",
    "exercises",
    "interop",
    # Last: its commands (load_demo) gather every app's data, so it sits above them all.
    "enlace",
]

MIDDLEWARE = [
    "core.middleware.ProxyHeadersMiddleware",
    "core.middleware.RequestIdMiddleware",
    "core.middleware.BusyDatabaseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "accounts.middleware.RequireMFAForRoleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "enlace.urls"
WSGI_APPLICATION = "enlace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.navigation",
            ],
        },
    },
]

# SQLite in var/ is the embedded default; DATABASE_URL=postgres://... scales out.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'enlace.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock when a
    # transaction begins, so writers queue for it (up to `timeout` seconds, then a 503) instead
    # of failing when a read turns into a write. Under WAL, synchronous=NORMAL cannot corrupt
    # the database and spares a disk sync per commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
    HUEY = {"huey_class": "huey.RedisHuey", "name": "enlace", "url": REDIS_URL,
            "immediate": TESTING}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The embedded job queue opens its SQLite file as soon as huey is imported.
    VAR_DIR.mkdir(exist_ok=True)
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "enlace",
            "filename": str(VAR_DIR / "huey.sqlite3"), "immediate": TESTING}

AUTH_USER_MODEL = "accounts.User"
# The nations records are owned by and released to: core marks records with it without
# importing the app that defines it (core.models.nation_model).
NATION_MODEL = "accounts.Nation"
# Whose organizations a user may look up besides its own nation's: the nations it works with,
# which partnerships decide (accounts sits below partnerships and does not import it).
WORKING_NATIONS = "partnerships.selectors.working_nations"
# The port-of-entry status board the optimizer and the map read (response.port_board): border
# keeps it and builds on response, which does not import border.
PORT_STATUS_BOARD = "border.selectors.ports"
# The words of the map layers other apps serve, merged into the map page's labels (response
# sits below them): each a function returning {label key: words in the active language}.
MAP_LABELS = ["border.selectors.notices.map_labels"]
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the signed-in user with its MFA state in one query.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
    # user.has_perm(perm, record): the record is in restrict(user, action).
    "core.permissions.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests create many users; MD5 keeps them fast. Production and the demo use argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: username login, no self sign-up (administrators create accounts), throttled logins.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# Failed logins count per (client address, username) (the key: accounts.adapters), with
# back-off: 5 in 5 minutes, 10 in an hour, 20 in a day each make that pair wait for its window.
# An address failing 100 times an hour across usernames (password spraying) waits too; logins
# of any outcome are capped at 30 a minute per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,10/h/key,20/d/key,100/h/ip",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Enlace"

if DEBUG and "EMAIL_URL" not in env:
    # The demo writes each email to a file in var/mail/ rather than over the server's log.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
else:
    vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="enlace@localhost")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish dates and numbers follow Mexico (es-MX), not Spain.
FORMAT_MODULE_PATH = ["enlace.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Los_Angeles"
# The three zones of the partnership's users: California, Baja California, Baja California Sur.
USER_TIME_ZONES = [
    ("America/Los_Angeles", _("California (Pacific time)")),
    ("America/Tijuana", _("Baja California (Tijuana)")),
    ("America/Mazatlan", _("Baja California Sur (Mazatlán)")),
]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security defaults: secure cookies and HSTS whenever we are not the local demo.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; see base.html
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_HSTS_SECONDS = 0 if (DEBUG or TESTING) else env.int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Reverse proxies (addresses or networks) in front of Enlace: X-Forwarded-For and
# X-Forwarded-Proto are believed from these alone (core.middleware.ProxyHeadersMiddleware).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Map tiles come from a configurable server; with none set the map shows offline outlines only.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
# Shown in the map's corner as plain text: most tile providers' terms require it.
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")
# The browser loads the tiles as images, so the tile server's origin joins img-src; a `{s}`
# subdomain placeholder becomes a wildcard. A relative URL (tiles served here) needs nothing.
_tiles = urlsplit(MAP_TILE_URL.replace("{s}", "*"))
if _tiles.scheme and _tiles.netloc:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# Auditlog: the request id ties every history entry to the request that made it.
AUDITLOG_CID_HEADER = "x-request-id"
AUDITLOG_INCLUDE_ALL_MODELS = False

API_PAGE_SIZE_DEFAULT = 50
API_PAGE_SIZE_MAX = 200
NINJA_PAGINATION_PER_PAGE = API_PAGE_SIZE_DEFAULT
NINJA_PAGINATION_MAX_LIMIT = API_PAGE_SIZE_MAX
API_TOKEN_DEFAULT_DAYS = 90

# After-action reports are due this many days after an engagement ends.
AAR_DUE_DAYS = env.int("AAR_DUE_DAYS", default=30)

# The allocation optimizer keeps at least this share of each organization's units of a kind at
# home (rounded up) when it proposes who to send.
ALLOCATION_KEEP_AT_HOME = env.float("ALLOCATION_KEEP_AT_HOME", default=0.2)
if not 0 <= ALLOCATION_KEEP_AT_HOME <= 1:
    raise ImproperlyConfigured("ALLOCATION_KEEP_AT_HOME is a share between 0 and 1.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Every write to these models leaves a history entry (actor, time, request id, before/after).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "accounts.nation",
    "accounts.organization",
    {"model": "accounts.role", "m2m_fields": ["permissions"]},
    {"model": "accounts.user", "exclude_fields": ["password", "last_login"],
     "m2m_fields": ["groups"]},
    {"model": "accounts.apitoken", "exclude_fields": ["key_hash", "last_used_at"]},
    {"model": "partnerships.partnership", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at"]},
    {"model": "personnel.unit", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at"]},
    # Passport data is encrypted at rest and for the personnel officer only: never in history.
    {"model": "personnel.member", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at", "passport_number", "passport_expires"]},
    "personnel.qualification",
    "personnel.dutyperiod",
    {"model": "personnel.order", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at"]},
    *({"model": f"partnerships.{name}", "m2m_fields": ["rel_to"],
       "exclude_fields": ["created_at", "updated_at"]}
      for name in ("agreement", "lineofeffort", "objective", "indicator", "measurement",
                   "assessment")),
    {"model": "engagements.engagement", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at"]},
    *({"model": f"engagements.{name}", "m2m_fields": ["rel_to"],
       "exclude_fields": ["created_at", "updated_at"]}
      for name in ("budgetline", "person", "participation", "afteractionreport", "attendance",
                   "observation", "followonproposal")),
    {"model": "engagements.calendarfeed", "exclude_fields": ["key_hash"]},
    *({"model": f"response.{name}", "m2m_fields": ["rel_to"],
       "exclude_fields": ["created_at", "updated_at"]}
      for name in ("incident", "unit", "resourcerequest", "offer", "aidagreement", "deployment",
                   "rostermember", "deploymentcost")),
    {"model": "response.allocationproposal", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at", "instance", "plan", "progress",
                        "progress_note", "timings"]},
    *(f"response.{name}" for name in ("offerline", "signature", "onboardingitem", "checkin",
                                      "dailystatus", "shiftlog")),
    *({"model": f"border.{name}", "m2m_fields": ["rel_to"],
       "exclude_fields": ["created_at", "updated_at"]}
      for name in ("borderevent", "timelineentry", "notice", "situationreport",
                   "sitrepsection")),
    "border.bordereventkind", "border.contactrule",
    *({"model": f"exercises.{name}", "m2m_fields": ["rel_to"],
       "exclude_fields": ["created_at", "updated_at"]}
      for name in ("exercise", "exerciseobjective", "inject", "playerresponse",
                   "evaluatorobservation", "improvementitem")),
    "exercises.corecapability",
    {"model": "interop.receivedalert", "m2m_fields": ["rel_to"],
     "exclude_fields": ["created_at", "updated_at", "document", "infos"]},
)
# Links to other marked records are logged with their ids (core.audit.log_links), so history
# names each one only to a reader who may see it.
HISTORY_LINK_FIELDS = ("engagements.engagement.objectives", "response.allocationproposal.offers")
