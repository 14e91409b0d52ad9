from django.urls import path

from interop import views

app_name = "interop"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/import/", views.alert_import, name="alert_import"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/document.xml", views.alert_document, name="alert_document"),
    path("alerts/<int:pk>/marking/", views.alert_marking, name="alert_marking"),
    path("alerts/<int:pk>/incident/", views.alert_open_incident, name="alert_open_incident"),
]
