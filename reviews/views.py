"""The review page: /incidents/<id>/review/ (everyone who sees the incident reads it; its writers write).

Each form on the page posts to it, named by its submit button, and calls one service: the review
itself (texts, whys, pinned entries, the decision for every linked risk; "complete"), a playbook
change proposal, a follow-up action, a follow-up done, an administrator's waiver. Bad input
re-renders the page with each error next to its field (400); nothing is written.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidTransition
from playbooks.exchange import playbook_export, spec_from_text
from playbooks.selectors import playbook_get
from playbooks.validation import InvalidPlaybook
from reviews import permissions, selectors, services
from reviews.forms import (
    ApplyProposalForm,
    FollowUpForm,
    ProposalForm,
    RatingForm,
    ReviewForm,
    WaiverForm,
)
from reviews.models import Review, ReviewStatus
from reviews.plan_chart import legend, plan_versus_actual


@login_required
def review_page(request, incident_id: int):
    try:
        review = selectors.review_get(user=request.user, incident_id=incident_id)
    except Review.DoesNotExist as missing:
        raise Http404 from missing
    page = _Page(request, review)
    if request.method == "POST":
        action = next((name for name in ACTIONS if name in request.POST), "save")
        try:
            if ACTIONS[action](page):
                return redirect("incident-review", incident_id=incident_id)
        except InvalidTransition as error:
            messages.error(request, error.detail)
            return redirect("incident-review", incident_id=incident_id)
    return render(request, "reviews/review.html", page.context(), status=400 if page.has_errors else 200)


class _Page:
    """The review, who may do what on it, and its forms (bound to the POST of the one submitted)."""

    def __init__(self, request, review: Review):
        self.request, self.review, self.incident = request, review, review.incident
        self.is_open = review.status == ReviewStatus.OPEN
        self.writer = permissions.may_write_review(request.user, self.incident)
        self.may_write = self.is_open and self.writer
        self.may_waive = self.is_open and permissions.may_waive_review(request.user)
        self.timeline = selectors.timeline_to_pin(incident=self.incident)
        initial = {
            field: getattr(review, field)
            for field in ("summary", "root_cause", "what_worked", "what_did_not")
        }
        initial["pinned"] = [pin.entry.seq for pin in review.pinned.all()]
        self.review_form = ReviewForm(initial=initial, timeline=self.timeline)
        self.whys = (review.whys + [""] * 5)[:5]
        self.rating_forms = [RatingForm(rating=rating) for rating in review.ratings.all()]
        # The version used, as YAML to edit: read whole (four queries) only for those who may propose.
        used = playbook_get(playbook_id=self.incident.playbook_id) if self.may_write else None
        self.proposal_form = ProposalForm(initial={"playbook": playbook_export(used) if used else ""})
        self.follow_up_form = FollowUpForm()
        self.waiver_form = WaiverForm()
        self.may_apply = permissions.may_apply_drill_proposal(request.user)
        self.apply_form: _ApplyForm | None = None
        self.review_errors: dict[str, list[str]] = {}

    @property
    def has_errors(self) -> bool:
        forms = [
            self.review_form,
            *self.rating_forms,
            self.proposal_form,
            self.follow_up_form,
            self.waiver_form,
            *([self.apply_form.form] if self.apply_form else []),
        ]
        return bool(self.review_errors) or any(form.is_bound and form.errors for form in forms)

    def check(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied

    def context(self) -> dict:
        steps = selectors.on_time_record(incident=self.incident)
        chart = plan_versus_actual(incident=self.incident, steps=steps, now=timezone.now())
        return {
            "review": self.review,
            "incident": self.incident,
            "steps": steps,
            "chart": chart,
            "legend": legend(chart),
            "may_write": self.may_write,
            "may_waive": self.may_waive,
            "form": self.review_form,
            "whys": self.whys,
            "timeline": self.timeline,
            "pinned": {str(seq) for seq in self.review_form["pinned"].value() or []},
            "rating_forms": self.rating_forms,
            "proposal_form": self.proposal_form,
            "follow_up_form": self.follow_up_form,
            "waiver_form": self.waiver_form,
            "review_errors": self.review_errors,
            "may_apply": self.may_apply,
            "apply_form": self.apply_form,
            "blank_apply_form": ApplyProposalForm(),
            "user_id": self.request.user.pk,
        }


def _save(page: _Page) -> bool:
    """The texts, whys, pins and the decisions for the linked risks posted; "complete" completes."""
    page.check(page.writer)
    post, incident_id, by = page.request.POST, page.incident.pk, page.request.user
    page.review_form = ReviewForm(post, timeline=page.timeline)
    page.whys = (post.getlist("whys") + [""] * 5)[:5]
    page.rating_forms = [
        RatingForm(post, rating=form.rating) if form.add_prefix("decision") in post else form
        for form in page.rating_forms
    ]
    posted = [form for form in page.rating_forms if form.is_bound]
    if not all([page.review_form.is_valid(), *(form.is_valid() for form in posted)]):
        return False
    changes = {
        **page.review_form.changes(post.getlist("whys")),
        "ratings": [form.change() for form in posted],
    }
    try:
        services.review_update(incident_id=incident_id, by=by, changes=changes)
        if "complete" in post:
            services.review_complete(incident_id=incident_id, by=by)
            messages.success(page.request, _("The review is complete: the incident may now be closed."))
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            if field in page.review_form.fields:
                page.review_form.add_error(field, problems)
            else:
                page.review_errors[field] = problems
        return False
    return True


def _propose(page: _Page) -> bool:
    """A better version of the playbook used, as its YAML: a new draft version with its diff."""
    page.check(page.writer)
    form = page.proposal_form = ProposalForm(page.request.POST)
    if not form.is_valid():
        return False
    try:
        spec = spec_from_text(form.cleaned_data["playbook"])
        services.proposal_create(
            incident_id=page.incident.pk,
            by=page.request.user,
            spec=spec,
            rationale=form.cleaned_data["rationale"],
        )
    except InvalidPlaybook as error:
        form.add_error("playbook", _problems(error.detail))
        return False
    except Conflict as error:
        form.add_error("playbook", error.detail)
        return False
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error("playbook" if field == "spec" else field, problems)
        return False
    messages.success(page.request, _("Proposed: a new draft version of the playbook."))
    return True


def _problems(detail, place: tuple[str, ...] = ()) -> list[str]:
    """A playbook's errors, nested as its spec, as lines naming their place ("steps › 0 › title: …")."""
    if isinstance(detail, dict):
        return [line for key, value in detail.items() for line in _problems(value, (*place, str(key)))]
    if isinstance(detail, list):
        return [line for item in detail for line in _problems(item, place)]
    where = " › ".join(part for part in place if part != "file")
    return [f"{where}: {detail}" if where else str(detail)]


