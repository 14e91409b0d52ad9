from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.audit import log_links

        for path in settings.HISTORY_LINK_FIELDS:
            log_links(path)
