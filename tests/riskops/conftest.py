# Fixtures of other apps' tests, for the bad-input, metrics, backup and retention tests that need them.
from tests.incidents.conftest import cast, declared_at, incident, playbook, redis, stack  # noqa: F401
from tests.indicators.conftest import kri_owner, make_kri, officer, risk  # noqa: F401
