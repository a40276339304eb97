"""One DRF router for /api/v1/; each app registers its viewsets in its own api.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from core import api as core_api
from core.api_auth import obtain_token
from core.deadlines import PublicDeadlineView
from credit import api as credit_api
from credit.warnings import api as warnings_api
from enforcement import api as enforcement_api
from recalls import api as recalls_api
from sampling import api as sampling_api

router = DefaultRouter()
core_api.register(router)
sampling_api.register(router)
recalls_api.register(router)
enforcement_api.register(router)
warnings_api.register(router)
credit_api.register(router)

urlpatterns = [
    path("auth/token/", obtain_token, name="api-token"),
    path("public/deadlines/", PublicDeadlineView.as_view(), name="public-deadlines"),
    path("", include(router.urls)),
]
