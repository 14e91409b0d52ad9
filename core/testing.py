"""Test helpers any domain's tests use. Not imported by the product.

`assert_releasability(case)` proves, for one shareable model, that a record not releasable to
MEX is invisible to a MEX user and visible to a US user on every read path: list page, detail
page, API list, API detail and export (and, where the case says so, its map layer and the
notices about it). It also proves the disclosure half of the rule: released to MEX but not yet
approved is still invisible; and, for a model with parents (MARKING_PARENTS), that a released
record is hidden on every path again while a parent is not released, and back once it is.

`assert_writes_guarded(case)` proves the write half for one model, through its services: a
partner that may not see a record gets "not found" (404) on its update, marking change and
transitions; a marking change needs the owning nation and the permission; deciding disclosure
needs its own permission; and history records the change. `assert_writes_never_released` is
its sibling for records that never leave the owning nation (personnel files).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from core.models import Disclosure, nation_model
from core.services import change_marking


@dataclass
class ReleasabilityCase:
    """How to make a record of the model and where each read path shows it."""

    make: Callable  # make(owner_user) -> a new record owned by that user's nation
    list_url: str
    detail_url: Callable | None  # detail_url(record) -> str; None: no page of its own
    api_list_url: str | None  # None: the API does not list it
    api_detail_url: Callable | None
    export_url: str | None  # None for a model that has no export
    text: Callable  # text(record) -> a string that appears wherever the record is shown
    # parents(record) -> the records above it (MARKING_PARENTS), each narrowed in turn
    parents: Callable | None = None
    # map_feature(record) -> (GeoJSON layer URL, id of the feature that draws the record)
    map_feature: Callable | None = None
    # True: each user is told about the record (core.services.notify) and the notices page
    # shows the notice only while the record is visible to them
    notices: bool = False


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api_ids(client, url):
    """The ids the API list at `url` shows; none when the list is a hidden parent's (404)."""
    response = client.get(url, {"limit": 200})
    assert response.status_code in (200, 404), response.content
    return ({item["id"] for item in response.json()["items"]} if response.status_code == 200
            else set())


def _on_map(client, url, feature_id):
    layer = client.get(url)
    assert layer.status_code in (200, 404), layer.status_code  # 404: a hidden record's layer
    return layer.status_code == 200 and feature_id in {
        feature.get("id") for feature in layer.json()["features"]}


def _notice_text(record):
    return f"Notice about {record._meta.label} {record.pk}"


def _tell(user, record):
    from core.services import notify

    notify([user], record, _notice_text(record), _notice_text(record), record.get_absolute_url())


def _reads(user, case, record):
    """What `user` can see of `record` on each read path, as a dict of booleans."""
    client = _client(user)
    list_page = client.get(case.list_url)
    # 404: the list is a page of the record's parent, itself hidden
    assert list_page.status_code in (200, 404), list_page.status_code
    reads = {"list": list_page.status_code == 200
                     and case.text(record) in list_page.content.decode()}
    if case.detail_url:
        detail = client.get(case.detail_url(record))
        assert detail.status_code in (200, 404), detail.status_code
        reads["detail"] = detail.status_code == 200
    if case.api_detail_url:
        api_detail = client.get(case.api_detail_url(record))
        assert api_detail.status_code in (200, 404), api_detail.status_code
        if api_detail.status_code == 404:
            assert json.loads(api_detail.content)["detail"], "404s use the one error shape"
        reads["api_detail"] = api_detail.status_code == 200
    if case.api_list_url:
        reads["api_list"] = record.pk in _api_ids(client, case.api_list_url)
    if case.export_url:
        export = client.get(case.export_url)
        assert export.status_code in (200, 404), export.status_code  # 404: a hidden parent's
        content = export.streaming_content if export.streaming else [export.content]
        reads["export"] = (export.status_code == 200
                           and case.text(record) in b"".join(content).decode("utf-8-sig"))
    if case.map_feature:
        reads["map"] = _on_map(client, *case.map_feature(record))
    if case.notices:
        notices = client.get(reverse("web:notifications"))
        assert notices.status_code == 200, notices.status_code
        reads["notices"] = _notice_text(record) in notices.content.decode()
    return reads


def _mark(record, codes, disclosure):
    record.rel_to.set(nation_model().objects.filter(code__in=codes))
    record.disclosure = disclosure
    record.save(update_fields=["disclosure"])


def assert_releasability(case, *, us_user, mx_user):
    record = case.make(us_user)
    paths = {"list": True, "detail": case.detail_url, "api_list": case.api_list_url,
             "api_detail": case.api_detail_url, "export": case.export_url,
             "map": case.map_feature, "notices": case.notices}
    everywhere = {path: True for path, given in paths.items() if given}
    nowhere = dict.fromkeys(everywhere, False)

    _mark(record, ["USA"], Disclosure.APPROVED)
    if case.notices:
        _tell(us_user, record)
    assert _reads(us_user, case, record) == everywhere, "US-only record hidden from the owner"
    assert _reads(mx_user, case, record) == nowhere, "US-only record leaked to MEX"

    _mark(record, ["USA", "MEX"], Disclosure.IN_REVIEW)
    assert _reads(mx_user, case, record) == nowhere, "record awaiting disclosure leaked to MEX"

    _mark(record, ["USA", "MEX"], Disclosure.APPROVED)
    if case.notices:  # told only now: a notice is never made about a record not released
        _tell(mx_user, record)
    assert _reads(mx_user, case, record) == everywhere, "released record hidden from MEX"
    assert _reads(us_user, case, record) == everywhere

    for parent in case.parents(record) if case.parents else ():
        released = list(parent.rel_to.all())
        parent.rel_to.set(nation_model().objects.filter(pk=parent.owner_nation_id))
        assert _reads(mx_user, case, record) == nowhere, (
            f"released record shown to MEX while its {parent._meta.verbose_name} is not")
        parent.rel_to.set(released)
        assert _reads(mx_user, case, record) == everywhere, (
            f"released record still hidden from MEX once its {parent._meta.verbose_name} is")


