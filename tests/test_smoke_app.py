"""The app starts on each database and answers JSON everywhere."""


def test_unknown_api_url_answers_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404


def test_login_and_me(login):
    me = login("pustu_a").get("/api/v1/auth/me").json
    assert me["role"] == "pustu" and me["scopes"] == ["3204190001"]
