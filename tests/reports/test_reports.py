"""The executive reports of an incident and of the register: pages and PDFs in the reader's language
and time zone, with Chinese that renders and extracts; who may see them."""

import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.reports.conftest import TITLE_ZH, speaking


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, title, words",
    [
        ("zh-hans", TITLE_ZH, ["状态通报", "各层级：谁在何时做了什么", "时间线", "事后复盘", "发生了什么"]),
        ("en", "Main supplier plant fire", ["Status updates", "Tiers: who did what, when", "Timeline"]),
    ],
)
def test_the_incident_report_downloads_as_a_pdf_in_the_readers_language(
    client, cast, reported, language, title, words
):
    reader = speaking(cast["ceo"], language)
    client.force_login(reader)
    text = pdf_text(client.get(f"/incidents/{reported.pk}/report.pdf"))
    assert title in text
    for word in words:
        assert word in text
    # Chinese written by a person renders in an English reader's PDF too; times in their time zone.
    assert "工厂停产" in text
    assert reported.declared_at.astimezone(ZoneInfo(reader.timezone)).strftime("%Y-%m-%d %H:%M") in text
    assert "buyer" in text  # who completed the first step


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, words",
    [
        (
            "zh-hans",
            ["风险登记册报告", "热力图：剩余评级", "超出风险偏好的风险", "供应链", "极高", "关键风险指标"],
        ),
        ("en", ["Risk register report", "Heat map: residual ratings", "Supply chain", "Critical"]),
    ],
)
def test_the_register_report_downloads_as_a_pdf_with_its_labels_in_the_readers_language(
    client, cast, reported, language, words
):
    client.force_login(speaking(cast["officer"], language))
    text = pdf_text(client.get("/risks/report.pdf"))
    for word in words:
        assert word in text
    assert "RSK-" in text or reported.risks.get().ref in text


@pytest.mark.django_db
def test_the_report_page_names_the_incident_its_update_and_links_the_pdf(client, cast, reported):
    client.force_login(speaking(cast["buyer"], "zh-hans"))
    response = client.get(f"/incidents/{reported.pk}/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE_ZH in page
    assert f'href="/incidents/{reported.pk}/report.pdf"' in page
    assert "Two product lines stop" in page
    assert "下载 PDF" in page


@pytest.mark.django_db
def test_a_person_with_no_part_in_the_incident_gets_404_and_nobody_signed_out_gets_a_report(
    client, cast, reported
):
    client.force_login(cast["outsider"])
    assert client.get(f"/incidents/{reported.pk}/report/").status_code == 404
    assert client.get(f"/incidents/{reported.pk}/report.pdf").status_code == 404
    client.logout()
    for path in (f"/incidents/{reported.pk}/report.pdf", "/risks/report/", "/risks/report.pdf"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
