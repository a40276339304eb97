"""Public credit pages under /public/ (no sign-in)."""

from credit.views import public

app_name = "credit_public"
urlpatterns = [*public.urlpatterns]
