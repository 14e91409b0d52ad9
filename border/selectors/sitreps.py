"""Every read of joint situation reports, restricted (`restrict(user, action)`): a report and its
sections carry their event's marking and are hidden wherever the event is (MARKING_PARENTS)."""

from django.db.models import Prefetch
from django.http import Http404

from border.models import SitrepSection, SituationReport
from core.views import get_one


def sections_of(user):
    """The sections the user may see, each with what its page shows of it."""
    return (SitrepSection.objects.restrict(user).prefetch_related(None)
            .select_related("nation", "organization", "submitted_by", "written_by"))


def reports_for(user, event=None):
    """The situation reports the user may see (of `event`, if given), in number order, each with
    its sections in `visible_sections`."""
    reports = (SituationReport.objects.restrict(user)
               .select_related("event__kind", "event__owner_nation")
               .prefetch_related(Prefetch("sections", queryset=sections_of(user),
                                          to_attr="visible_sections"))
               .order_by("event", "number"))
    if event is not None:
        reports = reports.filter(event=event)
    return reports


def report_for(user, pk):
    """Report `pk` if the user may see it (and so its event), else 404."""
    return get_one(reports_for(user), pk)


def ordered_sections(report):
    """The report's visible sections, the event's owning nation first."""
    owner = report.event.owner_nation_id
    return sorted(report.visible_sections, key=lambda s: (s.nation_id != owner, s.nation.code))


def section_for(user, report, nation_code):
    """The report's section of the nation with this code, if the user may see it, else 404."""
    section = sections_of(user).filter(report=report,
                                       nation__code=str(nation_code).upper()[:3]).first()
    if section is None:
        raise Http404
    section.report = report
    return section


def latest_published(user, event):
    """The event's latest published report the user may see, or None."""
    return (reports_for(user, event).filter(state=SituationReport.State.PUBLISHED)
            .order_by("-number").first())