def assert_never_released(case, *, us_user, mx_user):
    """For records that never leave the owning nation: even marked releasable to MEX with
    disclosure approved (written straight to the database, past the services that refuse it),
    a MEX user sees them on no read path, while the owner's users still do."""
    record = case.make(us_user)
    _mark(record, ["USA", "MEX"], Disclosure.APPROVED)
    reads = _reads(mx_user, case, record)
    assert not any(reads.values()), f"a US-only record leaked to MEX: {reads}"
    assert all(_reads(us_user, case, record).values())


@dataclass
class WriteCase:
    """How to make a record of the model and change it through its services."""

    make: Callable  # make(owner_user) -> a new record owned by that user's nation
    # update(user, record): a change through the model's update service; None: it has none,
    # only the steps of its lifecycle
    update: Callable | None
    transitions: tuple = ()  # transition(user, record) callables: steps of its lifecycle
    # change_marking(user, record, rel_to=…, disclosure=…); by default core.services'
    change_marking: Callable | None = None
    # marked_with(record) -> the records whose marking it always carries (a roster member
    # carries its deployment's), marked with it while the partner tries: its services guard it
    # through them
    marked_with: Callable | None = None


def _core_marking(user, record, **marking):
    return change_marking(record, user, **marking)


def _writes(case):
    return [write for write in (case.update, *case.transitions) if write is not None]


def _disclosure_decided(record, mark, rel_to, *, owner, owner_viewer, marker):
    """The owning nation's side of a marking change to `rel_to`: it needs the marking
    permission, deciding disclosure needs its own, and history records the decision."""
    _mark(record, ["USA"], Disclosure.NOT_REVIEWED)
    with pytest.raises(PermissionDenied):  # the owner's nation, but not the permission
        mark(owner_viewer, record, rel_to=rel_to, disclosure=Disclosure.IN_REVIEW)
    with pytest.raises(PermissionDenied):  # deciding disclosure is its own permission
        mark(marker, record, rel_to=rel_to, disclosure=Disclosure.APPROVED)
    mark(marker, record, rel_to=rel_to, disclosure=Disclosure.IN_REVIEW)
    mark(owner, record, rel_to=rel_to, disclosure=Disclosure.APPROVED)
    record.refresh_from_db()
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(record)
               .filter(actor=owner)]
    assert any(c.get("disclosure", [None, None])[1] == Disclosure.APPROVED for c in changes), (
        "history does not record the disclosure decision")


def assert_writes_guarded(case, *, owner, owner_viewer, partner, marker):
    """`owner` writes and decides disclosure; `owner_viewer` is of the same nation without the
    permissions; `partner` is of another nation (MEX); `marker` (of the owner's nation) may
    change the marking but not decide disclosure."""
    record = case.make(owner)
    mark = case.change_marking or _core_marking
    mexico = list(nation_model().objects.filter(code="MEX"))
    together = [*(case.marked_with(record) if case.marked_with else ()), record]

    def release(user, record, disclosure=Disclosure.APPROVED):
        return mark(user, record, rel_to=mexico, disclosure=disclosure)

    for each in together:
        _mark(each, ["USA"], Disclosure.APPROVED)
    for write in (*_writes(case), release):
        with pytest.raises(Http404):  # not released to MEX: not there at all
            write(partner, record)

    for each in together:
        _mark(each, ["USA", "MEX"], Disclosure.APPROVED)
    with pytest.raises(PermissionDenied):  # released: read, never re-marked by the partner
        release(partner, record)
    if case.update and "change" not in type(record).PARTNER_ACTIONS:
        with pytest.raises(PermissionDenied):
            case.update(partner, record)

    _disclosure_decided(record, mark, mexico, owner=owner, owner_viewer=owner_viewer,
                        marker=marker)
    assert record.releasable_to("MEX")


def assert_writes_never_released(case, *, owner, owner_viewer, partner, marker):
    """The write half for records that never leave the owning nation (personnel files): a
    partner gets "not found" on every write and marking change even where the marking names
    it (written straight to the database); the owner cannot release the record; its marking
    changes within the nation as any other's (assert_writes_guarded)."""
    record = case.make(owner)
    mark = case.change_marking or _core_marking
    mexico = list(nation_model().objects.filter(code="MEX"))
    for codes in (["USA"], ["USA", "MEX"]):
        _mark(record, codes, Disclosure.APPROVED)
        for write in (*_writes(case), lambda user, record: mark(
                user, record, rel_to=mexico, disclosure=Disclosure.APPROVED)):
            with pytest.raises(Http404):
                write(partner, record)
    _mark(record, ["USA"], Disclosure.NOT_REVIEWED)
    with pytest.raises(ValidationError):
        mark(owner, record, rel_to=mexico, disclosure=Disclosure.APPROVED)
    _disclosure_decided(record, mark, [], owner=owner, owner_viewer=owner_viewer,
                        marker=marker)
    assert not record.releasable_to("MEX")


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


def pdf_pages(data):
    """The text of each page of a PDF (bytes, or a response holding one), as a reader copies
    it: what the printed-form tests read both languages from."""
    import io

    from pypdf import PdfReader

    if hasattr(data, "content"):
        assert data["Content-Type"] == "application/pdf", data["Content-Type"]
        data = data.content
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
