"""Staff pages of credit (/credit/…) and the enterprise portal (/enterprise/…)."""

from credit.views import classes, listings, portal

app_name = "credit"
urlpatterns = [*classes.urlpatterns, *listings.urlpatterns, *portal.urlpatterns]
