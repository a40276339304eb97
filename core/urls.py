from importlib.util import find_spec

from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import deadlines, uploads, views

# Pages in the "core" namespace (core:enterprise_list, core:history, ...).
core_patterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", views.history, name="history"),
    path("files/<str:label>/<int:pk>/<str:field>/", uploads.serve_protected_file, name="protected_file"),
    path("deadlines/", deadlines.deadline_calculator, name="deadlines"),
]
# The report pages (core:report_list, ...) live with the report pipeline in core/reports/urls.py.
if find_spec("core.reports.urls") is not None:
    from core.reports.urls import urlpatterns as report_patterns

    core_patterns += report_patterns

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((core_patterns, "core"))),
]
