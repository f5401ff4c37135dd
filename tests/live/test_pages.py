import pytest

from tests.factories import H, fire_due


def test_the_teams_page_leads_each_person_to_their_teams_now(client, cast):
    client.force_login(cast["buyer"])  # one team: straight to it
    response = client.get("/teams/")
    assert response.status_code == 302 and response["Location"] == f"/teams/{cast['supply'].pk}/now/"

    client.force_login(cast["ceo"])  # sees every team
    page = client.get("/teams/").content.decode()
    assert f"/teams/{cast['supply'].pk}/now/" in page and f"/teams/{cast['pr'].pk}/now/" in page

    client.force_login(cast["outsider"])
    assert "You are in no team yet" in client.get("/teams/").content.decode()
    assert "/teams/" in [item["url"] for item in client.get("/incidents/").context["nav_items"]]


@pytest.mark.parametrize("language, words", [("en", "no further escalation"), ("zh-hans", "无后续升级")])
def test_a_task_past_its_last_escalation_says_so_never_a_dash(
    client, cast, incident, declared_at, language, words
):
    """A bare dash reads as 二 to a Chinese reader."""
    fire_due(declared_at + 4 * H)  # T1's step: due at 2 h, escalated at 2, 3 and 4 h; nothing after
    buyer = cast["buyer"]
    buyer.language = language
    buyer.save(update_fields=["language"])
    client.force_login(buyer)
    page = client.get(f"/teams/{cast['supply'].pk}/now/").content.decode()
    tasks = page[page.index('<table class="data live-tasks">') : page.index("</table>")]
    assert words in tasks and "—" not in tasks
