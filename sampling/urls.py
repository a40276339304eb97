"""Staff pages of the sampling app; each view module owns its own url patterns."""

from sampling.views import (
    dashboard,
    followups,
    imports,
    objection_requests,
    publication,
    results,
    samples,
    staff_downloads,
    tasks,
)

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
