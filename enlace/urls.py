from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from enlace.api import api
from web import views as web_views

admin.site.site_header = _("Enlace administration")
admin.site.site_title = _("Enlace")

urlpatterns = [
    path("", include("web.urls")),
    path("healthz", web_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("personnel/", include("personnel.urls")),
    path("engagements/", include("engagements.urls")),
    path("response/", include("response.urls")),
    path("border/", include("border.urls")),
    path("interop/", include("interop.urls")),
    path("exercises/", include("exercises.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "web.views.permission_denied"
handler404 = "web.views.page_not_found"
handler500 = "web.views.server_error"
