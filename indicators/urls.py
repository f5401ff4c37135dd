"""Pages of the KRIs (the API is routed in riskops/urls.py)."""

from django.urls import path

from indicators import views

urlpatterns = [
    path("", views.kri_list, name="kri-list"),
    path("new/", views.kri_create, name="kri-create"),
    path("rule-in-words/", views.rule_words, name="kri-rule-words"),
    path("<int:pk>/", views.kri_detail, name="kri-detail"),
    path("<int:pk>/edit/", views.kri_edit, name="kri-edit"),
    path("<int:pk>/readings/", views.reading_enter, name="kri-reading-enter"),
]
