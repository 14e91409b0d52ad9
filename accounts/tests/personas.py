"""The test users of both nations, made without pytest fixtures so that a module-wide fixture
(the API fuzzing's seed data) can make them too. The reference data must be loaded first."""

from accounts.models import Organization, Role, User


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


def create_us_coordinator():
    return create_person("t.us.coordinator", "CalGuard", "coordinator")


def create_mx_liaison():
    return create_person("t.mx.liaison", "DEFENSA", "liaison", time_zone="America/Tijuana")
