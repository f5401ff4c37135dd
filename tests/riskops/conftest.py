# The incident of the incident tests, for the bad-input regressions that need one.
from tests.incidents.conftest import cast, declared_at, incident, playbook  # noqa: F401
