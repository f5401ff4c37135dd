"""The executive reports as A4 PDFs (ReportLab), in the reader's language and time zone (the
active ones). Text is set in Adobe's STSong-Light, a CID font every PDF reader has: it needs no
font file, writes Chinese and Latin alike (a person's or a risk's name may be either, whatever the
reader's language), and its text extracts as written."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from playbooks.timeline_chart import moment_text
from reports import wording
from reports.incident_report import IncidentReport
from reports.register_report import RegisterReport

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, wordWrap="CJK")
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"))
TITLE = ParagraphStyle("title", parent=BODY, fontSize=18, leading=24, spaceAfter=4)
HEADING = ParagraphStyle("heading", parent=BODY, fontSize=13, leading=18, spaceBefore=10, spaceAfter=5)
SUBHEADING = ParagraphStyle("subheading", parent=BODY, fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=3)
CELL_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
)
WIDTH = A4[0] - 36 * mm


def _p(text, style=BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list], widths: list[float]) -> Table:
    body = [[_p(cell, SMALL) if not isinstance(cell, Paragraph) else cell for cell in row] for row in rows]
    table = Table(
        [[_p(h, SMALL) for h in header], *body], colWidths=[w * WIDTH for w in widths], repeatRows=1
    )
    table.setStyle(CELL_STYLE)
    return table


def _document(title: str, story: list) -> bytes:
    buffer = io.BytesIO()
    footer = f"{title} · {_('Generated')} {wording.now_text(timezone.now())}"

    def number_page(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue()


def incident_pdf(report: IncidentReport) -> bytes:
    incident = report.incident
    story = [_p(incident.shown_title, TITLE), _p(wording.incident_subtitle(report), SMALL), Spacer(0, 4 * mm)]
    story.append(_table([_("About"), ""], wording.incident_facts(report), [0.3, 0.7]))
    story.append(_p(_("Status updates"), HEADING))
    for moment in report.updates or []:
        lines = [f"{label}: {text}" if label else text for label, text in moment.parts]
        story.append(
            KeepTogether(
                [
                    _p(f"{moment_text(moment.at)} · {moment.actor or _('system')}", SUBHEADING),
                    _p("\n".join(lines)),
                ]
            )
        )
    if not report.updates:
        story.append(_p(_("No status update was posted."), SMALL))
    story.append(_p(_("Tiers: who did what, when"), HEADING))
    for section in report.tiers:
        story.append(_p(wording.tier_heading(section.tier), SUBHEADING))
        rows = [wording.task_row(task, incident=incident, now=report.now) for task in section.tasks]
        if rows:
            story.append(_table(wording.task_header(), rows, [0.3, 0.12, 0.14, 0.22, 0.22]))
        else:
            story.append(_p(_("No tasks in this tier."), SMALL))
    story += [PageBreak(), _p(_("Timeline"), HEADING)]
    if report.timeline_cut:
        story.append(_p(_("The latest entries; the war room has the whole timeline."), SMALL))
    rows = [
        [moment_text(m.at), m.actor or _("system"), m.what or "\n".join(t for _l, t in m.parts)]
        for m in report.timeline
    ]
    story.append(
        _table([pgettext("moment of a change", "When"), _("Who"), _("What")], rows, [0.18, 0.17, 0.65])
    )
    story += [_p(_("Post-incident review"), HEADING), *_review(report)]
    return _document(incident.shown_title, story)


def _review(report: IncidentReport) -> list:
    review = report.review
    if review is None:
        return [_p(_("The review opens when the incident is resolved."), SMALL)]
    story = [_p(f"{_('Status')}: {review.get_status_display()}")]
    for label, text in wording.review_parts(review):
        story += [_p(label, SUBHEADING), _p(text)]
    follow_ups = list(review.follow_ups.all())
    if follow_ups:
        story.append(_p(_("Follow-up actions"), SUBHEADING))
        rows = [[f.title, str(f.owner), moment_text(f.due_at), f.get_state_display()] for f in follow_ups]
        story.append(_table([_("Action"), _("Owner"), _("Due"), _("State")], rows, [0.45, 0.2, 0.2, 0.15]))
    return story


def register_pdf(report: RegisterReport) -> bytes:
    title = _("Risk register report")
    story = [_p(title, TITLE), _p(wording.register_subtitle(report), SMALL), Spacer(0, 4 * mm)]
    story += [_p(_("Heat map: residual ratings"), HEADING), _heat_map(report), Spacer(0, 2 * mm)]
    story.append(_p(wording.heat_map_note(report), SMALL))
    story.append(_p(_("Risks above appetite"), HEADING))
    risks = report.above_appetite
    if risks.items:
        rows = [wording.risk_row(risk) for risk in risks.items]
        story.append(_table(wording.risk_header(), rows, [0.1, 0.4, 0.17, 0.15, 0.18]))
        if risks.total > len(risks.items):
            story.append(
                _p(_("and %(count)d more in the register") % {"count": risks.total - len(risks.items)}, SMALL)
            )
    else:
        story.append(_p(_("Every open risk is within appetite."), SMALL))
    story.append(_p(_("Key risk indicators"), HEADING))
    if report.kris:
        rows = [wording.kri_row(kri) for kri, _readings in report.kris]
        story.append(_table(wording.kri_header(), rows, [0.42, 0.14, 0.2, 0.24]))
    else:
        story.append(_p(_("No key risk indicators are set up yet."), SMALL))
    return _document(title, story)


def _heat_map(report: RegisterReport) -> Table:
    """The matrix as a table: each cell its level's colour, its count, its level's name (so it
    reads in greyscale too) and the references of its first risks."""
    levels = {level["key"]: level for level in report.matrix.levels}
    rows, style = (
        [],
        [
            ("GRID", (0, 0), (-1, -1), 1.5, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )
    for y, row in enumerate(report.rows):
        line = [_p(wording.scale_label(row.likelihood), SMALL)]
        for x, cell in enumerate(row.cells, start=1):
            level = levels[cell.level]
            refs = " ".join(risk.ref for risk in cell.named) + (f" +{cell.more}" if cell.more else "")
            line.append(_p(f"{cell.count}\n{wording.level_label(level)}\n{refs}".rstrip(), SMALL))
            style.append(("BACKGROUND", (x, y), (x, y), colors.HexColor(wording.light(level["color"]))))
        rows.append(line)
    rows.append(["", *[_p(wording.scale_label(scale), SMALL) for scale in report.matrix.impact]])
    columns = len(report.matrix.impact)
    table = Table(rows, colWidths=[0.2 * WIDTH] + [0.8 * WIDTH / columns] * columns)
    table.setStyle(TableStyle(style))
    return table
