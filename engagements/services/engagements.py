"""Engagements, their budget lines, people and participants (with the compliance gates each
participant passes): validate, save, history, in one transaction. Views, the API and jobs all
come through here; the readiness checklist is in `readiness`, the state changes in `lifecycle`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, change_marking, check_new_marking
from core.validators import in_year_range, year_range_message
from engagements.models import BudgetLine, Engagement, Participation, Person
from partnerships.models import Objective
from personnel.models import DutyStatus, Member

ENGAGEMENT_FIELDS = ("partnership", "title_en", "title_es", "type", "external_type_name",
                     "direction", "location", "start_date", "end_date", "legal_basis",
                     "partner_non_military", "lead", "tracking_reference")
BUDGET_LINE_FIELDS = ("description", "amount", "currency", "fund_source", "state")
PERSON_FIELDS = ("full_name", "nation", "organization", "grade", "role", "gender", "languages",
                 "security_force", "guard_member")
GATE_FIELDS = ("vetting", "vetting_reference", "vetting_updated_on", "visa", "visa_updated_on",
               "country_clearance", "clearance_submitted_on", "duty_status",
               "briefing_disclosure")
# What a partner's liaison may record for its own nation's participants: the visa or diplomatic
# note its people obtain. Vetting, country clearance, duty status and disclosure of briefing
# material are the owning nation's decisions.
PARTNER_GATE_FIELDS = ("visa", "visa_updated_on")
GATE_DATES = ("vetting_updated_on", "visa_updated_on", "clearance_submitted_on")

ES = Engagement.State
FINAL_STATES = (ES.CLOSED, ES.CANCELLED)


def _visible(user, record, message, field):
    """A record the user chose (a person, a partnership) must be one the user may see."""
    if not may(user, record):
        raise ValidationError({field: message})


def _out_of_range(**dates):
    """The dates given that fall outside the years every form and the API accept
    (core.validators), each with the message."""
    return {name: year_range_message() for name, value in dates.items()
            if value is not None and not in_year_range(value)}


def check_dates(start, end):
    """An engagement's start and end: within the years, the end not before the start."""
    errors = _out_of_range(start_date=start, end_date=end)
    if not errors and start is not None and end is not None and end < start:
        errors["end_date"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)


