"""What a related record shows a reader — the one rule for pages, history, notices and exports.

A record named from another one (an offer's incident, an engagement's objectives, a history
entry's foreign key) shows its name and link only to a reader who may see it through
`restrict()`; anyone else reads "a record not released to you", never its name. Records that
carry no marking (nations, organizations, users, resource kinds, ports) are reference data every
signed-in user reads.
"""

from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q
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


class Shown(str):
    """A related record as one reader sees it: its name and link, or the not-released text.
    As a string it is the plain text (API, exports, notices). It is a `str` so a template passes
    it to escaping unchanged, and escaping renders `__html__`: a link when the record has a page.
    A plain object would be turned into its text first and lose the link."""

    def __new__(cls, record, visible):
        item = super().__new__(cls, str(record) if visible else str(NOT_RELEASED))
        item.visible = visible
        item.record = record if visible else None
        item._record = record  # for withhold(); templates cannot read it
        return item

    def __getnewargs__(self):  # a copy or pickle makes it again from the record
        return self._record, self.visible

    def __html__(self):
        return self.html()

    def html(self, text=None):
        """The link to the record, reading `text` when given (else its name); a record not
        released reads the withheld text whatever `text` is, so nothing of it shows."""
        if not self.visible:
            return format_html('<span class="not-released">{}</span>', NOT_RELEASED)
        url = getattr(self.record, "get_absolute_url", None)
        text = str(self) if text is None else text
        return format_html('<a href="{}">{}</a>', url(), text) if url else format_html("{}", text)


def shown(user, record):
    """How `record` (a related record, or None) is shown to `user`."""
    if record is None:
        return None
    return Shown(record, may_see(user, record))


def shown_id(user, record, field):
    """The id of `record`'s related record `field` as `user` is shown it (API output): the id,
    or None for a record not released to them — an id would tell it exists. A list annotated
    by `with_links_released` over `field` needs no check each."""
    pk = getattr(record, f"{field}_id")
    if pk is None or getattr(record, "links_released", False):
        return pk
    model = record._meta.get_field(field).related_model
    return pk if pk in visible_pks(user, model, [pk]) else None


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
    they may see (a marking narrowed since): its text and link are then not shown. Otherwise
    `text` is its message without the names of related records the reader may not see."""
    from django.contrib.contenttypes.models import ContentType

    notices = list(notices)
    by_type = {}
    for notice in notices:
        if notice.about_type_id is not None:
            by_type.setdefault(notice.about_type_id, set()).add(notice.about_id)
    records = {}
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        visible = visible_pks(user, model, pks)
        records.update({(type_id, pk): record for pk, record
                        in model._default_manager.in_bulk(visible).items()})
    for notice in notices:
        record = records.get((notice.about_type_id, notice.about_id))
        notice.hidden = notice.about_type_id is not None and record is None
        notice.text = withhold(user, notice.message, linked(record)) if record else notice.message
    return notices



def linked(record):
    """The marked records `record` names through its foreign keys, and theirs in turn up its
    parents (MARKING_PARENTS): what a text about `record` may name."""
    found, todo = [], [record]
    while todo:
        current = todo.pop()
        for model_field in current._meta.concrete_fields:
            if model_field.many_to_one and is_marked(model_field.related_model) \
                    and getattr(current, model_field.attname) is not None:
                target = getattr(current, model_field.name)
                if target not in found and target != record:
                    found.append(target)
                    todo.append(target)
    return found


def _names(record):
    names = {str(record)}
    for model_field in record._meta.concrete_fields:
        if isinstance(model_field, CharField) and model_field.name.endswith(("_en", "_es")):
            names.add(getattr(record, model_field.name) or "")
    return sorted((n for n in names if len(n) > 2), key=len, reverse=True)


def withheld_names(user, records):
    """The names of those of `records` the reader may not see, longest first."""
    by_model = {}
    for record in records:
        if record is not None:
            by_model.setdefault(type(record), set()).add(record.pk)
    return names_withheld(records, {model: visible_pks(user, model, pks)
                                    for model, pks in by_model.items()})


def names_withheld(records, visible):
    """The names of those of `records` not among `visible` ({model: the ids a reader may see},
    as `visible_pks` answers), longest first: `withheld_names` for a reader whose visible ids
    were read once for many texts (core.services.notify_each)."""
    names = {name for record in records
             if record is not None and record.pk not in visible.get(type(record), ())
             for name in _names(record)}
    return sorted(names, key=len, reverse=True)


def scrub(text, names):
    """`text` with each of `names` replaced by "a record not released to you"."""
    for name in names:
        text = text.replace(name, str(NOT_RELEASED))
    return text


def withhold(user, text, records):
    """`text` (an agreed text, a notice, a value in history) with the name of each of `records`
    the reader may not see replaced by "a record not released to you"."""
    return scrub(text, withheld_names(user, records))


def with_shown(user, records, field):
    """`records` (a page of a list, an export), each with `<field>_shown`: its related record
    `field` through the rule, in one query per model however many records."""
    records = list(records)
    related = [getattr(record, field) for record in records]
    shown = iter(shown_many(user, related))
    for record, target in zip(records, related, strict=True):
        setattr(record, f"{field}_shown", next(shown) if target is not None else None)
    return records


def with_links_released(user, queryset, *paths):
    """`queryset` annotated with `links_released`: whether `user` may see every record at
    `paths` (foreign-key paths such as "offer__incident") — the rule run in the database for a
    whole list, so a text naming them need not be checked record by record."""
    released = Q()
    for path in paths:
        model = queryset.model
        for name in path.split("__"):
            model = model._meta.get_field(name).related_model
        visible = model.objects.restrict(user).filter(pk=OuterRef(path)).values("pk")
        released &= Q(**{f"{path}__isnull": True}) | Exists(visible)
    return queryset.annotate(links_released=ExpressionWrapper(released,
                                                              output_field=BooleanField()))
