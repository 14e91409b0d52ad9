from django.contrib import admin

from exercises.models import CoreCapability


@admin.register(CoreCapability)
class CoreCapabilityAdmin(admin.ModelAdmin):
    """The core capabilities exercise objectives map to: seeded, and an administrator adds
    more or retires one (inactive ones are not offered)."""

    list_display = ("code", "name_en", "name_es", "active", "order")
    list_editable = ("active", "order")
    search_fields = ("code", "name_en", "name_es")
