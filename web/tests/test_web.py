"""The shell every page shares: dashboard, languages, error pages, health and security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.tests.factories import make_partnership

ROOT = Path(__file__).resolve().parents[2]


def test_dashboard_shows_only_releasable_real_data(client_for, us_coordinator, mx_liaison):
    make_partnership(us_coordinator, partner="UKR", rel_to=["USA"], name_en="Kyiv pairing")
    make_partnership(us_coordinator, partner="MEX", rel_to=["MEX"], name_en="Border pairing")
    us_page = client_for(us_coordinator).get("/").content.decode()
    mx_page = client_for(mx_liaison).get("/").content.decode()
    assert "Kyiv pairing" in us_page and "Border pairing" in us_page
    assert "Border pairing" in mx_page and "Kyiv pairing" not in mx_page
    # Recent activity only names records the reader may see.
    assert mx_page.count("Kyiv") == 0


def test_dashboard_for_an_outsider_explains_why_it_is_empty(client_for, outsider):
    page = client_for(outsider).get("/").content.decode()
    assert "belongs to no organization" in page


def test_accept_language_is_respected_before_login(db):
    page = Client(headers={"Accept-Language": "es-MX,es;q=0.9"}).get(reverse("account_login"))
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in page.content.decode()


def test_language_switch_sticks(client_for, mx_liaison):
    client = client_for(mx_liaison)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert client.get("/")["Content-Language"] == "es"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"


@pytest.mark.parametrize("language, text", [("en", "Not found"), ("es", "No encontrado")])
def test_404_page_in_both_languages(client_for, us_coordinator, language, text):
    page = client_for(us_coordinator, headers={"Accept-Language": language}).get("/nowhere/")
    assert page.status_code == 404 and text in page.content.decode()


@pytest.mark.parametrize("language, text", [("en", "Not allowed"), ("es", "No permitido")])
def test_403_page_in_both_languages(client_for, us_viewer, language, text):
    client = client_for(us_viewer, headers={"Accept-Language": language})
    page = client.get(reverse("partnerships:create"))
    assert page.status_code == 403 and text in page.content.decode()


@pytest.mark.parametrize("language, text", [("en", "Something went wrong"),
                                            ("es", "Algo salió mal")])
def test_500_page_in_both_languages(rf, language, text):
    from django.utils import translation

    from web.views import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and text in response.content.decode()


def test_healthz_reports_the_database_the_cache_and_the_queue(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"vendor": None} == {
        "status": "ok", "database": "ok", "cache": "ok", "queue": "ok", "vendor": None}


def test_healthz_says_what_is_degraded_and_still_answers(db, settings, monkeypatch):
    """Redis gone (a real client, a port nothing listens on): the cache and the queue fail,
    the site is degraded, not down."""
    from huey import RedisHuey

    gone = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": gone}}
    monkeypatch.setattr("web.views.HUEY", RedisHuey("enlace-test", url=gone))
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"] == response.json()["queue"] == "ConnectionError"
    assert response.json()["database"] == "ok"


def test_security_headers(db):
    response = Client().get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_api_docs_are_served_locally(client_for, us_coordinator):
    page = client_for(us_coordinator).get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def _settings_in_a_fresh_process(
        show="s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG", **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ENLACE_TESTING", "REDIS_URL",
                         "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-c", f"import enlace.settings as s; print({show})"],
        cwd=ROOT, env={**base, "ENLACE_TESTING": "0", **env}, capture_output=True, text=True)


FERNET_KEY = "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg="


def test_production_needs_a_secret_key_an_encryption_key_and_hosts():
    missing_key = _settings_in_a_fresh_process()
    assert missing_key.returncode != 0 and "SECRET_KEY is not set" in missing_key.stderr
    missing_fernet = _settings_in_a_fresh_process(SECRET_KEY="x" * 50)
    assert "FIELD_ENCRYPTION_KEYS is not set" in missing_fernet.stderr
    missing_hosts = _settings_in_a_fresh_process(SECRET_KEY="x" * 50,
                                                 FIELD_ENCRYPTION_KEYS=FERNET_KEY)
    assert "ALLOWED_HOSTS is not set" in missing_hosts.stderr


def test_production_defaults_are_secure():
    result = _settings_in_a_fresh_process(SECRET_KEY="x" * 50, ALLOWED_HOSTS="enlace.example",
                                          FIELD_ENCRYPTION_KEYS=FERNET_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "False"]


def test_redis_url_moves_the_job_queue_and_the_cache_to_redis():
    show = "s.HUEY['huey_class'], s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]"
    with_redis = _settings_in_a_fresh_process(show, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/3")
    assert with_redis.stdout.split() == ["huey.RedisHuey", "RedisCache"], with_redis.stderr
    without = _settings_in_a_fresh_process(show, DEBUG="1")
    assert without.stdout.split() == ["huey.SqliteHuey", "LocMemCache"], without.stderr
