from exercises.views import evaluation as evaluation_views
from exercises.views import exercises as views

app_name = "exercises"
urlpatterns = [
    *views.urlpatterns,  # the exercise, its objectives, MSEL, conduct and responses
    *evaluation_views.urlpatterns,  # evaluation and the improvement plan
]
