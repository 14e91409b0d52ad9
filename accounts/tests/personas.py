"""The test users: every built-in role in both nations, made without pytest fixtures so that a
module-wide fixture (the API fuzzing's seed data) can make them too. The reference data must be
loaded first. Tests take their users from here (the `persona` fixture), not ad-hoc."""

from accounts.models import Organization, Role, User
from accounts.roles import ROLES

ROLE_CODES = tuple(code for code, *_rest in ROLES)
# The organization each nation's personas belong to, and the short name in their usernames.
ORGANIZATION_OF = {"USA": "CalGuard", "MEX": "DEFENSA"}
SHORT_NAME = {"USA": "us", "MEX": "mx"}
NATIONS = tuple(ORGANIZATION_OF)


def create_person(username, organization=None, role="viewer", **extra):
    """A user of the organization (by acronym) with the built-in role (by code)."""
    user = User.objects.create_user(
        username=username, password="correct horse battery", email=f"{username}@x.test",
        organization=Organization.objects.get(acronym=organization) if organization else None,
        **extra,
    )
    if role:
        user.groups.add(Role.objects.get(code=role))
    return user


def persona(role, nation="USA"):
    """The user with built-in `role` in `nation` (USA or MEX), t.us.coordinator, t.mx.liaison …,
    made on first use."""
    username = f"t.{SHORT_NAME[nation]}.{role}"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    extra = {"time_zone": "America/Tijuana"} if nation == "MEX" else {}
    return create_person(username, ORGANIZATION_OF[nation], role, **extra)


def create_us_coordinator():
    return persona("coordinator", "USA")


def create_mx_liaison():
    return persona("liaison", "MEX")


def marking_clerk(model, nation="USA"):
    """A viewer of `nation` who may also change `model`'s marking but not decide its foreign
    disclosure: no built-in role splits the two, and the tests of that rule need one."""
    from django.contrib.auth.models import Permission

    meta = model._meta
    user = create_person(f"t.{SHORT_NAME[nation]}.clerk.{meta.model_name}",
                         ORGANIZATION_OF[nation], "viewer")
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label=meta.app_label, codename=f"change_marking_{meta.model_name}"))
    return User.objects.get(pk=user.pk)  # without the permission cache
