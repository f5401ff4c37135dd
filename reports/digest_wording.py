"""The digest in words, plain text for e-mail and the inbox, in the reader's language and time zone
(the active ones). Empty sections are left out; a quiet day is said in one line."""

from django.utils.translation import gettext as _

from incidents.telling import plan_time
from indicators.models import Band
from live.cockpit import CockpitIncident, LateTask
from playbooks.templatetags.playbooks import span
from playbooks.timeline_chart import moment_text, tier_label
from reports.digest import BandChange, Digest
from reports.wording import lateness, now_text
from risks.models import Risk


def digest_subject(digest: Digest) -> str:
    return _("Executive digest · %(day)s") % {"day": moment_text(digest.now)[:10]}


def _incident(row: CockpitIncident, digest: Digest) -> str:
    incident = row.incident
    elapsed = span(plan_time(incident, digest.now - incident.declared_at))
    tier = incident.current_tier
    lines = [
        f"• SEV{incident.severity} · {incident.shown_title} · {tier_label(tier.key, tier.name)} · "
        + _("%(elapsed)s since declared") % {"elapsed": elapsed}
    ]
    update = row.latest_update
    if update is None:
        lines.append("  " + _("No status update yet."))
    else:
        text = update.data.get("body") or update.data.get("what_happened") or ""
        who = str(update.actor) if update.actor else _("system")
        lines.append(
            "  " + _("Latest update, %(when)s, %(who)s:") % {"when": moment_text(update.at), "who": who}
        )
        lines += ["    " + line for line in text.splitlines() if line.strip()]
    return "\n".join(lines)


def _late(row: CockpitIncident, late: LateTask, digest: Digest) -> str:
    task = late.task
    who = ", ".join(late.responsible) or _("nobody named")
    how_late = lateness(task, incident=row.incident, now=digest.now)
    if task.escalation_level:
        escalated = _("escalated to level %(level)d") % {"level": task.escalation_level}
    else:
        escalated = _("not escalated yet")
    return _("• %(task)s — %(who)s — %(late)s, %(escalated)s (%(incident)s)") % {
        "task": task.title,
        "who": who,
        "late": how_late,
        "escalated": escalated,
        "incident": row.incident.shown_title,
    }


def _band_change(change: BandChange) -> str:
    kri = change.kri
    value = f"{kri.last_value:g} {kri.unit}".strip() if kri.last_value is not None else _("No data yet")
    return _("• %(kri)s: %(before)s → %(after)s, latest reading %(value)s") % {
        "kri": kri.shown_name,
        "before": Band(change.before).label,
        "after": Band(change.after).label,
        "value": value,
    }


def _risk(risk: Risk) -> str:
    return _("• %(ref)s %(title)s — residual level %(level)s, owner %(owner)s") % {
        "ref": risk.ref,
        "title": risk.title,
        "level": risk.get_residual_level_display(),
        "owner": risk.owner,
    }


def digest_text(digest: Digest) -> str:
    heading = _("As of %(now)s; changes since %(since)s.") % {
        "now": now_text(digest.now),
        "since": moment_text(digest.since),
    }
    if digest.quiet:
        return "\n\n".join(
            [
                heading,
                _(
                    "Nothing to report: no live incident, no key risk indicator changed band, "
                    "no risk moved above appetite."
                ),
            ]
        )
    sections = [heading]
    if digest.incidents:
        sections.append(
            "\n".join([_("Live incidents"), *(_incident(row, digest) for row in digest.incidents)])
        )
    else:
        sections.append(_("No live incident."))
    if digest.late:
        sections.append("\n".join([_("Late"), *(_late(row, late, digest) for row, late in digest.late)]))
    elif digest.incidents or digest.drills:
        sections.append(_("Nothing is late."))
    if digest.band_changes:
        sections.append(
            "\n".join(
                [_("Key risk indicators that changed band"), *(_band_change(c) for c in digest.band_changes)]
            )
        )
    if digest.above_appetite:
        sections.append(
            "\n".join(
                [_("Risks that moved above appetite"), *(_risk(risk) for risk in digest.above_appetite)]
            )
        )
    if digest.drills:
        sections.append(
            "\n".join(
                [
                    _("Drills (exercises, not real incidents)"),
                    *(_incident(row, digest) for row in digest.drills),
                ]
            )
        )
    return "\n\n".join(sections)
