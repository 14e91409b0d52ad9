from django.urls import path

from web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
]
