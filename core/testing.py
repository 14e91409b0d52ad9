"""Test helpers any domain's tests use. Not imported by the product.

`assert_releasability(case)` proves, for one shareable model, that a record not releasable to
MEX is invisible to a MEX user and visible to a US user on every read path: list page, detail
page, API list, API detail and export. It also proves the disclosure half of the rule: released
to MEX but not yet approved is still invisible.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from accounts.models import Nation
from core.models import Disclosure


@dataclass
class ReleasabilityCase:
    """How to make a record of the model and where each read path shows it."""

    make: Callable  # make(owner_user) -> a new record owned by that user's nation
    list_url: str
    detail_url: Callable  # detail_url(record) -> str
    api_list_url: str
    api_detail_url: Callable
    export_url: str | None  # None for a model that has no export
    text: Callable  # text(record) -> a string that appears wherever the record is shown


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api_ids(client, url):
    response = client.get(url, {"limit": 200})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def _reads(user, case, record):
    """What `user` can see of `record` on each read path, as a dict of booleans."""
    client = _client(user)
    list_page = client.get(case.list_url)
    assert list_page.status_code == 200
    detail = client.get(case.detail_url(record))
    assert detail.status_code in (200, 404), detail.status_code
    api_detail = client.get(case.api_detail_url(record))
    assert api_detail.status_code in (200, 404), api_detail.status_code
    if api_detail.status_code == 404:
        assert json.loads(api_detail.content)["detail"], "404s use the one error shape"
    reads = {}
    if case.export_url:
        export = client.get(case.export_url)
        assert export.status_code == 200
        content = export.streaming_content if export.streaming else [export.content]
        reads["export"] = case.text(record) in b"".join(content).decode("utf-8-sig")
    return reads | {
        "list": case.text(record) in list_page.content.decode(),
        "detail": detail.status_code == 200,
        "api_list": record.pk in _api_ids(client, case.api_list_url),
        "api_detail": api_detail.status_code == 200,
    }


def _mark(record, codes, disclosure):
    record.rel_to.set(Nation.objects.filter(code__in=codes))
    record.disclosure = disclosure
    record.save(update_fields=["disclosure"])


def assert_releasability(case, *, us_user, mx_user):
    record = case.make(us_user)
    paths = ("list", "detail", "api_list", "api_detail") + (("export",) if case.export_url else ())
    everywhere = dict.fromkeys(paths, True)
    nowhere = dict.fromkeys(everywhere, False)

    _mark(record, ["USA"], Disclosure.APPROVED)
    assert _reads(us_user, case, record) == everywhere, "US-only record hidden from the owner"
    assert _reads(mx_user, case, record) == nowhere, "US-only record leaked to MEX"

    _mark(record, ["USA", "MEX"], Disclosure.IN_REVIEW)
    assert _reads(mx_user, case, record) == nowhere, "record awaiting disclosure leaked to MEX"

    _mark(record, ["USA", "MEX"], Disclosure.APPROVED)
    assert _reads(mx_user, case, record) == everywhere, "released record hidden from MEX"
    assert _reads(us_user, case, record) == everywhere


def assert_never_released(case, *, us_user, mx_user):
    """For records that never leave the owning nation: even marked releasable to MEX with
    disclosure approved (written straight to the database, past the services that refuse it),
    a MEX user sees them on no read path, while the owner's users still do."""
    record = case.make(us_user)
    _mark(record, ["USA", "MEX"], Disclosure.APPROVED)
    reads = _reads(mx_user, case, record)
    assert not any(reads.values()), f"a US-only record leaked to MEX: {reads}"
    assert all(_reads(us_user, case, record).values())


def ok(response, status=200):
    """The JSON of an API answer that must have `status`."""
    assert response.status_code == status, response.content
    return response.json()


def error(response, status):
    """The body of an API refusal with `status`, in the one error shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


def _text(response):
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    content = response.streaming_content if response.streaming else [response.content]
    return b"".join(content).decode("utf-8-sig")


def assert_related_hidden(*, owner, reader, secret, paths, exports=(), language="es"):
    """A related record's name (`secret`, of a record `reader` may not see) on each of `paths`
    (pages, history API, notices) where a record `reader` does see names it: the owner finds
    `secret` there (so the path does name the related record), the reader never does, and
    reads "a record not released to you" in its place, in `language`. Exports (`exports`)
    must not name it either."""
    from django.utils import translation

    from core.related import NOT_RELEASED

    with translation.override(language):
        withheld = str(NOT_RELEASED)
    owner_client, reader_client = _client(owner), _client(reader)
    for path in paths:
        seen = owner_client.get(path)
        assert seen.status_code == 200, (path, seen.status_code)
        assert secret in _text(seen), f"{path} does not name the related record to its owner"
        read = reader_client.get(path, headers={"Accept-Language": language})
        assert read.status_code == 200, (path, read.status_code)
        text = _text(read)
        assert secret not in text, f"{path} names a record not released to the reader"
        assert withheld in text, f"{path} does not say what it withholds"
    for path in exports:
        read = reader_client.get(path, headers={"Accept-Language": language})
        assert read.status_code == 200, (path, read.status_code)
        assert secret not in _text(read), f"{path} names a record not released to the reader"
