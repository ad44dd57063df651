from django.urls import path

from journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.FrameworkListView.as_view(), name="framework_list"),
    path("<int:pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
]
