"""Writes to playbooks. Published and retired versions are never modified."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.models import AuditAction
from audit.recording import audit_record
from core.errors import Conflict, InvalidTransition
from playbooks.models import Playbook, PlaybookStatus, RaciAssignment, Step, Tier
from playbooks.selectors import playbook_get
from playbooks.spec import playbook_spec
from playbooks.validation import CleanPlaybook, InvalidPlaybook, playbook_validate

# The only moves a playbook version may make.
TRANSITIONS = {
    PlaybookStatus.DRAFT: {PlaybookStatus.PUBLISHED, PlaybookStatus.RETIRED},
    PlaybookStatus.PUBLISHED: {PlaybookStatus.RETIRED},
    PlaybookStatus.RETIRED: set(),
}
SPEC_FIELDS = ("name", "description", "category", "first_update_within", "tiers", "steps")


def playbook_create(*, spec: dict, created_by) -> Playbook:
    """A new playbook (version 1, draft) from the contract's shape; default tiers when omitted."""
    clean = playbook_validate(spec)
    with transaction.atomic():
        playbook = Playbook(created_by=created_by)
        _write(playbook, clean)
        _audit(playbook, by=created_by, action=AuditAction.CREATED, before=None)
    return playbook


def playbook_update(*, playbook: Playbook, spec: dict, by, partial: bool = False) -> Playbook:
    """Edits a draft in place; editing a published or retired version makes a new draft version.

    Returns the version that holds the edit. `partial` keeps the fields the spec leaves out.
    """
    if partial and isinstance(spec, dict):
        spec = {
            **playbook_spec(_reloaded(playbook)),
            **{key: spec[key] for key in SPEC_FIELDS if key in spec},
        }
    clean = playbook_validate(spec)
    with transaction.atomic():
        current = _lock(playbook)
        if current.status == PlaybookStatus.DRAFT:
            before = playbook_spec(_reloaded(current))
            current.tiers.all().delete()
            _write(current, clean)
            _audit(current, by=by, action=AuditAction.UPDATED, before=before)
            return current
        draft = Playbook.objects.filter(lineage=current.lineage, status=PlaybookStatus.DRAFT).first()
        if draft is not None:
            raise Conflict(
                f"Version {draft.version} of this playbook is already a draft (id {draft.pk}); edit it."
            )
        latest = Playbook.objects.filter(lineage=current.lineage).aggregate(latest=Max("version"))["latest"]
        new_draft = Playbook(lineage=current.lineage, version=latest + 1, based_on=current, created_by=by)
        _write(new_draft, clean)
        _audit(new_draft, by=by, action=AuditAction.CREATED, before=None)
        return new_draft


def playbook_publish(*, playbook: Playbook, by) -> Playbook:
    """Publishes a draft; the lineage's previously published version is retired."""
    with transaction.atomic():
        versions = {
            row.pk: row for row in Playbook.objects.select_for_update().filter(lineage=playbook.lineage)
        }
        current = versions[playbook.pk]
        _check_transition(current, PlaybookStatus.PUBLISHED)
        clean = playbook_validate(
            playbook_spec(_reloaded(current))
        )  # people may have left since it was saved
        if not clean.steps:
            raise InvalidPlaybook({"steps": ["A playbook needs at least one step before it is published."]})
        for other in versions.values():
            if other.status == PlaybookStatus.PUBLISHED:
                _set_status(other, PlaybookStatus.RETIRED, by=by)
        current.published_at = timezone.now()
        _set_status(current, PlaybookStatus.PUBLISHED, by=by)
    return current


def playbook_retire(*, playbook: Playbook, by) -> Playbook:
    """Retires a published version (no new incident may use it) or abandons a draft."""
    with transaction.atomic():
        current = _lock(playbook)
        _check_transition(current, PlaybookStatus.RETIRED)
        _set_status(current, PlaybookStatus.RETIRED, by=by)
    return current


def _set_status(playbook: Playbook, status: str, *, by) -> None:
    """Moves a locked version to `status` and writes its audit entry."""
    before = {"status": playbook.status}
    playbook.status = status
    playbook.save(update_fields=["status", "published_at"])
    action = AuditAction.PUBLISHED if status == PlaybookStatus.PUBLISHED else AuditAction.RETIRED
    _audit(playbook, by=by, action=action, before=before, after={"status": status})


def _audit(playbook: Playbook, *, by, action: str, before: dict | None, after: dict | None = None) -> None:
    """One audit entry for a version; `after` defaults to its whole plan as the API spells it."""
    audit_record(
        playbook,
        by=by,
        action=action,
        before=before,
        after=after if after is not None else playbook_spec(_reloaded(playbook)),
    )


def _lock(playbook: Playbook) -> Playbook:
    return Playbook.objects.select_for_update().get(pk=playbook.pk)


def _reloaded(playbook: Playbook) -> Playbook:
    return playbook_get(playbook_id=playbook.pk)


def _check_transition(playbook: Playbook, target: str) -> None:
    if target not in TRANSITIONS[playbook.status]:
        now, then = playbook.get_status_display().lower(), PlaybookStatus(target).label.lower()
        raise InvalidTransition(f"A {now} playbook cannot become {then}.")


def _write(playbook: Playbook, clean: CleanPlaybook) -> None:
    """Saves the version's own fields and (re)creates its tiers, steps and RACI."""
    playbook.name, playbook.description, playbook.category = clean.name, clean.description, clean.category
    playbook.first_update_within = clean.first_update_within
    playbook.save()
    tiers = Tier.objects.bulk_create(
        Tier(playbook=playbook, key=t.key, name=t.name, starts_after=t.starts_after, ends_after=t.ends_after)
        for t in clean.tiers
    )
    tier_by_key = {tier.key: tier for tier in tiers}
    steps = Step.objects.bulk_create(
        Step(
            playbook=playbook,
            tier=tier_by_key[s.tier_key],
            order=s.order,
            title=s.title,
            instructions=s.instructions,
            due_after=s.due_after,
            escalate_after=s.escalate_after,
        )
        for s in clean.steps
    )
    RaciAssignment.objects.bulk_create(
        RaciAssignment(
            step=step, role=r.role, position=r.position, team=r.team, user=r.user, on_call=r.on_call
        )
        for step, s in zip(steps, clean.steps, strict=True)
        for r in s.raci
    )
