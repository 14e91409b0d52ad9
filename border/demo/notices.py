"""The demo's counterpart notices, told through the notice services with explicit times: the
contact matrix is loaded, then each demo event notifies its counterparts as of the moment it
was reported. On the Otay Mountain fire, Baja California civil protection acknowledges in 12
minutes; DEFENSA's 2nd Military Zone does not answer within its hour, the notice escalates to
the national channel (CNPC), and DEFENSA acknowledges late. Cal OES acknowledges the Tijuana
River notice, Baja California the Otay Mesa closure, and the US side the Laguna Salada exercise
(which never counts in the figures); any other demo event (the port status board's closure)
is notified as reported and left to the job's schedule up to now. Idempotent: an event with an
acknowledged notice is left as it is, and nobody is notified twice."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from border.contact_matrix import load_contact_matrix
from border.models import BorderEvent, Notice
from border.services import notices
from core.demo import happened_at

# (English title of the demo event, [(username acknowledging, minutes after the report)]).
ACKNOWLEDGEMENTS = {
    "Otay Mountain Fire crossing the line": [("mx.bc", 12), ("mx.liaison", 74)],
    "Tijuana River sewage overflow after a collector break": [("us.caloes", 21)],
    "Otay Mesa port closed: suspicious package": [("mx.bc", 9)],
    "M6.8 earthquake on the Laguna Salada fault (exercise)": [("us.duty", 6),
                                                               ("us.caloes", 11)],
}


def load(users):
    load_contact_matrix()
    for event in BorderEvent.objects.order_by("created_at", "pk"):
        if event.notices.filter(acknowledged_at__isnull=False).exists():
            continue  # told before
        reported = event.created_at
        if not event.notices.exists():
            try:
                with happened_at(reported):
                    notices.notify_counterparts(event, now=reported)
            except ValidationError:
                continue  # kept from the nation the matrix names: nobody is told
        _redate(event)
        acknowledgements = ACKNOWLEDGEMENTS.get(event.title_en, [])
        last = reported
        for username, minutes in acknowledgements:
            moment = reported + timedelta(minutes=minutes)
            # Whatever fell due before this acknowledgement escalated on the job's schedule.
            _escalate_until(event, moment)
            user = users[username]
            notice = event.notices.filter(organization_id=user.organization_id,
                                          acknowledged_at__isnull=True).order_by("level").first()
            if notice is not None:
                with happened_at(moment):
                    notices.acknowledge(user, notice, now=moment)
            last = moment
        # An event nobody in the story answers runs the job's schedule up to now.
        _escalate_until(event, last if acknowledgements else timezone.now())


def _redate(event):
    """A notice made while a demo step was dated (core.demo.happened_at) carries the step's
    time as sent, but its deadline was counted from the load: count it from the sending."""
    for notice in event.notices.select_related("rule"):
        if notice.rule is not None and notice.due_at - notice.sent_at != timedelta(
                minutes=notice.rule.minutes):
            Notice.objects.filter(pk=notice.pk).update(
                due_at=notice.sent_at + timedelta(minutes=notice.rule.minutes))


def _escalate_until(event, moment):
    """Run the escalation job at every deadline of the event's notices up to `moment`."""
    while True:
        due = (notices.overdue_notices(moment).filter(event=event).order_by("due_at")
               .values_list("due_at", flat=True).first())
        if due is None:
            return
        with happened_at(due):
            notices.escalate_overdue(now=due, event=event)
