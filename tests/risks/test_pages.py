"""The register's pages: list and filters, a risk's page, forms (errors, stale edit), heat map, import."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from risks.models import Risk, RiskReview, TreatmentAction
from tests.factories import NOW

pytestmark = pytest.mark.django_db


def form_data(risk, **changes):
    data = {
        "title": risk.title,
        "cause": risk.cause,
        "event": risk.event,
        "consequence": risk.consequence,
        "category": risk.category_id,
        "source": risk.source,
        "owner": risk.owner_id,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "treatment": risk.treatment,
        "version": risk.version,
        "reason": "",
    }
    data.update(changes)
    return data


def test_the_register_shows_levels_markers_and_filters(client, executive, make_risk):
    make_risk(title="Supplier break", likelihood=5, impact=5, next_review_at=NOW - dt.timedelta(days=2))
    make_risk(title="Cash flow", category_key="financial", likelihood=1, impact=2)
    client.force_login(executive)
    page = client.get("/risks/").content.decode()
    assert "Supplier break" in page and "Cash flow" in page
    assert "level-critical" in page and "Overdue" in page and "Above appetite" in page
    assert "New risk" not in page  # executives read
    filtered = client.get("/risks/?category=financial").content.decode()
    assert "Cash flow" in filtered and "Supplier break" not in filtered
    cell = client.get("/risks/?rating=inherent&likelihood=5&impact=5").content.decode()
    assert "Supplier break" in cell and "Cash flow" not in cell


def test_the_owner_filter_offers_every_active_person_with_the_chosen_one_selected(
    client, executive, make_user, make_risk
):
    from people.models import Role

    owner = make_user(Role.RESPONDER, username="chen.fang", first_name="Fang", last_name="Chen")
    gone = make_user(Role.RESPONDER, username="left.us")
    gone.is_active = False
    gone.save()
    make_risk(owner=owner)
    client.force_login(executive)
    page = client.get(f"/risks/?owner={owner.pk}").content.decode()
    owners = page[page.index('<select name="owner"') : page.index("</select>", page.index('name="owner"'))]
    assert f'<option value="{owner.pk}" selected>Fang Chen</option>' in owners
    assert f'<option value="{executive.pk}">' in owners and f'value="{gone.pk}"' not in owners
    assert '<option value="">—</option>' in owners


def test_the_register_in_chinese(client, make_user, make_risk):
    from people.models import Role

    make_risk()
    client.force_login(make_user(Role.RISK_OFFICER, language="zh-hans"))
    page = client.get("/risks/").content.decode()
    assert "风险登记册" in page and "新建风险" in page and "供应链" in page


def test_a_risk_officer_creates_a_risk_in_the_browser_form(client, risk_officer, matrix):
    client.force_login(risk_officer)
    assert client.get("/risks/new/").status_code == 200
    from risks.models import Category

    data = form_data(
        Risk(
            title="Inventory turnover above benchmark",
            category=Category.objects.get(key="operational"),
            owner=risk_officer,
            likelihood=3,
            impact=3,
            residual_likelihood=2,
            residual_impact=3,
            version=None,
        )
    )
    data["version"] = ""
    response = client.post("/risks/new/", data)
    risk = Risk.objects.get()
    assert response.status_code == 302 and response.url == f"/risks/{risk.pk}/"
    assert risk.level == "medium"


def test_form_errors_are_per_field_and_write_nothing(client, risk_officer, make_risk):
    risk = make_risk()
    client.force_login(risk_officer)
    response = client.post(f"/risks/{risk.pk}/edit/", form_data(risk, likelihood=9, title=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="errorlist"') >= 2
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version) == (3, 1)


def test_a_stale_edit_is_refused_and_shows_the_current_values(client, risk_officer, make_risk):
    risk = make_risk()
    stale = form_data(risk, title="My title")
    client.force_login(risk_officer)
    client.post(f"/risks/{risk.pk}/edit/", form_data(risk, title="Their title"))
    response = client.post(f"/risks/{risk.pk}/edit/", stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this risk" in page and "Their title" in page and "My title" in page
    assert 'name="version" value="2"' in page
    risk.refresh_from_db()
    assert risk.title == "Their title"
    # Saving again, knowingly, overwrites.
    response = client.post(f"/risks/{risk.pk}/edit/", {**stale, "version": 2})
    risk.refresh_from_db()
    assert response.status_code == 302 and risk.title == "My title"


def test_a_full_review_cycle_in_the_pages(client, risk_officer, make_risk):
    risk = make_risk(next_review_at=NOW - dt.timedelta(days=1))
    client.force_login(risk_officer)
    assert "Review overdue" in client.get(f"/risks/{risk.pk}/").content.decode()
    client.post(
        f"/risks/{risk.pk}/actions/",
        {"title": "Second supplier", "owner": risk_officer.pk, "due_at": "2030-01-01T09:00"},
    )
    action = TreatmentAction.objects.get()
    client.post(f"/risks/actions/{action.pk}/status/", {"status": "done"})
    client.post(
        f"/risks/{risk.pk}/review/", {"outcome": "unchanged", "looked_at": ["actions"], "notes": "Better now"}
    )
    page = client.get(f"/risks/{risk.pk}/").content.decode()
    assert RiskReview.objects.get().notes == "Better now" and "Better now" in page
    assert "Review overdue" not in page and "Done" in page


@pytest.mark.parametrize("url", ["/risks/new/", "/risks/import/"])
def test_readers_cannot_open_the_writers_pages(client, responder, matrix, url):
    client.force_login(responder)
    assert client.get(url).status_code == 403


def test_the_heat_map_links_each_cell_to_the_register(client, executive, make_risk):
    make_risk(likelihood=4, impact=5)
    client.force_login(executive)
    page = client.get("/risks/heatmap/").content.decode()
    assert "/risks/?rating=inherent&amp;likelihood=4&amp;impact=5" in page
    assert client.get("/risks/heatmap/?rating=residual").status_code == 200


def test_import_preview_then_import_for_real(client, risk_officer, make_risk):
    risk = make_risk()
    client.force_login(risk_officer)
    content = client.get("/risks/export/csv/").content.replace(b"Key supplier", b"Main supplier")
    file = SimpleUploadedFile("register.csv", content)
    response = client.post("/risks/import/", {"file": file, "dry_run": "on"})
    page = client.get(response.url).content.decode()
    assert "0 to create, 1 to update" in page and "Import for real" in page
    risk.refresh_from_db()
    assert risk.title.startswith("Key")
    response = client.post(response.url)
    risk.refresh_from_db()
    assert risk.title.startswith("Main") and "Written." in client.get(response.url).content.decode()


def test_the_register_table_is_kept_for_every_reader_until_a_change(
    client, executive, risk_officer, make_risk
):
    """Rendered once per page of filters and kept (core/shared_parts.py) as of the last audit
    entry: the next reader gets it with their own buttons, and a change shows at once."""
    from risks.services import risk_rerate

    risk = make_risk(title="Supplier break", likelihood=1, impact=1)
    client.force_login(executive)
    assert "Supplier break" in client.get("/risks/").content.decode()
    client.force_login(risk_officer)
    page = client.get("/risks/").content.decode()
    assert "Supplier break" in page and "New risk" in page  # the officer's own buttons
    assert "level-critical" not in page
    risk_rerate(risk=risk, by=risk_officer, reason="The plant burned", likelihood=5, impact=5)
    assert "level-critical" in client.get("/risks/").content.decode()


def rendered(response, template: str) -> int:
    return [used.name for used in response.templates].count(template)


def test_a_change_to_one_risk_renders_its_row_alone(client, risk_officer, make_risk):
    """A register page rendered anew (another page, or the first after a change) is made of kept
    pieces (risks/register_page.py): the filter form and each row. A change renders its row alone."""
    from risks.services import risk_update

    risks = [make_risk(title=f"Supplier {n}") for n in range(3)]
    client.force_login(risk_officer)
    first = client.get("/risks/")
    assert rendered(first, "risks/register_row.html") == 3
    assert rendered(first, "risks/register_filters.html") == 1
    risk_update(risk=risks[1], by=risk_officer, changes={"title": "Supplier moved"})
    again = client.get("/risks/")
    assert rendered(again, "risks/register_table.html") == 1  # a change: the table anew
    assert rendered(again, "risks/register_row.html") == 1
    assert rendered(again, "risks/register_filters.html") == 1  # its owners as of the change
    page = again.content.decode()
    assert "Supplier moved" in page and "Supplier 0" in page and "Supplier 2" in page
    # Another page of the same filters: the same form; another filter, its own. The rows are the
    # same pieces either way.
    other = client.get("/risks/?page=1")
    assert rendered(other, "risks/register_filters.html") == rendered(other, "risks/register_row.html") == 0
    other = client.get("/risks/?status=open")
    assert rendered(other, "risks/register_filters.html") == 1
    assert rendered(other, "risks/register_row.html") == 0


def test_a_review_falling_due_shows_once_the_table_is_rendered_again(
    client, risk_officer, make_risk, monkeypatch
):
    """No risk changed, so no audit entry moved the table's stamp: it shows the row as it was
    until it is rendered again (at most a minute later), and then as overdue, not the kept row."""
    from django.utils import timezone

    from core import shared_parts

    make_risk(title="Supplier break", next_review_at=timezone.now() + dt.timedelta(hours=1))
    client.force_login(risk_officer)
    assert "marker overdue" not in client.get("/risks/").content.decode()
    later = timezone.now() + dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "marker overdue" not in client.get("/risks/").content.decode()  # the table kept
    shared_parts.forget_all()  # as its minute running out does
    assert "marker overdue" in client.get("/risks/").content.decode()


def test_each_column_heading_sorts_and_a_second_click_reverses(client, executive, make_risk):
    make_risk(title="Supplier break")
    client.force_login(executive)
    page = client.get("/risks/").content.decode()  # by ref, the register's order
    assert 'href="?ordering=-ref"' in page and 'href="?ordering=title"' in page
    page = client.get("/risks/?status=open&ordering=title&page=1").content.decode()
    assert 'href="?status=open&amp;ordering=-title"' in page  # the filters kept, back to page 1
    assert 'href="?status=open&amp;ordering=ref"' in page
