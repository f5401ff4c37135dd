"""/api/v1/incidents/{id}/review/ and /api/v1/follow-ups/: check, validate, call one service, serialise."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.filtering import boolean_parameter
from reviews import permissions, selectors, services
from reviews.models import Review
from reviews.serializers import (
    ApplyProposalSerializer,
    FollowUpInputSerializer,
    FollowUpSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
    WaiverSerializer,
)


def visible_review(request, incident_id: int) -> Review:
    try:
        return selectors.review_get(user=request.user, incident_id=incident_id)
    except Review.DoesNotExist as missing:
        raise NotFound("No review of this incident (it opens when the incident is resolved).") from missing


def writable_review(request, incident_id: int) -> Review:
    review = visible_review(request, incident_id)
    if not permissions.may_write_review(request.user, review.incident):
        raise PermissionDenied("Only the commander, risk officers and administrators write the review.")
    return review


def review_response(request, incident_id: int, status_code=status.HTTP_200_OK) -> Response:
    review = visible_review(request, incident_id)
    review.on_time_record = selectors.on_time_record(incident=review.incident)
    return Response(ReviewSerializer(review).data, status=status_code)


class ReviewView(APIView):
    """The post-incident review: everyone who sees the incident reads it; its writers change it."""

    @extend_schema(responses=ReviewSerializer)
    def get(self, request, incident_id: int):
        return review_response(request, incident_id)

    @extend_schema(request=ReviewUpdateSerializer, responses=ReviewSerializer)
    def patch(self, request, incident_id: int):
        writable_review(request, incident_id)
        form = ReviewUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.review_update(incident_id=incident_id, by=request.user, changes=form.validated_data)
        return review_response(request, incident_id)


class ReviewCompleteView(APIView):
    @extend_schema(request=None, responses=ReviewSerializer)
    def post(self, request, incident_id: int):
        writable_review(request, incident_id)
        services.review_complete(incident_id=incident_id, by=request.user)
        return review_response(request, incident_id)


class ReviewWaiveView(APIView):
    @extend_schema(request=WaiverSerializer, responses=ReviewSerializer)
    def post(self, request, incident_id: int):
        visible_review(request, incident_id)
        if not permissions.may_waive_review(request.user):
            raise PermissionDenied("Only an administrator may waive a review.")
        form = WaiverSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.review_waive(incident_id=incident_id, by=request.user, reason=form.validated_data["reason"])
        return review_response(request, incident_id)


class ApplyDrillProposalView(APIView):
    """A risk officer applies one re-rating a completed drill's review proposed, with their reason."""

    @extend_schema(request=ApplyProposalSerializer, responses=ReviewSerializer)
    def post(self, request, incident_id: int, risk_id: int):
        visible_review(request, incident_id)
        if not permissions.may_apply_drill_proposal(request.user):
            raise PermissionDenied("Only risk officers and administrators apply a drill's proposal.")
        form = ApplyProposalSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.drill_proposal_apply(
            incident_id=incident_id, risk_id=risk_id, by=request.user, reason=form.validated_data["reason"]
        )
        return review_response(request, incident_id)


class ProposalsView(APIView):
    @extend_schema(request=ProposalInputSerializer, responses={201: ProposalSerializer})
    def post(self, request, incident_id: int):
        writable_review(request, incident_id)
        form = ProposalInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        proposal = services.proposal_create(
            incident_id=incident_id,
            by=request.user,
            spec=form.validated_data["spec"],
            rationale=form.validated_data["rationale"],
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ReviewFollowUpsView(APIView):
    @extend_schema(request=FollowUpInputSerializer, responses={201: FollowUpSerializer})
    def post(self, request, incident_id: int):
        writable_review(request, incident_id)
        form = FollowUpInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        action = services.follow_up_create(incident_id=incident_id, by=request.user, **form.validated_data)
        return Response(FollowUpSerializer(action).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("mine", bool, description="Only my open follow-ups.")])
class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-up actions of incidents the requester sees; `?mine=true`: theirs to do."""

    serializer_class = FollowUpSerializer

    def get_queryset(self):
        mine = self.action == "list" and bool(boolean_parameter(self.request.query_params, "mine"))
        return selectors.follow_ups_visible_to(self.request.user, mine=mine)

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        follow_up = self.get_object()
        if follow_up.owner_id != request.user.pk and not permissions.may_write_review(
            request.user, follow_up.review.incident
        ):
            raise PermissionDenied("Only the owner or the review's writers mark a follow-up done.")
        services.follow_up_complete(follow_up_id=follow_up.pk, by=request.user)
        return Response(FollowUpSerializer(self.get_queryset().get(pk=follow_up.pk)).data)
