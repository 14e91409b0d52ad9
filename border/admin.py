from django.contrib import admin

from border.models import BorderEventKind


@admin.register(BorderEventKind)
class BorderEventKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es", "incident_kind", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name_en", "name_es"]
