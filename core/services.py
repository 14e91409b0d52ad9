"""Writes shared by every domain: markings and notices. Each runs in one transaction; marking
changes leave history."""

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
from core.permissions import may, require
from core.related import linked, scrub, withheld_names
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


def notify(users, record, message_en, message_es, url="", *, key=""):
    """Tell each of `users` about `record`: a notice in Enlace and an email (through the job
    queue, once the transaction commits). Only users who may see the record (`restrict`) are
    told, so a notice never reveals a record to someone it is not released to. With `key`, a
    user already told under that key is not told again. `url` is a path on this site. Returns
    the notices made."""
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError("A notification links only to a page of this site (a path).")
    about_type = ContentType.objects.get_for_model(type(record))
    links = linked(record)
    made = []
    for user in users:
        if not may(user, record):
            continue
        # A record it names that this user may not see is not named to them (core.related).
        withheld = withheld_names(user, links)
        with translation.override("en"):
            text_en = scrub(message_en, withheld)
        with translation.override("es"):
            text_es = scrub(message_es, withheld)
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notification.objects.create(
                    recipient=user, message_en=text_en, message_es=text_es, url=url,
                    key=key, about_type=about_type, about_id=record.pk)
        except IntegrityError:  # a concurrent run told this user under the same key
            continue
        made.append(notice)
        if user.email:
            link = f"\n\n{getattr(settings, 'SITE_URL', '').rstrip('/')}{url}" if url else ""
            line = " ".join(text_en.split())
            subject = "Enlace: " + (line if len(line) <= 90 else line[:89] + "…")
            transaction.on_commit(partial(
                send_email, subject, f"{text_en}\n\n{text_es}{link}\n",
                settings.DEFAULT_FROM_EMAIL, [user.email]))
    return made
