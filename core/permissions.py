"""May this user do this to this record? One answer everywhere: the record is in
`Model.objects.restrict(user, action)` (NetBox's idea: an object permission is a queryset
filter, so the check of one record and the filter of a list can never disagree).

- Services call `require(user, record, action)` before every write on an existing record, and
  `require_role(user, perm)` before making a new one.
- Views that decide whether to offer a button ask `may(user, record, action)` or
  `user.has_perm("app.action_model", record)` (the authentication backend below).

A record the user may not even see is not found (Http404, which pages and the API answer as a
404), so a refusal never discloses that it exists; a record the user sees but may not act on is
a PermissionDenied that says why.
"""

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Value
from django.http import Http404
from django.utils.translation import gettext as _


def permission_name(model, action):
    """`app_label.action_modelname`, the permission a role needs for `action` on `model`."""
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def may(user, record, action="view", *, perm=None):
    """Whether `record` is in `restrict(user, action)` (with `perm`, as `require` reads it)."""
    if user is None or record is None or record.pk is None:
        return False
    if perm is not None:
        return _refusal(user, record, action, perm) is None
    return type(record).objects.restrict(user, action).filter(pk=record.pk).exists()


def _role_refusal(user, perm):
    if not user.is_active or getattr(user, "nation_id", None) is None:
        return PermissionDenied(_("Your account belongs to no organization."))
    if not user.has_perm(perm):
        return PermissionDenied(_("Your role does not allow this action."))
    return None


def _refusal(user, record, action, perm, nation_refusal=None):
    """Why `user` may not take `action` on `record`, or None. One query: whether the record is
    in restrict(user, "view") and, if so, whether the user's nation may also act on it."""
    model = type(record)
    beyond = model.objects.acting_beyond_seeing(getattr(user, "nation_id", None), action)
    acts = ExpressionWrapper(beyond, output_field=BooleanField()) if beyond else Value(True)
    nation_may_act = (model.objects.restrict(user, "view").prefetch_related(None)
                      .filter(pk=record.pk).annotate(nation_may_act=acts)
                      .values_list("nation_may_act", flat=True).first())
    if nation_may_act is None:
        return Http404(_("No %(record)s you may see has this id.")
                       % {"record": model._meta.verbose_name})
    refusal = _role_refusal(user, perm or permission_name(model, action))
    if refusal is None and not nation_may_act:
        refusal = PermissionDenied(nation_refusal
                                   or _("Only the owning nation may change this record."))
    return refusal


def require_role(user, perm):
    """The user is active, of a nation, and the role holds `perm` (app_label.codename)."""
    refusal = _role_refusal(user, perm)
    if refusal is not None:
        raise refusal


def require(user, record, action="change", *, perm=None, nation_refusal=None):
    """Refuse unless `record` is in `restrict(user, action)`: Http404 when the user may not
    see it at all; otherwise PermissionDenied, saying whether the role or the nation is
    missing. `perm` names the role's permission when it is not the model's own
    `action_modelname` (adding a duty period to a member needs personnel.add_dutyperiod);
    `nation_refusal` says in the domain's words which nation may."""
    refusal = _refusal(user, record, action, perm, nation_refusal)
    if refusal is not None:
        raise refusal


class ObjectPermissionBackend(BaseBackend):
    """`user.has_perm("app.action_model", record)`: `may(user, record, action)`. Permissions
    without a record are left to ModelBackend (the role's). Django answers True to an active
    superuser before asking any backend, so services use `require`, which also holds a
    superuser to the nation rules."""

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not hasattr(type(obj).objects, "restrict"):
            return False
        app_label, _dot, codename = perm.partition(".")
        meta = obj._meta
        if app_label != meta.app_label or not codename.endswith(f"_{meta.model_name}"):
            return False
        return may(user_obj, obj, codename.removesuffix(f"_{meta.model_name}"))
