from django.urls import path

from partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("export.csv", views.partnership_export, name="export"),
    path("new/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/edit/", views.partnership_update, name="update"),
    path("<int:pk>/marking/", views.partnership_marking, name="marking"),
]
