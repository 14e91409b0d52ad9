from django.urls import path  # noqa: F401

from engagements import views  # noqa: F401

app_name = "engagements"
urlpatterns = [
    # ---- Engagements, budget lines, people, participants, checklist ----

    # ---- After-action reports, dashboards, calendar, exports ----
]
