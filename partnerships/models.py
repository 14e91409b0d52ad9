from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import MarkedModel, localized, marking_permissions


class Partnership(MarkedModel):
    """A State Partnership Program pairing: a US state's Guard with a partner nation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    us_state = models.CharField(_("US state"), max_length=2, default="CA",
                                help_text=_("Two-letter postal code of the US state."))
    partner_nation = models.ForeignKey("accounts.Nation", on_delete=models.PROTECT,
                                       related_name="partnerships",
                                       verbose_name=_("partner nation"))
    established = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    combatant_command = models.CharField(_("combatant command"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.ACTIVE)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    class Meta:
        ordering = ["us_state", "partner_nation__code"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        permissions = marking_permissions("partnership")
        constraints = [
            models.UniqueConstraint(fields=["us_state", "partner_nation"],
                                    name="one_partnership_per_state_and_nation"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])
