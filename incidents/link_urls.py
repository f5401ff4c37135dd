from django.urls import path

from incidents import links

urlpatterns = [
    path("links/<str:token>/", links.link_page, name="action-link"),
    path("api/v1/links/<str:token>/", links.LinkActView.as_view(), name="api-action-link"),
]
