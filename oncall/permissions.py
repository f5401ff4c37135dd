"""Who may do what with on-call schedules: everyone signed in reads them; a team's schedules are
run by its escalation contact (the team's lead) and administrators; a swap is proposed by one of
its two people (or whoever runs the schedule) and accepted or declined by the other; the
organisation's calendar days are the administrators'."""

from core.permissions import may_administer


def may_manage_schedules(user, team) -> bool:
    return may_administer(user) or (
        team.escalation_contact_id is not None and team.escalation_contact_id == user.pk
    )


def teams_managed_by(user, teams):
    """Those of `teams` (a queryset) whose schedules the person runs."""
    return teams if may_administer(user) else teams.filter(escalation_contact=user)


def may_propose_swap(user, *, schedule, requester) -> bool:
    return requester.pk == user.pk or may_manage_schedules(user, schedule.team)


def may_answer_swap(user, swap) -> bool:
    return swap.partner_id == user.pk


def may_cancel_swap(user, swap) -> bool:
    return swap.requester_id == user.pk or may_manage_schedules(user, swap.layer.schedule.team)


def may_manage_calendar_days(user) -> bool:
    return may_administer(user)
