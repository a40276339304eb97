"""Staff and producer pages of recalls (/recalls/)."""

from recalls.views import cases, dashboard, recalls

app_name = "recalls"
urlpatterns = [*dashboard.urlpatterns, *cases.urlpatterns, *recalls.urlpatterns]
