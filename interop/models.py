"""Received CAP alerts: what came in from IPAWS, the National Weather Service, SASMEX or a
partner's system, kept as received (the exact bytes, a signature with them) and read into its
parts. Owned by the importing nation; released like any other record."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import MarkedModel, localized, marking_permissions


class ReceivedAlert(MarkedModel):
    class Version(models.TextChoices):
        CAP_12 = "1.2", pgettext_lazy("CAP version", "CAP 1.2")
        CAP_11 = "1.1", pgettext_lazy("CAP version", "CAP 1.1")
        CAP_10 = "1.0", pgettext_lazy("CAP version", "CAP 1.0")

    class Status(models.TextChoices):
        # CAP's own words (alert status).
        ACTUAL = "Actual", pgettext_lazy("CAP status", "Actual")
        EXERCISE = "Exercise", pgettext_lazy("CAP status", "Exercise")
        SYSTEM = "System", pgettext_lazy("CAP status", "System")
        TEST = "Test", pgettext_lazy("CAP status", "Test")
        DRAFT = "Draft", pgettext_lazy("CAP status", "Draft")

    class MsgType(models.TextChoices):
        ALERT = "Alert", pgettext_lazy("CAP message type", "Alert")
        UPDATE = "Update", pgettext_lazy("CAP message type", "Update")
        CANCEL = "Cancel", pgettext_lazy("CAP message type", "Cancel")
        ACK = "Ack", pgettext_lazy("CAP message type", "Acknowledgement")
        ERROR = "Error", pgettext_lazy("CAP message type", "Error")

    # The alert's identity (CAP: sender, identifier, sent); once per importing nation.
    sender = models.CharField(_("sender"), max_length=255)
    identifier = models.CharField(_("identifier"), max_length=255)
    sent = models.DateTimeField(_("sent"))
    version = models.CharField(_("CAP version"), max_length=3, choices=Version.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    msg_type = models.CharField(_("message type"), max_length=10, choices=MsgType.choices)
    scope = models.CharField(_("scope"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    references = models.TextField(_("references"), blank=True)
    # The English and the Spanish reading, from the info blocks in each language (any block's
    # when the alert has none in that language), for lists and the map.
    headline_en = models.CharField(_("headline (English)"), max_length=500, blank=True)
    headline_es = models.CharField(_("headline (Spanish)"), max_length=500, blank=True)
    event_en = models.CharField(_("event (English)"), max_length=255, blank=True)
    event_es = models.CharField(_("event (Spanish)"), max_length=255, blank=True)
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    # Every info block in every language, as read (interop.cap.Info as JSON).
    infos = models.JSONField(_("info blocks"), default=list)
    # The first point the areas give (a circle's centre, else a polygon's mean), for the map.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    # The document exactly as received: its signature stays verifiable.
    document = models.BinaryField(_("document"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("imported by"))
    importing_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("importing organization"))
    incident = models.ForeignKey("response.Incident", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("incident"))

    class Meta:
        ordering = ["-sent", "-pk"]
        verbose_name = _("received alert")
        verbose_name_plural = _("received alerts")
        permissions = marking_permissions("receivedalert")
        constraints = [
            models.UniqueConstraint(fields=["owner_nation", "sender", "identifier", "sent"],
                                    name="interop_alert_once_per_nation"),
        ]

    def __str__(self):
        return self.headline or self.identifier

    @property
    def headline(self):
        return localized(self, "headline")

    @property
    def event(self):
        return localized(self, "event")

    @property
    def is_exercise(self):
        return self.status == self.Status.EXERCISE

    def get_absolute_url(self):
        return reverse("interop:alert", args=[self.pk])
