"""The register's columns in a file: each one's key, its heading in the reader's language, and what
a person writes in it (the import template's instructions).

A file may head its columns with the keys (a round trip for scripts) or with the headings in either
language (what people are given); the columns worked out from the others (scores, levels, the
appetite flag) are written for people to read and passed over when the file comes back.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The columns a file writes to the register, in the order of the export.
COLUMNS = [
    "ref",
    "title",
    "cause",
    "event",
    "consequence",
    "category",
    "source",
    "owner",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "target_likelihood",
    "target_impact",
    "treatment",
    "playbook",
    "review_interval_days",
    "next_review_at",
    "status",
]
REQUIRED_COLUMNS = {"title", "category", "owner", "likelihood", "impact"}
# Worked out from the others: written for people, passed over by the import.
DERIVED_COLUMNS = ["score", "level", "residual_score", "residual_level", "target_level", "above_appetite"]
# The export, for people and as keys: each derived column after the ratings it comes from.
EXPORTED = [
    *COLUMNS[:10],
    "score",
    "level",
    *COLUMNS[10:12],
    "residual_score",
    "residual_level",
    *COLUMNS[12:14],
    "target_level",
    "above_appetite",
    *COLUMNS[14:],
]

HEADINGS = {
    "ref": _("Ref"),
    "title": _("Title"),
    "cause": _("Cause"),
    "event": _("Event"),
    "consequence": _("Consequence"),
    "category": _("Category"),
    "source": _("Source"),
    "owner": _("Owner"),
    "likelihood": _("Inherent likelihood"),
    "impact": _("Inherent impact"),
    "score": _("Inherent score"),
    "level": _("Inherent level"),
    "residual_likelihood": _("Residual likelihood"),
    "residual_impact": _("Residual impact"),
    "residual_score": _("Residual score"),
    "residual_level": _("Residual level"),
    "target_likelihood": _("Target likelihood"),
    "target_impact": _("Target impact"),
    "target_level": _("Target level"),
    "above_appetite": _("Above appetite"),
    "treatment": _("Treatment"),
    "playbook": _("Playbook"),
    "review_interval_days": _("Review interval (days)"),
    "next_review_at": _("Next review"),
    "status": _("Status"),
}

# What to write in each column, for the template's instructions sheet.
GUIDANCE = {
    "ref": _("Empty for a new risk. A reference such as R-0042 updates that risk."),
    "title": _("A short name for the risk, at most 300 characters."),
    "cause": _("Why it could happen."),
    "event": _("What would happen."),
    "consequence": _("What it would do to the organisation."),
    "category": _("One of the register's categories, by its name in English or Chinese."),
    "source": _("Whether the risk comes from inside or outside the organisation. Empty: internal."),
    "owner": _("The person who owns the risk: a full name as the register shows it, or a username."),
    "likelihood": _("How likely the risk is before treatment, on the matrix's scale."),
    "impact": _("How much it would hurt before treatment, on the matrix's scale."),
    "residual_likelihood": _("Likelihood with the current treatment. Empty: as the inherent rating."),
    "residual_impact": _("Impact with the current treatment. Empty: as the inherent rating."),
    "target_likelihood": _("The likelihood the treatment aims for. May stay empty."),
    "target_impact": _("The impact the treatment aims for. May stay empty."),
    "treatment": _("How the risk is treated. Empty: mitigate."),
    "playbook": _("The response plan an incident of this risk runs, by its name. May stay empty."),
    "review_interval_days": _("Days between reviews. Empty: the interval of the risk's level."),
    "next_review_at": _(
        "A date to come, e.g. 2027-03-31 or 2027/03/31 09:30, in your time zone. "
        "Empty: worked out from the level."
    ),
    "status": _("Empty: open."),
}


def heading(column: str) -> str:
    return str(HEADINGS[column])


def heading_of_field(field: str) -> str:
    """What an import's report names a field by: a column's heading, or the file itself."""
    if field in HEADINGS:
        return heading(field)
    return _("File") if field == "file" else field


def column_of_heading() -> dict[str, str]:
    """Each column under its key and its heading in either language, case-folded."""
    names = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.update({heading(column).casefold(): column for column in HEADINGS})
    return names | {column: column for column in HEADINGS}
