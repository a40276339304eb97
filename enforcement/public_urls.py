"""Public pages of enforcement under /public/ (complaints, published penalties)."""

from enforcement import public_views

app_name = "public_enforcement"
urlpatterns = [*public_views.urlpatterns]
