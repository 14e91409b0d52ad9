"""Pages of mutual aid. Each capability's views live in their own module under views/ and end
with its `urlpatterns`."""

from response.views import aid, allocation, deployments, forms, incidents, map

app_name = "response"
urlpatterns = [*incidents.urlpatterns, *aid.urlpatterns, *deployments.urlpatterns,
               *allocation.urlpatterns, *map.urlpatterns, *forms.urlpatterns]
