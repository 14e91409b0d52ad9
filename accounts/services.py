"""Writes on accounts: API tokens (users manage their own; the CLI makes them for anyone)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import APIToken
from core.audit import acting_as

MAX_TOKEN_DAYS = 366


@transaction.atomic
def create_token(user, *, name, write=False, days=None, actor=None):
    """Returns (token, key). The key is shown once and never stored."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}}
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you know where it is used.")})
    key = APIToken.new_key()
    with acting_as(actor or user):
        token = APIToken.objects.create(
            user=user, name=name[:100], write=write, key_hash=APIToken.hash_key(key),
            hint=key[: len(APIToken.PREFIX) + 4],
            expires_at=timezone.now() + timedelta(days=days),
        )
    return token, key


@transaction.atomic
def revoke_token(token, *, actor):
    if token.revoked_at is None:
        with acting_as(actor):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(key):
    """The active token for a key, or None. Records when it was last used (at most once a
    minute, so reads do not turn into a write each)."""
    if not key or not key.startswith(APIToken.PREFIX):
        return None
    token = (
        APIToken.objects.active()
        .select_related("user", "user__organization")
        .filter(key_hash=APIToken.hash_key(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def update_preferences(user, **fields):
    for name in ("first_name", "last_name", "email", "time_zone"):
        if name in fields:
            setattr(user, name, fields[name])
    user.full_clean(exclude=["password", "username"])
    with acting_as(user):
        user.save()
    return user
