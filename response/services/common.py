"""What the mutual-aid services share: the release check of a request or an offer, the range
of times they accept (core.validators'), language codes, the lookups of organizations and
resource kinds by code, the guards the request, offer and agreement services share, and notices
in both languages to the users who hold a permission."""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from core.audit import acting_as
from core.lifecycle import refused_by_state
from core.services import notify
from core.validators import in_year_range, year_range_message
from response.models import AidAgreement, Incident, ResourceKind

# ISO 639-1 (the two-letter codes), as the Library of Congress registry lists them.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg
li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or
os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

# ---- Who may (the permission rule itself is core.permissions) --------------------------------

def check_incident_released(incident, nations, field="rel_to"):
    """A request or offer goes only to nations its incident is released to: they could not
    see it otherwise (MARKING_PARENTS)."""
    missing = sorted(n.code for n in nations if not Incident.objects.released_to(n.pk)
                     .filter(pk=incident.pk).exists())
    if missing:
        raise ValidationError({field: _(
            "Release the incident %(incident)s to %(nations)s first: without it they could "
            "not see this record.") % {"incident": incident.name, "nations": ", ".join(missing)}})


def check_changeable(fields, allowed):
    """An update names only fields it may change; the others are refused, each on its field."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})


# ---- Input -----------------------------------------------------------------------------------

def moment(value, field):
    """A time given to a service: one without a zone is read in the current time zone; it must
    lie in the years of core.validators (the forms' and the API's), else a validation error on
    `field`. None stays None."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return in_range(value, field)


def in_range(value, field):
    """`value` (a time or a day) if its year is in core.validators' range, else a validation
    error on `field` in the words of that range."""
    if not in_year_range(value):
        raise ValidationError({field: year_range_message()})
    return value


def organization(value, field):
    """An organization given by acronym (any case) or as itself; None stays None."""
    if value is None or isinstance(value, Organization):
        return value
    found = Organization.objects.filter(acronym__iexact=str(value).strip()).first()
    if found is None:
        raise ValidationError({field: _("Unknown organization %(acronym)s.")
                               % {"acronym": value}})
    return found


def kind(value, field="kind"):
    """A resource kind given by code (any case) or as itself."""
    if isinstance(value, ResourceKind):
        return value
    if not value:
        raise ValidationError({field: _("This field is required.")})
    found = ResourceKind.objects.filter(code=str(value).strip().upper()).first()
    if found is None:
        raise ValidationError({field: _("Unknown resource kind %(code)s.") % {"code": value}})
    return found


def parse_languages(value):
    """"en, ES;fr" or ["en", "es"] → "en,es,fr": ISO 639-1 codes, lower case, each once.
    Raises ValidationError on `languages` naming the codes that are not ISO 639-1."""
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    codes = [c.strip().lower() for c in str(value or "").replace(";", ",").split(",")]
    codes = [c for part in codes for c in part.split() if c]
    unknown = [c for c in codes if c not in ISO_639_1]
    if unknown:
        raise ValidationError({"languages": _(
            "Not ISO 639-1 language codes: %(codes)s. Use two-letter codes separated by commas, "
            "such as en, es.") % {"codes": ", ".join(unknown)}})
    return ",".join(dict.fromkeys(codes))


# ---- Guards the request, offer and agreement services share -----------------------------------

# A lifecycle step refused by the record's state, and the same refusal raised directly.
REFUSED_BY_STATE = refused_by_state(gettext_lazy("“%(action)s” is not possible: the %(record)s "
                                                 "is %(state)s."))


def state_error(record, label):
    return ValidationError(_("“%(action)s” is not possible: the %(record)s is %(state)s.") % {
        "action": label, "record": record._meta.verbose_name,
        "state": record.get_state_display().lower()})


def whole(value, field, minimum):
    """`value` as a whole number of at least `minimum`, else a validation error on `field`."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool | float) else None
    except ValueError:
        number = None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None:
        raise ValidationError({field: _("Enter a whole number.")})
    if number < minimum:
        raise ValidationError({field: _("Ensure this value is at least %(min)s.")
                               % {"min": minimum}})
    return number


def void_pending_agreements(user, agreements):
    """Agreements still awaiting signatures on an offer or request that is gone are void."""
    with acting_as(user):
        for agreement in agreements.filter(state=AidAgreement.State.AWAITING_SIGNATURES):
            agreement.state = AidAgreement.State.VOID
            agreement.save(update_fields=["state", "updated_at"])


# ---- Notices ---------------------------------------------------------------------------------

def holders(codename, **filters):
    """Active users who hold the response permission `codename` (through a role, directly or
    as superusers), narrowed by `filters`."""
    permission = Permission.objects.filter(content_type__app_label="response",
                                           codename=codename).first()
    has = Q(is_superuser=True)
    if permission is not None:
        has |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return User.objects.filter(has, is_active=True, **filters).distinct().order_by("pk")


def _url(record):
    try:
        return record.get_absolute_url()
    except NoReverseMatch:  # a page not routed (yet): the notice goes without a link
        return ""


def notify_in_both(users, record, render, key):
    """`core.services.notify` with the message `render()` gives in English and in Spanish,
    linking to the record's page."""
    texts = []
    for language in ("en", "es"):
        with translation.override(language):
            texts.append(str(render()))
    return notify(users, record, *texts, _url(record), key=key)
