"""Pages of the KRIs (the API is routed in riskops/urls.py)."""

from django.urls import path

from indicators import views

urlpatterns = [
    path("", views.kri_list, name="kri-list"),
    path("<int:pk>/", views.kri_detail, name="kri-detail"),
]
