from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import markings


class Disclosure(models.TextChoices):
    NOT_REVIEWED = markings.NOT_REVIEWED, pgettext_lazy("disclosure review", "Not reviewed")
    IN_REVIEW = markings.IN_REVIEW, pgettext_lazy("disclosure review", "In review")
    APPROVED = markings.APPROVED, pgettext_lazy("disclosure review", "Approved")
    DENIED = markings.DENIED, pgettext_lazy("disclosure review", "Denied")


class TLP(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


def localized(obj, field):
    """The value of `field_es` for Spanish readers, else `field_en`; either falls back to the
    other when empty, so a record written in one language still reads in both."""
    first, second = ("es", "en") if (get_language() or "en").startswith("es") else ("en", "es")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class RestrictedQuerySet(models.QuerySet):
    """Every read of partnership data goes through `restrict(user, action)`.

    `view`: the releasability rule plus the role's view permission. Any other action (change,
    delete, change_marking, review_disclosure) also requires the user's nation to own the record:
    a partner reads what is released to it but edits only its own records — except the actions a
    model lists in PARTNER_ACTIONS (a jointly written after-action report), which any nation the
    record is released to may take.
    """

    def restrict(self, user, action="view"):
        nation_id = getattr(user, "nation_id", None) if user is not None else None
        if nation_id is None or not user.is_active:
            return self.none()
        meta = self.model._meta
        if not user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
            return self.none()
        return self.acting_nation(nation_id, action).select_related("owner_nation") \
            .prefetch_related("rel_to")

    def acting_nation(self, nation_id, action="view"):
        """The nation half of `restrict()`, whatever a user's role: what the nation may see
        (`released_to`), and of that, for an action other than viewing, what it owns — or
        everything it sees when the model lists the action in PARTNER_ACTIONS."""
        return self.released_to(nation_id).filter(self.acting_beyond_seeing(nation_id, action))

    def acting_beyond_seeing(self, nation_id, action):
        """What `action` asks of a record the nation sees: that the nation owns it, unless the
        model releases its records to other nations and the action is viewing or one of its
        PARTNER_ACTIONS (Q(): nothing more)."""
        if not self.model.RELEASABLE_TO_OTHER_NATIONS or (
                action != "view" and action not in self.model.PARTNER_ACTIONS):
            return Q(owner_nation_id=nation_id)
        return Q()

    def released_to(self, nation_id):
        """What the marking lets the nation see: its own records, and those released to it with
        disclosure approved (whatever a user's role) — and of another nation's records, only
        those not HELD_BACK and whose parents (MARKING_PARENTS) it may see too, up the whole
        chain.

        A record is seen where its own marking allows it and, unless the nation owns it, its
        parent is seen by the same rule. Unrolled, that is one flat condition per ancestor —
        marked for the nation, or missing, or the nation owns a record between it and this one
        — each a single subquery, so a long chain never nests SQL deeper than one level
        (SQLite's parser refuses deep nesting)."""
        visible = self.marked_for(nation_id)
        for path, ancestor, between in ancestor_paths(self.model):
            owned = Q(owner_nation_id=nation_id)
            for step in between:
                owned |= Q(**{f"{step}__owner_nation_id": nation_id})
            visible = visible.filter(
                owned | Q(**{f"{path}__isnull": True})
                | Q(**{f"{path}__in": ancestor.objects.marked_for(nation_id).values("pk")}))
        return visible

    def marked_for(self, nation_id):
        """What the record's own marking lets the nation see, its parents aside."""
        visible = self.filter(rel_to=nation_id).filter(
            Q(owner_nation_id=nation_id) | Q(disclosure=Disclosure.APPROVED))
        if self.model.HELD_BACK is not None:
            visible = visible.filter(Q(owner_nation_id=nation_id) | ~self.model.HELD_BACK)
        return visible


def ancestor_paths(model, prefix="", between=()):
    """(lookup path, model, paths of the records in between) for every record above `model`
    along MARKING_PARENTS: ("agreement", AidAgreement, ()), ("agreement__offer", Offer,
    ("agreement",)), …"""
    for name in model.MARKING_PARENTS:
        path = f"{prefix}{name}"
        parent = model._meta.get_field(name).related_model
        yield path, parent, between
        yield from ancestor_paths(parent, f"{path}__", (*between, path))


def nation_model():
    """The model of the nations records are owned by and released to (settings.NATION_MODEL)."""
    return apps.get_model(settings.NATION_MODEL)


def marking_permissions(model_name):
    """The two marking permissions each marked model declares in its Meta."""
    return [
        (f"change_marking_{model_name}", f"Can change the releasability marking of {model_name}"),
        (f"review_disclosure_{model_name}", f"Can decide foreign disclosure of {model_name}"),
    ]


class MarkedModel(models.Model):
    """Base for every shareable record: owner nation, releasable-to nations, disclosure, TLP."""

    owner_nation = models.ForeignKey(
        settings.NATION_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owner nation"),
    )
    rel_to = models.ManyToManyField(
        settings.NATION_MODEL, related_name="+", verbose_name=_("releasable to"),
        help_text=_("Nations that may see this record. Always includes the owner."),
    )
    disclosure = models.CharField(
        _("foreign disclosure"), max_length=16, choices=Disclosure.choices,
        default=Disclosure.NOT_REVIEWED,
    )
    tlp = models.CharField(_("TLP"), max_length=16, choices=TLP.choices, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )

    objects = RestrictedQuerySet.as_manager()

    # False for records that never leave the owning nation (personnel files), whatever their
    # marking says: restrict() then shows them only to the owner's users.
    RELEASABLE_TO_OTHER_NATIONS = True
    # Actions besides "view" that the nations a record is released to may take on it.
    PARTNER_ACTIONS = frozenset()
    # The foreign keys to the records this one belongs to (an offer's incident). Another
    # nation sees the record only where it may see each parent that is set, and its marking is
    # never wider than theirs (core.services.apply_marking); its owner always sees its own.
    MARKING_PARENTS = ()
    # The one of MARKING_PARENTS whose marking this record carries, for rows written only as
    # part of that parent, with no marking page of their own (a report's attendance): core
    # gives them the parent's marking when made and again whenever the parent's changes
    # (core.services.apply_marking). None: the record's marking is its own.
    MARKING_FOLLOWS = None
    # Records no other nation sees yet, whatever their marking, as a filter (a request still
    # a draft); None: none.
    HELD_BACK = None

    class Meta:
        abstract = True

    def marking(self) -> markings.Marking:
        return markings.Marking(
            owner=self.owner_nation.code,
            rel_to=frozenset(n.code for n in self.rel_to.all()),
            disclosure=self.disclosure,
            tlp=self.tlp or None,
        )

    def releasable_to(self, nation_code):
        return markings.releasable_to(nation_code, self.marking())

    def marking_parents(self):
        """The parent records that are set (MARKING_PARENTS)."""
        return [p for p in (getattr(self, name) for name in self.MARKING_PARENTS)
                if p is not None]


class Notification(models.Model):
    """A notice addressed to one user (a deadline coming up, ...), in both languages. Made only
    by `core.services.notify`, which first checks that the recipient may see the record the
    notice is about; `key` names what was notified so the same notice is never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    message_en = models.TextField(_("message (English)"))
    message_es = models.TextField(_("message (Spanish)"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(
        _("key"), max_length=200, blank=True,
        help_text=_("What was notified, for example deadline:order:12:2025-12-10."),
    )
    # The record the notice is about: the notice is shown only while its reader may still see
    # it (core.related), so a marking narrowed later hides what the notice said.
    about_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", verbose_name=_("about (kind of record)"),
    )
    about_id = models.PositiveBigIntegerField(_("about (record)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="one_notification_per_recipient_and_key"),
        ]

    def __str__(self):
        return self.message

    @property
    def message(self):
        return localized(self, "message")
