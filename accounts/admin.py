from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import APIToken, Nation, Organization, Role, User


@admin.register(Nation)
class NationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es"]
    search_fields = ["code", "name_en", "name_es"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name_en", "name_es", "kind", "nation", "parent"]
    list_filter = ["nation", "kind"]
    search_fields = ["acronym", "name_en", "name_es"]
    list_select_related = ["nation", "parent"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es", "mfa_required"]
    list_editable = ["mfa_required"]
    fields = ["code", "name", "name_en", "name_es", "mfa_required", "permissions"]
    filter_horizontal = ["permissions"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "organization", "nation", "is_active",
                    "is_staff"]
    list_filter = ["nation", "organization", "groups", "is_active", "is_staff"]
    list_select_related = ["organization", "nation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Enlace"), {"fields": ("organization", "time_zone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Enlace"), {"fields": ("organization", "groups")}),
    )


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    """Administrators may see and revoke tokens but never read or make a key here."""

    list_display = ["name", "user", "hint", "write", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["write"]
    readonly_fields = ["user", "name", "hint", "write", "created_at", "expires_at",
                       "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request):
        return False
