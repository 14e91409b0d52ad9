from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def map_page(request):
    return render(request, "response/map.html", {})


urlpatterns = [path("map/", map_page, name="map")]
