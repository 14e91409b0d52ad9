"""Every write on partnerships: validate, save, history, in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.models import Disclosure
from core.services import apply_marking, check_new_marking
from partnerships.models import Partnership

EDITABLE_FIELDS = ("name_en", "name_es", "us_state", "partner_nation", "established",
                   "combatant_command", "status", "description_en", "description_es")


def _require(user, perm):
    if not user.has_perm(f"partnerships.{perm}"):
        raise PermissionDenied(_("Your role does not allow this action."))


@transaction.atomic
def create_partnership(user, *, rel_to, disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    _require(user, "add_partnership")
    if user.nation is None:
        raise PermissionDenied(_("Your account belongs to no organization."))
    partnership = Partnership(**{k: fields[k] for k in EDITABLE_FIELDS if k in fields},
                              owner_nation=user.nation, disclosure=disclosure, tlp=tlp,
                              created_by=user)
    check_new_marking(user, partnership, disclosure)
    partnership.full_clean()
    with acting_as(user):
        apply_marking(partnership, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp)
    return partnership


@transaction.atomic
def update_partnership(user, partnership, **fields):
    _require(user, "change_partnership")
    if partnership.owner_nation_id != user.nation_id:
        raise PermissionDenied(_("Only the owning nation may change this record."))
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(partnership, name, fields[name])
    partnership.full_clean()
    with acting_as(user):
        partnership.save()
    return partnership
