"""What a related record shows a reader — the one rule for pages, history, notices and exports.

A record named from another one (an offer's incident, an engagement's objectives, a history
entry's foreign key) shows its name and link only to a reader who may see it through
`restrict()`; anyone else reads "a record not released to you", never its name. Records that
carry no marking (nations, organizations, users, resource kinds, ports) are reference data every
signed-in user reads.
"""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.models import MarkedModel

NOT_RELEASED = _("a record not released to you")


def is_marked(model):
    return issubclass(model, MarkedModel)


def visible_pks(user, model, pks):
    """The ids among `pks` of `model` records `user` may see: one query for any number."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return set()
    if not is_marked(model):
        return set(model._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
    return set(model.objects.restrict(user).filter(pk__in=pks).values_list("pk", flat=True))


def may_see(user, record):
    return record.pk in visible_pks(user, type(record), [record.pk])


class Shown:
    """A related record as one reader sees it: its name and link, or the not-released text.
    `str()` is plain text (API, exports, notices); templates render `__html__`, a link when the
    record has a page."""

    def __init__(self, record, visible):
        self.visible = visible
        self.record = record if visible else None

    def __str__(self):
        return str(self.record) if self.visible else str(NOT_RELEASED)

    def __html__(self):
        if not self.visible:
            return format_html('<span class="not-released">{}</span>', NOT_RELEASED)
        url = getattr(self.record, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), self.record) if url else format_html(
            "{}", self.record)


def shown(user, record):
    """How `record` (a related record, or None) is shown to `user`."""
    if record is None:
        return None
    return Shown(record, may_see(user, record))


def shown_many(user, records):
    """`shown` for many records at once: one query per model, however many records."""
    records = [r for r in records if r is not None]
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), set()).add(record.pk)
    visible = {model: visible_pks(user, model, pks) for model, pks in by_model.items()}
    return [Shown(r, r.pk in visible[type(r)]) for r in records]


def resolve(user, wanted):
    """Records by (model, pk) for `wanted`, an iterable of (model, pk), each shown to `user`:
    one query per model. A pk with no record (deleted since) is missing from the answer."""
    by_model = {}
    for model, pk in wanted:
        by_model.setdefault(model, set()).add(pk)
    found = {}
    for model, pks in by_model.items():
        visible = visible_pks(user, model, pks)
        for record in model._default_manager.filter(pk__in=pks):
            found[model, record.pk] = Shown(record, record.pk in visible)
    return found


def readable_notices(user, notices):
    """`user`'s notices, each with `hidden` set when the record it is about is no longer one
    they may see (a marking narrowed since): its text and link are then not shown. One query
    per kind of record."""
    from django.contrib.contenttypes.models import ContentType

    notices = list(notices)
    by_type = {}
    for notice in notices:
        if notice.about_type_id is not None:
            by_type.setdefault(notice.about_type_id, set()).add(notice.about_id)
    visible = {type_id: visible_pks(user, ContentType.objects.get_for_id(type_id).model_class(),
                                    pks)
               for type_id, pks in by_type.items()}
    for notice in notices:
        notice.hidden = (notice.about_type_id is not None
                         and notice.about_id not in visible[notice.about_type_id])
    return notices

