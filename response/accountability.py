"""Who is where now: every person on a team not yet home, with their latest check-in (ICS-211
status, location and time), read through `restrict()` — a person or a team not released to
the reader is not there. One query for the rows, one for the counts."""

from django.db.models import Count, OuterRef, Subquery

from response.models import CheckIn, Deployment, RosterMember
from response.services.deployments import HOME


def with_latest_check_in(members):
    """`members` annotated with their latest check-in: last_status, last_location, last_at
    (None when there is none yet)."""
    latest = CheckIn.objects.filter(member=OuterRef("pk")).order_by("-at", "-pk")
    return members.annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_location=Subquery(latest.values("location")[:1]),
        last_at=Subquery(latest.values("at")[:1]))


def roster_for(user, deployment):
    """The people of `deployment` the user may see, each with their latest check-in."""
    members = (RosterMember.objects.restrict(user).filter(deployment=deployment)
               .select_related("organization").prefetch_related(None))
    return with_latest_check_in(members).order_by("full_name", "pk")


def teams_away(user):
    """The teams the user may see that are not yet home (returned or closed)."""
    return Deployment.objects.restrict(user).exclude(state__in=HOME)


def who_is_where(user, *, incident=None, deployment=None, nation=None):
    """Everyone on a team that is not yet home (returned or closed), that the user may see,
    with their team, its sending nation and their organization and latest check-in.
    `incident` and `deployment` are records or ids; `nation` is the sending nation, a record
    or its code."""
    teams = teams_away(user)
    if incident is not None:
        teams = teams.filter(incident_id=getattr(incident, "pk", incident))
    if deployment is not None:
        teams = teams.filter(pk=getattr(deployment, "pk", deployment))
    if nation is not None:
        teams = teams.filter(owner_nation__code=getattr(nation, "code", nation).upper())
    members = (RosterMember.objects.restrict(user)
               .filter(deployment__in=teams.values("pk"))
               .select_related("deployment", "deployment__owner_nation",
                               "deployment__host_nation", "organization")
               .prefetch_related(None))
    return with_latest_check_in(members).order_by("deployment__name", "deployment_id",
                                                  "full_name", "pk")


def labelled(members):
    """The members as a list, each with `last_status_label` in the reader's language."""
    labels = dict(CheckIn.Status.choices)
    members = list(members)
    for member in members:
        member.last_status_label = labels.get(member.last_status, "")
    return members


def counts(rows):
    """How many people per sending nation and latest status (None: no check-in yet), from a
    `who_is_where` queryset: {nation code: {status: n}}."""
    table = {}
    grouped = (rows.order_by().values("deployment__owner_nation__code", "last_status")
               .annotate(n=Count("pk")))
    for row in grouped:
        nation = table.setdefault(row["deployment__owner_nation__code"], {})
        nation[row["last_status"]] = row["n"]
    return table
