"""Publishing a draft from its page (apart from tests/playbooks/test_pages.py, whose module-wide
library would hold the same team names as this draft)."""

import pytest

from playbooks.models import PlaybookStatus
from playbooks.services import playbook_create

pytestmark = pytest.mark.django_db


def test_publish_from_the_page(client, risk_officer, spec):
    draft = playbook_create(spec=spec(), created_by=risk_officer)
    client.force_login(risk_officer)
    response = client.post(f"/playbooks/{draft.pk}/publish/", follow=True)
    assert "Published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlaybookStatus.PUBLISHED
    response = client.post(f"/playbooks/{draft.pk}/publish/", follow=True)
    assert "cannot become published" in response.content.decode()
