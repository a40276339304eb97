"""Staff pages of the sampling app; each view module owns its own url patterns."""

from sampling.views import dashboard, followups, imports, publication, results, samples, tasks
from sampling.views import objection_requests, staff_downloads

app_name = "sampling"
urlpatterns = [
    *tasks.urlpatterns,
    *samples.urlpatterns,
    *results.urlpatterns,
    *followups.urlpatterns,
    *imports.urlpatterns,
    *publication.urlpatterns,
    *dashboard.urlpatterns,
    *objection_requests.urlpatterns,
    *staff_downloads.urlpatterns,
]
