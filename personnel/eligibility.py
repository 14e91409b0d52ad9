"""What a member may be tasked with on a date, derived from duty status and explained in
words. Engagement gates and mutual-aid rosters call `eligibility()`; nothing else decides this."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from personnel.models import Authority, DutyPeriod, DutyStatus, authority_of


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str


@dataclass(frozen=True)
class Eligibility:
    member_id: int
    moment: object
    status: str
    authority: str
    period: DutyPeriod | None
    available_to_state: Verdict
    law_enforcement_restricted: Verdict
    partnership_event_abroad: Verdict
    state_mutual_aid: Verdict

    def status_label(self):
        return DutyStatus(self.status).label

    def authority_label(self):
        return Authority(self.authority).label


def _since(period):
    if period is None:
        return ""
    since = _(" since %(date)s") % {"date": date_format(timezone.localtime(period.start).date(),
                                                         "SHORT_DATE_FORMAT")}
    if period.orders_reference:
        since += _(" (orders %(ref)s)") % {"ref": period.orders_reference}
    return since


def eligibility(member, moment=None, period=None):
    """`period` may be passed when the caller already holds the one in effect at `moment`."""
    moment = moment or timezone.now()
    if period is None:
        period = DutyPeriod.objects.filter(member=member).at(moment).first()
    status = period.status if period else DutyStatus.NONE
    authority = authority_of(status)
    label = DutyStatus(status).label
    where = label + _since(period)
    federal = authority == Authority.PRESIDENT

    if federal:
        state = Verdict(False, _("Under federal control: %(status)s. The governor cannot task "
                                 "this member until released.") % {"status": where})
    elif status == DutyStatus.NONE:
        state = Verdict(True, _("Not on orders: the governor may call this member to State "
                                "Active Duty."))
    else:
        state = Verdict(True, _("Under state control: %(status)s.") % {"status": where})

    if federal:
        law = Verdict(True, _("Posse Comitatus restrictions apply: a member on Title 10 orders "
                              "may not perform civilian law enforcement."))
    else:
        law = Verdict(False, _("Posse Comitatus does not apply under state control; state law "
                               "governs law-enforcement support."))

    if status in (DutyStatus.T10_ACTIVE, DutyStatus.AGR_T10):
        abroad = Verdict(True, _("On Title 10 orders: may take part in a partnership event "
                                 "abroad."))
    elif status == DutyStatus.T10_12406:
        abroad = Verdict(False, _("Federalized for a domestic mission under 10 U.S.C. 12406: "
                                  "needs separate Title 10 orders for an event abroad."))
    else:
        abroad = Verdict(False, _("Members abroad must be on Title 10 orders; this member is "
                                  "not (%(status)s).") % {"status": label})
    if abroad.ok and member.passport_expires and member.passport_expires < moment.date():
        # No date here: passport data is for the personnel officer's eyes only.
        abroad = Verdict(False, _("On Title 10 orders, but the passport is not valid on this "
                                  "date."))

    if federal:
        aid = Verdict(False, _("Under federal control: not available for state mutual-aid "
                               "tasking."))
    else:
        aid = Verdict(True, _("Under state control: may be tasked for state mutual aid."))

    return Eligibility(member_id=member.pk, moment=moment, status=status, authority=authority,
                       period=period, available_to_state=state, law_enforcement_restricted=law,
                       partnership_event_abroad=abroad, state_mutual_aid=aid)