def _check_engagement(user, engagement, objectives):
    """What the model cannot check: the partnership, objectives and lead are the user's to
    choose."""
    errors = {}
    partnership = engagement.partnership if engagement.partnership_id else None
    if partnership is not None and not may(user, partnership):
        errors["partnership"] = _("Choose a partnership you may see.")
    if objectives and partnership is not None:
        ids = {o.pk for o in objectives}
        fitting = Objective.objects.restrict(user).filter(
            pk__in=ids, line_of_effort__partnership=partnership)
        if fitting.count() != len(ids):
            errors["objectives"] = _("Choose objectives of this engagement's partnership that "
                                     "you may see.")
    lead = engagement.lead if engagement.lead_id else None
    if lead is not None and (not lead.is_active or lead.nation_id != engagement.owner_nation_id):
        errors["lead"] = _("The lead must be an active user of the owning nation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_engagement(user, *, partnership, objectives=(), rel_to=(),
                      disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    """A new engagement concept owned by the user's nation. `objectives` must be of the same
    partnership and visible to the user. The fiscal year and quarter follow the start date."""
    require_role(user, "engagements.add_engagement")
    objectives = list(objectives or ())
    engagement = Engagement(
        **{k: fields[k] for k in ENGAGEMENT_FIELDS if k in fields and k != "partnership"},
        partnership=partnership, state=ES.CONCEPT, owner_nation=user.nation,
        disclosure=disclosure, tlp=tlp or "", created_by=user)
    if not engagement.legal_basis:
        engagement.legal_basis = Engagement.DEFAULT_LEGAL_BASIS
    check_new_marking(user, engagement, disclosure)
    check_dates(engagement.start_date, engagement.end_date)
    engagement.full_clean(exclude=["fiscal_year", "fiscal_quarter"])
    _check_engagement(user, engagement, objectives)
    with acting_as(user):
        apply_marking(engagement, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
        engagement.objectives.set(objectives)
    return engagement


@transaction.atomic
def update_engagement(user, engagement, *, objectives=None, **fields):
    """Change the fields given (not the state: see `transition`). `objectives`, when given,
    replaces the engagement's objectives; changing the partnership checks them again."""
    require(user, engagement, "change")
    if engagement.state in FINAL_STATES:
        raise ValidationError(_("This engagement is %(state)s: it can no longer be changed.")
                              % {"state": engagement.get_state_display().lower()})
    for name in ENGAGEMENT_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name in ("external_type_name", "tracking_reference"):
                value = ""
            setattr(engagement, name, value)
    if not engagement.legal_basis:
        engagement.legal_basis = Engagement.DEFAULT_LEGAL_BASIS
    check_dates(engagement.start_date, engagement.end_date)
    engagement.full_clean(exclude=["fiscal_year", "fiscal_quarter"])
    chosen = list(objectives) if objectives is not None else None
    if chosen is not None or "partnership" in fields:
        current = chosen if chosen is not None else list(engagement.objectives.all())
        _check_engagement(user, engagement, current)
    else:
        _check_engagement(user, engagement, ())
    with acting_as(user):
        engagement.save()
        if chosen is not None:
            engagement.objectives.set(chosen)
    return engagement


@transaction.atomic
def change_engagement_marking(user, engagement, *, rel_to, disclosure, tlp=""):
    """Change who may see the engagement (core.services.change_marking). Its participants,
    budget lines and after-action report keep their own markings: a nation the engagement is
    no longer released to sees none of them (MARKING_PARENTS), and sees them again once it
    is."""
    return change_marking(engagement, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


# Budget lines --------------------------------------------------------------------------------

def _clean_budget_line(line):
    line.currency = str(line.currency or "").strip().upper()
    line.full_clean(exclude=["engagement", "owner_nation"])
    errors = {}
    if line.amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if len(line.currency) != 3 or not line.currency.isalpha():
        errors["currency"] = _("Enter a three-letter currency code such as USD or MXN.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_budget_line(user, engagement, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED,
                       tlp="", **fields):
    """A budget line of an engagement the user's nation owns; released only as its own marking
    says (by default to no other nation)."""
    require(user, engagement, "change", perm="engagements.add_budgetline")
    line = BudgetLine(engagement=engagement,
                      **{k: fields[k] for k in BUDGET_LINE_FIELDS if fields.get(k) is not None},
                      owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "",
                      created_by=user)
    check_new_marking(user, line, disclosure)
    _clean_budget_line(line)
    with acting_as(user):
        apply_marking(line, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    return line


@transaction.atomic
def update_budget_line(user, line, **fields):
    """Change the fields given, the state among them (planned → allotted → obligated →
    expended)."""
    require(user, line, "change")
    for name in BUDGET_LINE_FIELDS:
        if fields.get(name) is not None:
            setattr(line, name, fields[name])
    _clean_budget_line(line)
    with acting_as(user):
        line.save()
    return line


# People --------------------------------------------------------------------------------------

def _clean_person(user, person):
    if person.guard_member_id:  # a person linked to a Guard member record is a Guard member
        person.role = Person.Role.GUARD_MEMBER
    errors = {}
    if person.organization_id and person.nation_id and \
            person.organization.nation_id != person.nation_id:
        errors["organization"] = _("%(organization)s is not an organization of %(nation)s.") % {
            "organization": person.organization, "nation": person.nation}
    if person.guard_member_id:
        if not Member.objects.restrict(user).filter(pk=person.guard_member_id).exists():
            errors["guard_member"] = _("Choose a Guard member record you may see.")
        elif person.nation_id != person.guard_member.owner_nation_id:
            errors["guard_member"] = _("A Guard member record belongs to a person of its own "
                                       "nation.")
    if errors:
        raise ValidationError(errors)
    person.full_clean(exclude=["owner_nation"])


def _release_to_owner(user, person, engagement):
    """A person registered by a partner for another nation's engagement is released to that
    nation, disclosure approved: the engagement's owner has to see who takes part."""
    if person.owner_nation_id == engagement.owner_nation_id:
        return
    nations = {n.pk: n for n in person.rel_to.all()}
    if engagement.owner_nation_id in nations and person.disclosure == Disclosure.APPROVED:
        return
    nations[engagement.owner_nation_id] = engagement.owner_nation
    with acting_as(user):
        apply_marking(person, owner=person.owner_nation, rel_to=list(nations.values()),
                      disclosure=Disclosure.APPROVED, tlp=person.tlp)


def _partner_registers(user, engagement, person_nation_id):
    """A user of another nation than the engagement's owner registers only its own nation's
    people, for an engagement released to it."""
    require(user, engagement, "view")
    if engagement.owner_nation_id != user.nation_id and person_nation_id != user.nation_id:
        raise PermissionDenied(_("A partner registers only its own nation's people."))


@transaction.atomic
def create_person(user, *, engagement=None, rel_to=(), disclosure=Disclosure.NOT_REVIEWED,
                  tlp="", **fields):
    """A person owned by the user's nation. With `engagement` of another nation (a partner's
    liaison registering its participants), the person must be of the user's nation and is
    released to the engagement's owner with disclosure approved."""
    require_role(user, "engagements.add_person")
    person = Person(**{k: fields[k] for k in PERSON_FIELDS if fields.get(k) is not None},
                    owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "",
                    created_by=user)
    partner_path = engagement is not None and engagement.owner_nation_id != user.nation_id
    if partner_path:
        _partner_registers(user, engagement, person.nation_id)
    else:
        check_new_marking(user, person, disclosure)
    _clean_person(user, person)
    with acting_as(user):
        apply_marking(person, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    if partner_path:
        _release_to_owner(user, person, engagement)
    return person


@transaction.atomic
def update_person(user, person, **fields):
    require(user, person, "change")
    for name in PERSON_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name in ("grade", "languages"):
                value = ""
            setattr(person, name, value)
    _clean_person(user, person)
    with acting_as(user):
        person.save()
    return person


# Participants and their gates ----------------------------------------------------------------

def applicable_gates(engagement, person):
    """The compliance gates that apply to `person` in `engagement`: Leahy vetting for partner
    security-force members, visa or diplomatic note for partner people visiting California,
    country clearance for the owner's people travelling abroad, duty status for Guard members
    abroad, disclosure of briefing material for any other nation's people."""
    home = person.nation_id == engagement.owner_nation_id
    abroad = engagement.direction in (Engagement.Direction.TO_PARTNER,
                                      Engagement.Direction.THIRD_COUNTRY)
    gates = []
    if not home and person.security_force:
        gates.append("vetting")
    if not home and engagement.direction == Engagement.Direction.HOSTED:
        gates.append("visa")
    if home and abroad:
        gates.append("country_clearance")
    if abroad and (person.guard_member_id or person.role == Person.Role.GUARD_MEMBER):
        gates.append("duty_status")
    if not home:
        gates.append("briefing_disclosure")
    return gates


def _default_gates(engagement, person):
    """A new participant's gates: what applies starts as still to do."""
    P = Participation
    gates = applicable_gates(engagement, person)
    return {
        "vetting": P.Vetting.PENDING if "vetting" in gates else P.Vetting.NOT_REQUIRED,
        "visa": P.Visa.PENDING if "visa" in gates else P.Visa.NOT_REQUIRED,
        "country_clearance": P.Clearance.NOT_SUBMITTED if "country_clearance" in gates
        else P.Clearance.NOT_REQUIRED,
        "briefing_disclosure": P.BriefingDisclosure.PENDING if "briefing_disclosure" in gates
        else P.BriefingDisclosure.NOT_REQUIRED,
    }


def _set_gates(participation, gates, today):
    P = Participation
    before = {name: getattr(participation, name) for name in GATE_FIELDS}
    for name in GATE_FIELDS:
        if name in gates:
            value = gates[name]
            if value is None and name in ("vetting_reference", "duty_status"):
                value = ""
            setattr(participation, name, value)
    if participation.duty_status and participation.duty_status not in DutyStatus.values:
        raise ValidationError({"duty_status": _("Unknown duty status.")})
    # Dates the gate changed, unless given.
    if participation.vetting != before["vetting"] and "vetting_updated_on" not in gates:
        participation.vetting_updated_on = today
    if participation.visa != before["visa"] and "visa_updated_on" not in gates:
        participation.visa_updated_on = today
    if (participation.country_clearance == P.Clearance.SUBMITTED
            and participation.clearance_submitted_on is None):
        participation.clearance_submitted_on = today
    errors = _out_of_range(**{name: getattr(participation, name) for name in GATE_DATES})
    if errors:
        raise ValidationError(errors)
    participation.full_clean(exclude=["engagement", "person", "owner_nation"],
                             validate_constraints=False)


def _partner_gates_only(user, owner_nation_id, gates):
    if owner_nation_id != user.nation_id:
        others = sorted(k for k in gates if k not in PARTNER_GATE_FIELDS)
        if others:
            raise PermissionDenied(_("A partner records only the visa or diplomatic note of its "
                                     "own people; the owning nation records the other "
                                     "gates."))


@transaction.atomic
def add_participant(user, engagement, person, **gates):
    """Add `person` to `engagement`. The participation belongs to the engagement's owner and is
    marked like the engagement (and released to the person's nation). A partner's liaison may
    add its own nation's people to an engagement released to it, recording only their visa."""
    require_role(user, "engagements.add_participation")
    _partner_registers(user, engagement, person.nation_id)
    if engagement.owner_nation_id != user.nation_id and person.owner_nation_id != user.nation_id:
        raise PermissionDenied(_("A partner registers only its own nation's people."))
    _partner_gates_only(user, engagement.owner_nation_id, gates)
    _visible(user, person, _("Choose a person you may see."), "person")
    if engagement.state in FINAL_STATES:
        raise ValidationError(_("This engagement is %(state)s: no one can be added.")
                              % {"state": engagement.get_state_display().lower()})
    if Participation.objects.filter(engagement=engagement, person=person).exists():
        raise ValidationError({"person": _("%(person)s already takes part in this engagement.")
                               % {"person": person}})
    participation = Participation(engagement=engagement, person=person, created_by=user,
                                  **_default_gates(engagement, person))
    _set_gates(participation, gates, timezone.localdate())
    _release_to_owner(user, person, engagement)
    nations = {n.pk: n for n in engagement.rel_to.all()}
    nations[person.owner_nation_id] = person.owner_nation
    with acting_as(user):
        apply_marking(participation, owner=engagement.owner_nation, rel_to=list(nations.values()),
                      disclosure=engagement.disclosure, tlp=engagement.tlp)
    return participation


@transaction.atomic
def register_participant(user, engagement, *, gates=None, rel_to=(),
                         disclosure=Disclosure.NOT_REVIEWED, tlp="", **person_fields):
    """A new person and their participation in one step (a liaison registering one of its
    nation's participants, or a planner adding someone new)."""
    person = create_person(user, engagement=engagement, rel_to=rel_to, disclosure=disclosure,
                           tlp=tlp, **person_fields)
    return add_participant(user, engagement, person, **(gates or {}))


@transaction.atomic
def update_participation(user, participation, **gates):
    """Record the gates given. The owning nation records every gate; a partner's liaison, the
    visa or diplomatic note of its own nation's people."""
    require(user, participation, "change")
    if participation.owner_nation_id != user.nation_id:
        if participation.person.owner_nation_id != user.nation_id:
            raise PermissionDenied(_("A partner records gates only for its own nation's "
                                     "people."))
        _partner_gates_only(user, participation.owner_nation_id, gates)
    _set_gates(participation, gates, timezone.localdate())
    with acting_as(user):
        participation.save()
    return participation


@transaction.atomic
def remove_participant(user, participation):
    require(user, participation, "delete")
    with acting_as(user):
        participation.delete()
