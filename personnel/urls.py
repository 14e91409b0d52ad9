from django.urls import path

from personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("export/", views.roster_export, name="roster_export"),
    path("import/", views.import_file, name="import"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/apply/", views.order_apply, name="order_apply"),
]
