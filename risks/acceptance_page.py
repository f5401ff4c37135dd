"""What the risk's page shows of its acceptance: the one awaiting approval or in force, the last lapse
while the treatment is still to be decided, every acceptance on record, and the forms the reader may use."""

from risks.forms import AcceptanceDecisionForm, AcceptanceForm
from risks.models import LIVE_ACCEPTANCE, AcceptanceState, Risk, RiskStatus
from risks.permissions import may_decide_acceptance, may_request_acceptance


def acceptance_context(user, risk: Risk, *, acceptance_form=None, decision_form=None) -> dict:
    record = list(risk.acceptances.select_related("requested_by", "decided_by"))
    live = next((acceptance for acceptance in record if acceptance.state in LIVE_ACCEPTANCE), None)
    lapsed = next((acceptance for acceptance in record if acceptance.state == AcceptanceState.LAPSED), None)
    return {
        "acceptances": record,
        "live_acceptance": live,
        "lapsed_acceptance": lapsed if risk.treatment_reopened_at else None,
        "may_request_acceptance": live is None
        and risk.status == RiskStatus.OPEN
        and may_request_acceptance(user, risk),
        "may_decide_acceptance": live is not None
        and live.state == AcceptanceState.REQUESTED
        and may_decide_acceptance(user, live),
        "acceptance_form": acceptance_form or AcceptanceForm(),
        "decision_form": decision_form or AcceptanceDecisionForm(),
    }
