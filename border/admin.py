from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from border.models import (
    BorderEvent,
    BorderEventKind,
    ContactRule,
    Notice,
    PortStatusReport,
    TimelineEntry,
)


@admin.register(BorderEventKind)
class BorderEventKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es", "incident_kind", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name_en", "name_es"]


@admin.register(ContactRule)
class ContactRuleAdmin(admin.ModelAdmin):
    """The binational contact matrix (loaded by `enlace load_contact_matrix`): an administrator
    changes who is told, how and how fast; notices already sent keep what they were sent
    with."""

    list_display = ["kind", "side", "chain", "level", "organization", "channel", "minutes",
                    "national", "active"]
    list_editable = ["channel", "minutes", "active"]
    list_filter = ["kind", "side", "national", "active", "organization"]
    search_fields = ["chain", "duty_role_en", "duty_role_es", "contact",
                     "organization__acronym"]
    ordering = ["kind__order", "side", "chain", "level"]


# ---- Partnership records: read-only here ------------------------------------------------------
# Events, their timelines, notices and port reports are written only through border.services
# (the guards, the marking, the history and the notices in one transaction); the back office
# shows them, it does not write them.

class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows records written by the services; never adds, changes or deletes one."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PortStatusReport)
class PortStatusReportAdmin(ReadOnlyAdmin):
    """The status board's history: every report each side made of its lanes at each port."""

    list_display = ["port", "side", "status", "passenger_wait_minutes",
                    "commercial_wait_minutes", "organization", "reported_by", "reported_at",
                    "owner_nation"]
    list_filter = ["port", "side", "status", "owner_nation"]
    search_fields = ["port__name_en", "port__name_es", "port__key", "reason_en", "reason_es"]
    date_hierarchy = "reported_at"
    list_select_related = ["port", "organization", "reported_by", "owner_nation"]
    ordering = ["-reported_at", "-pk"]


@admin.register(BorderEvent)
class BorderEventAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "state", "severity", "side", "is_exercise",
                    "reporting_organization", "started_at", "owner_nation"]
    list_filter = ["kind", "state", "severity", "side", "is_exercise", "owner_nation"]
    search_fields = ["title_en", "title_es"]
    date_hierarchy = "started_at"
    list_select_related = ["kind", "reporting_organization", "owner_nation"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "language", "organization", "author", "at"]
    list_filter = ["kind", "language", "organization"]
    search_fields = ["text"]
    list_select_related = ["event__kind", "organization", "author"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["event", "organization", "chain", "level", "channel", "state", "sent_at",
                    "due_at", "acknowledged_at", "late"]
    list_filter = ["state", "channel", "national", "organization"]
    list_select_related = ["event__kind", "organization"]
    date_hierarchy = "sent_at"

    @admin.display(description=_("late"), boolean=True)
    def late(self, obj):
        return obj.late
