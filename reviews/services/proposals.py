"""Playbook change proposals: a new draft version of the playbook used, with a readable diff."""

import datetime as dt
import difflib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from playbooks.exchange import playbook_export
from playbooks.models import Playbook
from playbooks.selectors import playbook_get
from playbooks.services import playbook_update
from reviews.models import PlaybookProposal
from reviews.services.locking import lock_open_review


def playbook_diff(used: Playbook, proposed: Playbook) -> str:
    """A unified diff of the two versions' YAML exports (teams by slug, people by username)."""
    before = playbook_export(playbook_get(playbook_id=used.pk)).splitlines(keepends=True)
    after = playbook_export(playbook_get(playbook_id=proposed.pk)).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"{used} (used)", f"{proposed} (proposed)", n=2))


@transaction.atomic
def proposal_create(
    *, incident_id: int, by, spec: dict, rationale: str, now: dt.datetime | None = None
) -> PlaybookProposal:
    """`spec` holds the changed parts of the playbook (the contract's shape); the rest is kept."""
    if not (rationale or "").strip():
        raise ValidationError({"rationale": [_("Say why the playbook should change.")]})
    incident, review = lock_open_review(incident_id)
    used = incident.playbook
    draft = playbook_update(playbook=used, spec=spec, by=by, partial=True)
    diff = playbook_diff(used, draft)
    if not diff:
        raise ValidationError({"spec": [_("The proposal changes nothing in the playbook.")]})
    return PlaybookProposal.objects.create(
        review=review,
        used=used,
        draft=draft,
        rationale=rationale.strip(),
        diff=diff,
        proposed_by=by,
        proposed_at=now or timezone.now(),
    )
