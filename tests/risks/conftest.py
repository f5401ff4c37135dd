import pytest
from django.utils import timezone

from people.models import Role
from risks import services
from risks.models import Category

# Risks are made "now" unless a test says otherwise, so the API (which reads the clock) agrees.
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def matrix(db):
    """The default matrix and categories (also there after a transactional test flushed them)."""
    services.categories_ensure_default()
    return services.matrix_ensure_default()


@pytest.fixture
def make_risk(matrix, make_user):
    officer = make_user(Role.RISK_OFFICER, username="officer")

    def make(**values):
        values.setdefault("title", "Key supplier stops deliveries")
        values.setdefault("category", Category.objects.get(key=values.pop("category_key", "supply-chain")))
        values.setdefault("owner", officer)
        values.setdefault("likelihood", 3)
        values.setdefault("impact", 4)
        values.setdefault("now", NOW)
        return services.risk_create(by=values.pop("by", officer), **values)

    return make
