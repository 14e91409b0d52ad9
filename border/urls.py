from django.urls import path

from border.views import events as views
from border.views import notices as notice_views
from border.views import ports as port_views
from border.views import sitreps as sitrep_views

app_name = "border"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.csv", views.event_export, name="events_export"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_update, name="event_update"),
    path("<int:pk>/marking/", views.event_marking, name="event_marking"),
    path("<int:pk>/transitions/<slug:name>/", views.event_transition, name="event_transition"),
    path("<int:pk>/timeline/", views.timeline_add, name="timeline_add"),
    path("<int:pk>/incident/", views.event_open_incident, name="event_open_incident"),
]
urlpatterns += notice_views.urlpatterns  # the counterpart notices' pages
urlpatterns += port_views.urlpatterns  # the port-of-entry status board's pages
urlpatterns += sitrep_views.urlpatterns  # the joint situation reports' pages
