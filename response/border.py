"""The border derivation as users read it: how far an incident is from the California–Baja
California boundary, which side of the line it lies on, and what that means for asking for
help. Within the 1999 US–Mexico wildfire-protection agreement's border zone, 10 miles (16 km)
each side of the line, neighbouring agencies may ask each other directly; beyond it the request
goes through national channels. `Incident.save()` stores the distance and the channel; this
module explains them."""

from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _

from response import geo
from response.models import Incident

ZONE_MILES = 10  # the agreement's own measure; BORDER_ZONE_KM is its metric form


@dataclass(frozen=True)
class BorderDerivation:
    distance_km: float
    side: str  # "USA" north of the line, "MEX" south of it
    request_channel: str  # Incident.Channel
    zone_km: float = geo.BORDER_ZONE_KM
    zone_miles: int = ZONE_MILES

    @property
    def direct(self):
        return self.request_channel == Incident.Channel.DIRECT

    @property
    def side_label(self):
        return (_("the United States side (north of the line)") if self.side == "USA"
                else _("the Mexican side (south of the line)"))

    @property
    def channel_label(self):
        return Incident.Channel(self.request_channel).label

    @property
    def explanation(self):
        """Two sentences in the active language: where the point is, and what follows."""
        values = {"distance": formats.number_format(self.distance_km, 1, use_l10n=True),
                  "side": self.side_label,
                  "zone_km": formats.number_format(self.zone_km, 0, use_l10n=True),
                  "zone_miles": self.zone_miles}
        where = _("The incident is %(distance)s km from the California–Baja California "
                  "boundary, on %(side)s.") % values
        if self.direct:
            rule = _("That is within the %(zone_km)s km (%(zone_miles)s mile) border zone of "
                     "the 1999 US–Mexico wildfire-protection agreement, so neighbouring "
                     "agencies may ask each other directly.") % values
        else:
            rule = _("That is beyond the %(zone_km)s km (%(zone_miles)s mile) border zone of "
                     "the 1999 US–Mexico wildfire-protection agreement, so the request goes "
                     "through national channels.") % values
        return f"{where} {rule}"

    def explanations(self):
        """The explanation in English and in Spanish, for notices and exchanges that carry
        both."""
        result = {}
        for language in ("en", "es"):
            with translation.override(language):
                result[language] = self.explanation
        return result


def for_incident(incident):
    """The derivation of a saved incident, from the distance and channel it stores."""
    return BorderDerivation(incident.border_distance_km,
                            geo.side_of_boundary(incident.latitude, incident.longitude),
                            incident.request_channel)
