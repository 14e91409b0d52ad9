import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import localized


class Nation(models.Model):
    """A sovereign nation, by ISO 3166-1 alpha-3 code (USA, MEX, UKR, NGA)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("nation")
        verbose_name_plural = _("nations")

    def __str__(self):
        return self.code

    @property
    def name(self):
        return localized(self, "name")


class Organization(models.Model):
    class Kind(models.TextChoices):
        MILITARY = "military", pgettext_lazy("organization kind", "Military")
        EMERGENCY_MANAGEMENT = "emergency_management", pgettext_lazy("organization kind",
                                                                     "Emergency management")
        CIVIL_PROTECTION = "civil_protection", pgettext_lazy("organization kind",
                                                             "Civil protection")
        FIRE = "fire", pgettext_lazy("organization kind", "Fire and forestry")
        GOVERNMENT = "government", pgettext_lazy("organization kind", "Government")
        OTHER = "other", pgettext_lazy("organization kind", "Other")

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="organizations",
                               verbose_name=_("nation"))
    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent organization"))

    class Meta:
        ordering = ["nation__code", "acronym"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.acronym

    @property
    def name(self):
        return localized(self, "name")


class Role(Group):
    """A role is a Django group with a code the product knows, both names, and an MFA rule.

    Its permissions come from `accounts.roles.ROLE_PERMISSIONS`, synced after every migrate."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    mfa_required = models.BooleanField(
        _("multi-factor authentication required"), default=False,
        help_text=_("Members of this role must turn on an authenticator app before they can "
                    "use Enlace."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return localized(self, "name")


class User(AbstractUser):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("organization"),
    )
    # Denormalized from the organization so `restrict()` filters without a join.
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", editable=False, verbose_name=_("nation"))
    time_zone = models.CharField(_("time zone"), max_length=64,
                                 choices=settings.USER_TIME_ZONES, default=settings.TIME_ZONE)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        self.nation_id = self.organization.nation_id if self.organization_id else None
        super().save(*args, **kwargs)

    @property
    def roles(self):
        return Role.objects.filter(user=self)

    # A user signed in through accounts.backends comes with `role_requires_mfa` and
    # `has_authenticator` read in its own query; any other instance asks the database.

    def mfa_enabled(self):
        """Whether the user has set up an authenticator."""
        if hasattr(self, "has_authenticator"):
            return self.has_authenticator
        return self.authenticator_set.exists()

    def mfa_pending(self):
        """Whether the user's role requires MFA and no authenticator is set up yet."""
        if hasattr(self, "role_requires_mfa"):
            required = self.role_requires_mfa
        else:
            required = self.roles.filter(mfa_required=True).exists()
        return required and not self.mfa_enabled()


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class APITokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class APIToken(models.Model):
    """A bearer token for machines. Only a SHA-256 of the key is stored; the key is shown once."""

    PREFIX = "enl_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key begins"), max_length=12, editable=False)
    write = models.BooleanField(_("read-write"), default=False,
                                help_text=_("Without it the token can only read."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_key(cls):
        return cls.PREFIX + secrets.token_urlsafe(32)

    @classmethod
    def hash_key(cls, key):
        return _hash(key)

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
