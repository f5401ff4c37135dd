from django.urls import path

from reviews import api, views

urlpatterns = [
    path("incidents/<int:incident_id>/review/", views.review_page, name="incident-review"),
    path("api/v1/incidents/<int:incident_id>/review/", api.ReviewView.as_view(), name="api-review"),
    path(
        "api/v1/incidents/<int:incident_id>/review/complete/",
        api.ReviewCompleteView.as_view(),
        name="api-review-complete",
    ),
    path(
        "api/v1/incidents/<int:incident_id>/review/waive/",
        api.ReviewWaiveView.as_view(),
        name="api-review-waive",
    ),
    path(
        "api/v1/incidents/<int:incident_id>/review/ratings/<int:risk_id>/apply/",
        api.ApplyDrillProposalView.as_view(),
        name="api-review-apply-drill-proposal",
    ),
    path(
        "api/v1/incidents/<int:incident_id>/review/proposals/",
        api.ProposalsView.as_view(),
        name="api-review-proposals",
    ),
    path(
        "api/v1/incidents/<int:incident_id>/review/follow-ups/",
        api.ReviewFollowUpsView.as_view(),
        name="api-review-follow-ups",
    ),
]
