from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from quality_platform import api_router

urlpatterns = [
    path("", include("core.urls")),
    path("sampling/", include("sampling.urls")),
    path("public/", include("sampling.public_urls")),
    path("public/", include("enforcement.public_urls")),
    path("enforcement/", include("enforcement.urls")),
    path("public/", include("recalls.public_urls")),
    path("recalls/", include("recalls.urls")),
    path("warnings/", include("credit.warnings.urls")),
    path("public/", include("credit.public_urls")),
    path("", include("credit.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_router.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
# Uploaded files are never served from MEDIA_URL: core:protected_file checks who may see each one.

# A database outage answers 503 with a Chinese page (JSON for /api/); no error page needs the database.
handler500 = "core.error_pages.server_error"
handler400 = "core.error_pages.bad_request"
