from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.middleware import client_address
from core.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators, and account emails leave through the job queue."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request),
               **context}
        message = self.render_mail(template_prefix, email, ctx)
        html = next((c for c, mime in getattr(message, "alternatives", []) if mime == "text/html"),
                    message.body if message.content_subtype == "html" else None)
        send_email(message.subject, message.body, message.from_email, message.to, html=html)

    def get_client_ip(self, request):
        return client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per this key: made per (client address, username), one
        # person's wrong passwords lock neither the account from elsewhere nor the address
        # for everyone else (the lockout an attacker could aim). Tests hold the behaviour.
        return f"{self.get_client_ip(request)}:" + super()._get_login_attempts_cache_key(
            request, **credentials)
