from django.urls import path  # noqa: F401

from engagements import views  # noqa: F401

app_name = "engagements"
urlpatterns = [
    # ---- Engagements, budget lines, people, participants, checklist ----
    path("", views.engagement_list, name="list"),
    path("new/", views.engagement_create, name="create"),
    path("<int:pk>/", views.engagement_detail, name="detail"),
    path("<int:pk>/edit/", views.engagement_update, name="update"),
    path("<int:pk>/marking/", views.engagement_marking, name="marking"),
    path("<int:pk>/checklist/", views.engagement_checklist, name="checklist"),
    path("<int:pk>/transitions/<slug:name>/", views.engagement_transition, name="transition"),
    path("<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("<int:pk>/budget/add/", views.budget_line_add, name="budget_line_add"),
    path("participants/<int:pk>/", views.participant_detail, name="participant"),
    path("participants/<int:pk>/edit/", views.participant_update, name="participant_update"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("budget/<int:pk>/", views.budget_line_detail, name="budget_line"),
    path("budget/<int:pk>/edit/", views.budget_line_update, name="budget_line_update"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),

    # ---- After-action reports, dashboards, calendar, exports ----
    path("<int:engagement_id>/aar/", views.aar, name="aar"),
    path("<int:engagement_id>/aar/report.pdf", views.aar_pdf, name="aar_pdf"),
    path("<int:engagement_id>/aar/start/", views.aar_start, name="aar_start"),
    path("<int:engagement_id>/aar/attendance/", views.aar_attendance, name="aar_attendance"),
    path("<int:engagement_id>/aar/observations/", views.aar_observation_add,
         name="aar_observation_add"),
    path("<int:engagement_id>/aar/observations/<int:observation_id>/remove/",
         views.aar_observation_remove, name="aar_observation_remove"),
    path("<int:engagement_id>/aar/proposals/", views.aar_proposal_add,
         name="aar_proposal_add"),
    path("<int:engagement_id>/aar/proposals/<int:proposal_id>/remove/",
         views.aar_proposal_remove, name="aar_proposal_remove"),
    path("<int:engagement_id>/aar/proposals/<int:proposal_id>/follow-on/",
         views.aar_follow_on, name="aar_follow_on"),
    path("<int:engagement_id>/aar/transitions/<slug:name>/", views.aar_transition,
         name="aar_transition"),
    path("<int:engagement_id>/aar/marking/", views.aar_marking, name="aar_marking"),
    path("aars/", views.aar_list, name="aar_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<int:fy>/", views.calendar, name="calendar"),
    path("calendar/feeds/", views.calendar_feeds, name="calendar_feeds"),
    path("calendar/feeds/<int:pk>/revoke/", views.calendar_feed_revoke,
         name="calendar_feed_revoke"),
    path("calendar/feeds/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
    path("export/", views.export, name="export"),
]
