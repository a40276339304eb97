"""Staff pages of the sampling app; each view module owns its own url patterns."""

from sampling.views import (
    corrections,
    dashboard,
    followups,
    imports,
    notices,
    objection_requests,
    publication,
    queues,
    results,
    samples,
    staff_downloads,
    tasks,
    timeline,
)

app_name = "sampling"
urlpatterns = [
    *tasks.urlpatterns,
    *samples.urlpatterns,
    *results.urlpatterns,
    *followups.urlpatterns,
    *imports.urlpatterns,
    *notices.urlpatterns,
    *publication.urlpatterns,
    *dashboard.urlpatterns,
    *objection_requests.urlpatterns,
    *staff_downloads.urlpatterns,
    *corrections.urlpatterns,
    *timeline.urlpatterns,
    *queues.urlpatterns,
]
