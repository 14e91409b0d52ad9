from django.urls import path

from core.pickers import pick
from web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
    path("pick/<slug:source>/", pick, name="pick"),
]
