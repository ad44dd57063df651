from django.urls import path

from locations import views

app_name = "locations"

urlpatterns = [
    path("", views.LocationListView.as_view(), name="location_list"),
    path("policy-check/", views.PolicyExceptionListView.as_view(), name="policy_exceptions"),
    path("<int:pk>/", views.LocationDetailView.as_view(), name="location_detail"),
]
