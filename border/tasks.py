"""Border jobs: the counterpart notices' escalation, every minute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from border.services.notices import escalate_overdue


# Every minute: a notice's deadline is counted in minutes (15 for a hazmat release at a port).
@db_periodic_task(crontab(minute="*"))
def escalate_notices():
    return escalate_overdue()