def _submitted(form, call) -> bool:
    """Calls the service with the form's data once it is valid; the service's errors go on the form."""
    if not form.is_valid():
        return False
    try:
        call(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _add_follow_up(page: _Page) -> bool:
    page.check(page.writer)
    page.follow_up_form = FollowUpForm(page.request.POST)
    return _submitted(
        page.follow_up_form,
        lambda **data: services.follow_up_create(incident_id=page.incident.pk, by=page.request.user, **data),
    )


def _follow_up_done(page: _Page) -> bool:
    """The owner of a follow-up action, or the review's writers, mark it done."""
    action = next(
        (a for a in page.review.follow_ups.all() if str(a.pk) == page.request.POST["follow_up_done"]), None
    )
    if action is None:
        raise Http404
    page.check(page.writer or action.owner_id == page.request.user.pk)
    services.follow_up_complete(follow_up_id=action.pk, by=page.request.user)
    return True


def _waive(page: _Page) -> bool:
    page.check(permissions.may_waive_review(page.request.user))
    page.waiver_form = WaiverForm(page.request.POST)
    return _submitted(
        page.waiver_form,
        lambda reason: services.review_waive(
            incident_id=page.incident.pk, by=page.request.user, reason=reason
        ),
    )


@dataclass(frozen=True)
class _ApplyForm:
    risk_id: int
    form: ApplyProposalForm


def _apply_proposal(page: _Page) -> bool:
    """A risk officer applies one re-rating the drill's review proposed, with their own reason."""
    page.check(page.may_apply)
    rating = next(
        (r for r in page.review.ratings.all() if str(r.risk_id) == page.request.POST.get("risk")), None
    )
    if rating is None:
        raise Http404
    page.apply_form = _ApplyForm(rating.risk_id, ApplyProposalForm(page.request.POST))
    applied = _submitted(
        page.apply_form.form,
        lambda reason: services.drill_proposal_apply(
            incident_id=page.incident.pk, risk_id=rating.risk_id, by=page.request.user, reason=reason
        ),
    )
    if applied:
        messages.success(page.request, _("Applied: the risk is re-rated, with your reason in its history."))
    return applied


ACTIONS = {
    "apply_proposal": _apply_proposal,
    "propose": _propose,
    "add_follow_up": _add_follow_up,
    "follow_up_done": _follow_up_done,
    "waive": _waive,
    "save": _save,
}
