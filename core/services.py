"""Writes shared by every domain: markings and notices. Each runs in one transaction; marking
changes leave history."""

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.models import Disclosure, Notification, nation_model
from core.permissions import require
from core.related import linked, names_withheld, scrub, visible_pks
from core.tasks import send_email


def _beyond_parents(record, owner, nations):
    """(nation code, parent) for each of `nations` (other than the record's owner, who always
    sees its own) that a parent of the record (MARKING_PARENTS) is not released to. A parent's
    own parents are its business: restrict() hides the record wherever any of them is hidden."""
    outside = set()
    for parent in record.marking_parents():
        allowed = {n.pk for n in parent.rel_to.all()}
        outside |= {(n.code, str(parent)) for n in nations
                    if n.pk != owner.pk and n.pk not in allowed}
    return outside


def apply_marking(record, *, owner, rel_to, disclosure=Disclosure.NOT_REVIEWED, tlp=""):
    """Set a record's marking; the owner is always among the releasable nations, and no other
    nation is added that the record's parents are not released to. The rows that carry the
    record's marking (MARKING_FOLLOWS) take the new one with it."""
    nations = {n.pk: n for n in rel_to}
    nations[owner.pk] = owner
    if not record.RELEASABLE_TO_OTHER_NATIONS and len(nations) > 1:
        raise ValidationError({"rel_to": _("%(kind)s records are never released to other "
                                           "nations.") % {"kind": record._meta.verbose_name}})
    outside = _beyond_parents(record, owner, nations.values())
    if outside:
        raise ValidationError({"rel_to": _(
            "%(record)s cannot be released to %(nations)s: %(parent)s is not released to "
            "them.") % {"record": capfirst(record._meta.verbose_name),
                        "nations": ", ".join(sorted({code for code, _p in outside})),
                        "parent": ", ".join(sorted({p for _c, p in outside}))}})
    record.owner_nation = owner
    record.disclosure = disclosure
    record.tlp = tlp or ""
    record.save()
    record.rel_to.set(nations.values())
    for row in _following(record):  # the marking just set, not read back once per row
        apply_marking(row, owner=owner, rel_to=nations.values(), disclosure=disclosure, tlp=tlp)


def apply_marking_of(record, source):
    """Give `record` the marking `source` has now: its owner, nations, disclosure and TLP."""
    apply_marking(record, owner=source.owner_nation, rel_to=list(source.rel_to.all()),
                  disclosure=source.disclosure, tlp=source.tlp)


def apply_parent_marking(row):
    """A new row that carries its parent's marking (MARKING_FOLLOWS) takes it; apply_marking
    keeps it so."""
    apply_marking_of(row, getattr(row, row.MARKING_FOLLOWS))


def create_following(rows, actor=None):
    """`apply_parent_marking` for many new rows of one model at once (a job that makes
    hundreds): each takes its parent's owner, nations, disclosure and TLP (MARKING_FOLLOWS, the
    parent set on the row); the rows are written with one INSERT, their nations with another
    and their history with a third (core.audit.log_bulk), whatever their number. Returns the
    rows, saved, with their ids."""
    from auditlog.models import LogEntry

    from core.audit import log_bulk

    rows = list(rows)
    if not rows:
        return rows
    model = type(rows[0])
    name = model.MARKING_FOLLOWS
    parent_field = model._meta.get_field(name)
    nations = defaultdict(set)  # parent id → its nations, read in one query
    codes = {}  # nation id → code, for the history
    link = parent_field.related_model._meta.get_field("rel_to")
    source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
    for parent_id, nation_id, code in link.remote_field.through.objects.filter(**{
            f"{source}_id__in": {getattr(r, parent_field.attname) for r in rows}}).values_list(
            f"{source}_id", f"{target}_id", f"{target}__code"):
        nations[parent_id].add(nation_id)
        codes[nation_id] = code
    for row in rows:
        if type(row) is not model:
            raise TypeError("create_following() takes rows of one model")
        parent = getattr(row, name)
        row.owner_nation_id = parent.owner_nation_id
        row.disclosure = parent.disclosure
        row.tlp = parent.tlp or ""
        nations[parent.pk].add(parent.owner_nation_id)  # the owner always sees its own
        if parent.owner_nation_id not in codes:
            codes[parent.owner_nation_id] = parent.owner_nation.code
    model.objects.bulk_create(rows)
    if any(row.pk is None for row in rows):
        raise NotImplementedError("create_following() needs a database that returns the ids "
                                  "of the rows it inserts (PostgreSQL, SQLite 3.35+).")
    own = model._meta.get_field("rel_to")
    own_source, own_target = own.m2m_field_name(), own.m2m_reverse_field_name()
    through = own.remote_field.through
    through.objects.bulk_create([
        through(**{f"{own_source}_id": row.pk, f"{own_target}_id": nation_id})
        for row in rows for nation_id in sorted(nations[getattr(row, parent_field.attname)])])
    skipped = {"id", "created_at", "updated_at"}
    log_bulk(rows, LogEntry.Action.CREATE, lambda row: {
        **{f.name: [None, getattr(row, f.attname)] for f in model._meta.concrete_fields
           if f.name not in skipped},
        "rel_to": [None, ", ".join(sorted(
            codes[n] for n in nations[getattr(row, parent_field.attname)]))]}, actor)
    return rows


def _following(record):
    """The rows that carry `record`'s marking: of each model whose MARKING_FOLLOWS is a foreign
    key to the record's model, those of this record."""
    for relation in record._meta.related_objects:
        model = relation.related_model
        if getattr(model, "MARKING_FOLLOWS", None) == relation.field.name:
            for row in model.objects.filter(**{relation.field.name: record}):
                setattr(row, relation.field.name, record)
                yield row


