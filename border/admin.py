from django.contrib import admin

from border.models import BorderEventKind, ContactRule


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
