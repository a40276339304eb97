from enforcement import views

app_name = "enforcement"
urlpatterns = [*views.urlpatterns]
