"""Report archive pages. Included by core/urls.py into the "core" namespace (core:report_list, ...)."""

from django.urls import path

from core.reports import views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status/", views.report_status, name="report_status"),
    path("reports/<int:pk>/view/", views.report_view, name="report_view"),
    path("reports/<int:pk>/download/", views.report_download, name="report_download"),
]
