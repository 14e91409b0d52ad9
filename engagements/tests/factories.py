"""Engagements, people and participants made through the lifecycle's own services, for the
lifecycle, page and API tests."""

from datetime import date, timedelta

from accounts.models import Nation, Organization
from engagements.models import BudgetLine, Engagement, Person
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle
from partnerships.models import LineOfEffort, Objective
from partnerships.tests.factories import make_partnership


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def mexico(user):
    """The California–Mexico partnership, released to Mexico."""
    return make_partnership(user, partner="MEX", rel_to=("USA", "MEX"))


def make_objective(user, partnership, code="HADR-1"):
    line, _ = LineOfEffort.objects.get_or_create(
        partnership=partnership, code="hadr",
        defaults={"name_en": "HADR", "name_es": "AHRD", "owner_nation": user.nation,
                  "disclosure": "approved"})
    line.rel_to.set(partnership.rel_to.all())
    objective = Objective.objects.create(
        line_of_effort=line, code=code, statement_en="Interoperable incident command",
        statement_es="Mando de incidentes interoperable", owner=user.organization,
        owner_nation=user.nation, disclosure="approved")
    objective.rel_to.set(partnership.rel_to.all())
    return objective


def make_engagement(user, partnership=None, *, start=date(2026, 3, 2), end=None,
                    rel_to=("MEX",), disclosure="approved", title="Wildfire exchange", **fields):
    """An engagement concept owned by `user`'s nation, released to Mexico by default."""
    defaults = {
        "title_en": title, "title_es": f"{title} (es)", "type": Engagement.Type.SME_EXCHANGE,
        "direction": Engagement.Direction.TO_PARTNER, "location": "Tijuana, BC",
        "start_date": start, "end_date": end or start + timedelta(days=4),
    }
    return engagement_services.create_engagement(
        user, partnership=partnership or mexico(user), rel_to=nations(*rel_to),
        disclosure=disclosure, **{**defaults, **fields})


def make_person(user, name="Ana Soto", *, nation=None, rel_to=("MEX",), disclosure="approved",
                **fields):
    nation = Nation.objects.get(code=nation) if nation else user.nation
    defaults = {"role": Person.Role.US_CIVILIAN if nation.code == "USA"
                else Person.Role.PARTNER_MILITARY}
    return engagement_services.create_person(user, full_name=name, nation=nation,
                                             rel_to=nations(*rel_to), disclosure=disclosure,
                                             **{**defaults, **fields})


def add_budget(user, engagement, state=BudgetLine.State.ALLOTTED, amount="12000.00"):
    return engagement_services.create_budget_line(user, engagement, description="Travel",
                                                  amount=amount, fund_source="SPP O&M", state=state)


def organization(acronym):
    return Organization.objects.get(acronym=acronym)


def walk(user, engagement, *names, today=None):
    """Take the transitions in order."""
    for name in names:
        engagement = lifecycle.transition(user, engagement, name, today=today)
    return engagement


def add_engagement_seeds(existing, us_user, mx_user):
    """Records for the API fuzzing's path parameters (added to `existing`, which maps a path
    parameter to ids): a concept engagement with a US participant and a Mexican one registered
    by the liaison, an approved one with an allotted budget line (it can be funded), a Mexican
    only person (404), and the lifecycle's transitions by name."""
    from engagements.models import Engagement

    partnership = make_partnership(us_user, partner="MEX", us_state="OR",
                                   rel_to=("USA", "MEX"))
    concept = make_engagement(us_user, partnership, title="Fuzzed concept")
    american = make_person(us_user, "Fuzzed American", nation="USA")
    ours = engagement_services.add_participant(us_user, concept, american)
    theirs = engagement_services.register_participant(mx_user, concept, full_name="Fuzzed Mexican",
                                                      nation=nations("MEX")[0],
                                                      role=Person.Role.PARTNER_MILITARY,
                                                      security_force=True)
    approved = make_engagement(us_user, partnership, title="Fuzzed approved")
    line = add_budget(us_user, approved)
    walk(us_user, approved, Engagement.State.NOMINATED, Engagement.State.APPROVED)
    hidden = engagement_services.create_person(mx_user, full_name="Fuzzed hidden",
                                               nation=nations("MEX")[0],
                                               role=Person.Role.PARTNER_CIVILIAN)
    for name, ids in {"engagement_id": [concept.pk, approved.pk],
                      "person_id": [american.pk, theirs.person_id, hidden.pk],
                      "participation_id": [ours.pk, theirs.pk],
                      "budget_line_id": [line.pk],
                      "name": ["nominated", "funded", "ready", "recorded_complete", "deferred",
                               "cancelled"]}.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing
