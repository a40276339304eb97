"""Public pages (no sign-in): published announcements and results only."""

from sampling.views import public

app_name = "public"
urlpatterns = [*public.urlpatterns]
