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