@transaction.atomic
def change_marking(record, user, *, rel_to, disclosure, tlp=""):
    """Change who may see a record. Needs the role's marking permission and the owning nation;
    deciding disclosure (approve or deny) needs the separate disclosure-review permission."""
    require(user, record, "change_marking")
    if disclosure not in Disclosure.values:
        raise ValidationError({"disclosure": _("Unknown disclosure state.")})
    if disclosure != record.disclosure and disclosure in (Disclosure.APPROVED, Disclosure.DENIED):
        require(user, record, "review_disclosure")
    with acting_as(user):
        apply_marking(record, owner=record.owner_nation, rel_to=rel_to,
                      disclosure=disclosure, tlp=tlp)
    return record


def nations_by_code(codes, field="rel_to"):
    """Nation rows for ISO alpha-3 codes; an unknown code is a validation error on `field`."""
    wanted = {c.upper() for c in codes}
    found = list(nation_model().objects.filter(code__in=wanted))
    unknown = wanted - {n.code for n in found}
    if unknown:
        raise ValidationError(
            {field: _("Unknown nation code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    return found


def model_errors(record, errors, exclude=()):
    """Add the model's own checks (full_clean) to a service's `errors`, for the fields the
    service has not already refused: the user sees every error at once, each field's first."""
    try:
        record.full_clean(exclude=[*exclude, *errors], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)


def check_new_marking(user, record, disclosure):
    """A new record's marking: the author may approve or deny disclosure only with the
    review permission."""
    if disclosure in (Disclosure.APPROVED, Disclosure.DENIED):
        meta = record._meta
        if not user.has_perm(f"{meta.app_label}.review_disclosure_{meta.model_name}"):
            raise ValidationError(
                {"disclosure": _("Only a foreign disclosure reviewer may approve or deny "
                                 "disclosure.")}
            )


@dataclass(frozen=True)
class Message:
    """One notice to tell one user about `record`, in both languages (`notify_each`)."""
    recipient: object
    record: object
    text_en: str
    text_es: str
    url: str = ""
    key: str = ""


def notify(users, record, message_en, message_es, url="", *, key=""):
    """Tell each of `users` about `record`: a notice in Enlace and an email (through the job
    queue, once the transaction commits). Only users who may see the record (`restrict`) are
    told, so a notice never reveals a record to someone it is not released to. With `key`, a
    user already told under that key is not told again. `url` is a path on this site. Returns
    the notices made."""
    return notify_each([Message(user, record, message_en, message_es, url, key)
                        for user in users])


KEYS_PER_QUERY = 500


def notify_each(messages):
    """Send `messages` (`Message`s, each to one user) by the rule of `notify` — only a user who
    may see the record is told, the names of records it links that the user may not see are
    withheld, a user already told under a key is not told again, an email goes once the
    transaction commits — in a fixed number of queries per recipient and kind of record,
    however many messages (a job telling hundreds at once). Returns the notices made."""
    messages = list(messages)
    for message in messages:
        if message.url and (not message.url.startswith("/") or message.url.startswith("//")):
            raise ValueError("A notification links only to a page of this site (a path).")
    if not messages:
        return []
    # What each message's record names (core.related), read once per record.
    links = {}
    for message in messages:
        record = message.record
        if (type(record), record.pk) not in links:
            links[type(record), record.pk] = linked(record)
    # The ids each recipient may see, one query per recipient and model.
    wanted, recipients = defaultdict(set), {}
    for message in messages:
        user, record = message.recipient, message.record
        recipients[user.pk] = user
        for item in (record, *links[type(record), record.pk]):
            wanted[user.pk, type(item)].add(item.pk)
    visible = defaultdict(dict)
    for (user_pk, model), pks in wanted.items():
        visible[user_pk][model] = visible_pks(recipients[user_pk], model, pks)
    # The keys already told, one query per few hundred keys.
    keys = sorted({m.key for m in messages if m.key})
    told = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        told |= set(Notification.objects.filter(
            key__in=keys[start:start + KEYS_PER_QUERY], recipient_id__in=recipients)
            .values_list("recipient_id", "key"))
    notices = []
    for message in messages:
        user, record = message.recipient, message.record
        if record.pk is None or record.pk not in visible[user.pk][type(record)]:
            continue
        if message.key:
            if (user.pk, message.key) in told:
                continue
            told.add((user.pk, message.key))
        # A record it names that this user may not see is not named to them (core.related).
        withheld = names_withheld(links[type(record), record.pk], visible[user.pk])
        with translation.override("en"):
            text_en = scrub(message.text_en, withheld)
        with translation.override("es"):
            text_es = scrub(message.text_es, withheld)
        notices.append(Notification(
            recipient=user, message_en=text_en, message_es=text_es, url=message.url,
            key=message.key, about_type=ContentType.objects.get_for_model(type(record)),
            about_id=record.pk))
    made = _create_notifications(notices)
    for notice in made:
        user = notice.recipient
        if user.email:
            url = notice.url
            link = f"\n\n{getattr(settings, 'SITE_URL', '').rstrip('/')}{url}" if url else ""
            line = " ".join(notice.message_en.split())
            subject = "Enlace: " + (line if len(line) <= 90 else line[:89] + "…")
            transaction.on_commit(partial(
                send_email, subject, f"{notice.message_en}\n\n{notice.message_es}{link}\n",
                settings.DEFAULT_FROM_EMAIL, [user.email]))
    return made


def _create_notifications(notices):
    """Insert the notices at once; if a concurrent run told a user under the same key since
    they were read, one by one, leaving out those it told."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(notices)
    except IntegrityError:
        pass
    made = []
    for notice in notices:
        try:
            with transaction.atomic():
                notice.save()
        except IntegrityError:  # a concurrent run told this user under the same key
            continue
        made.append(notice)
    return made
