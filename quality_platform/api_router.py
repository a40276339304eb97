"""One DRF router for /api/v1/; each app registers its viewsets in its own api.py."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from core import api as core_api
from sampling import api as sampling_api

router = DefaultRouter()
core_api.register(router)
sampling_api.register(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
