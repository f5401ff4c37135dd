"""Two risk officers save the matrix at once, both from v1: one makes v2, the other is told of it
and writes nothing; never two v2s, never a v3 built on a version its author did not see."""

import pytest

from audit.models import AuditEntry
from core.errors import Conflict
from people.models import Role
from risks import services
from risks.models import RiskMatrix
from tests.risks.overlap import at_once, postgresql_only
from tests.risks.test_matrix_editing import parts

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql_only,
]


def test_two_officers_saving_at_once_make_one_version(matrix, make_user):
    first_officer = make_user(Role.RISK_OFFICER, username="first.officer")
    second_officer = make_user(Role.RISK_OFFICER, username="second.officer")
    results, errors = at_once(
        lambda: services.matrix_revise(by=first_officer, based_on=1, **parts(matrix)),
        lambda: services.matrix_revise(by=second_officer, based_on=1, **parts(matrix, appetite="high")),
    )
    assert results["first"].version == 2 and "second" not in results
    assert [type(error) for error in errors] == [Conflict]
    assert "first.officer saved matrix v2" in errors[0].detail
    assert list(RiskMatrix.objects.values_list("version", "created_by__username")) == [
        (2, "first.officer"),
        (1, None),
    ]
    assert not AuditEntry.objects.filter(object_type="risks.riskmatrix", actor=second_officer).exists()
