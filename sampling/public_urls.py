"""Public pages (no sign-in): published announcements and results only."""

from sampling.views import public, public_draws, public_portal

app_name = "public"
urlpatterns = [*public.urlpatterns, *public_draws.urlpatterns, *public_portal.urlpatterns]
