"""Staff pages of early warning, mounted at /warnings/ (namespace "warnings")."""

from credit.warnings import views

app_name = "warnings"
urlpatterns = views.urlpatterns
