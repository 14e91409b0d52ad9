"""Background jobs shared by every domain (huey: SQLite storage by default, Redis at scale)."""

from django.core.mail import EmailMultiAlternatives
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_email(subject, body, from_email, to, html=None):
    """Send one email outside the request, retried if the mail server is down."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
