"""Writes shared by every domain: markings. Each runs in one transaction and leaves history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.models import Disclosure


def _check(user, record, action):
    meta = record._meta
    if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise PermissionDenied(_("Your role does not allow this action."))
    if record.owner_nation_id != user.nation_id:
        raise PermissionDenied(_("Only the owning nation may change this record's marking."))


def apply_marking(record, *, owner, rel_to, disclosure=Disclosure.NOT_REVIEWED, tlp=""):
    """Set a new record's marking; the owner is always among the releasable nations."""
    nations = {n.pk: n for n in rel_to}
    nations[owner.pk] = owner
    if not record.RELEASABLE_TO_OTHER_NATIONS and len(nations) > 1:
        raise ValidationError({"rel_to": _("%(kind)s records are never released to other "
                                           "nations.") % {"kind": record._meta.verbose_name}})
    record.owner_nation = owner
    record.disclosure = disclosure
    record.tlp = tlp or ""
    record.save()
    record.rel_to.set(nations.values())


@transaction.atomic
def change_marking(record, user, *, rel_to, disclosure, tlp=""):
    """Change who may see a record. Needs the role's marking permission and the owning nation;
    deciding disclosure (approve or deny) needs the separate disclosure-review permission."""
    _check(user, record, "change_marking")
    if disclosure not in Disclosure.values:
        raise ValidationError({"disclosure": _("Unknown disclosure state.")})
    if disclosure != record.disclosure and disclosure in (Disclosure.APPROVED, Disclosure.DENIED):
        _check(user, record, "review_disclosure")
    with acting_as(user):
        apply_marking(record, owner=record.owner_nation, rel_to=rel_to,
                      disclosure=disclosure, tlp=tlp)
    return record


def nations_by_code(codes, field="rel_to"):
    """Nation rows for ISO alpha-3 codes; an unknown code is a validation error on `field`."""
    from accounts.models import Nation

    wanted = {c.upper() for c in codes}
    found = list(Nation.objects.filter(code__in=wanted))
    unknown = wanted - {n.code for n in found}
    if unknown:
        raise ValidationError(
            {field: _("Unknown nation code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    return found


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
