from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from core.views import paginate
from response.models import Incident


@login_required
def incident_list(request):
    page = paginate(request, Incident.objects.restrict(request.user))
    return render(request, "response/incident_list.html", {"page": page})


urlpatterns = [path("", incident_list, name="incidents")]
