"""Pages of mutual aid. Each capability's views live in their own module under views/."""

from response.views import aid, deployments, incidents

app_name = "response"
urlpatterns = [*incidents.urlpatterns, *aid.urlpatterns, *deployments.urlpatterns]
