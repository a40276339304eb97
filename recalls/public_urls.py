"""Public recall pages (no sign-in): /public/recalls/… — published notices only."""

from recalls.views import public

app_name = "recalls_public"
urlpatterns = [*public.urlpatterns]
