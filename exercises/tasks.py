"""Exercise jobs: delivering the MSEL's due injects, every minute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from exercises.services.conduct import deliver_due


# Every minute: injects are scheduled to the minute after STARTEX.
@db_periodic_task(crontab(minute="*"))
def deliver_injects():
    return deliver_due()
