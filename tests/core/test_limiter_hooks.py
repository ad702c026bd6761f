"""Flask-Limiter's response hooks run on the requests that passed a limit, and only on those."""

from app.extensions import limiter


def test_a_limited_view_still_tells_the_client_its_limit_and_what_is_left(client):
    response = client.post("/login", data={"email": "nadie@example.pe", "password": "incorrecta"})
    # The tightest of the view's limits: the one per account.
    limit = int(response.headers["X-RateLimit-Limit"])
    assert 0 <= int(response.headers["X-RateLimit-Remaining"]) < limit


def test_a_page_that_passes_no_limit_carries_no_limit_headers(client):
    client.post("/login", data={"email": "nadie@example.pe", "password": "incorrecta"})
    response = client.get("/courses")
    assert response.status_code == 200
    assert not any(name.startswith("X-RateLimit") for name, _value in response.headers)


def test_the_limit_still_refuses_once_spent(app, client):
    app.config["RATELIMIT_LOGIN_PER_IP"] = "2 per minute"
    try:
        answers = [client.post("/login", data={"email": "nadie@example.pe", "password": "x"}) for _ in range(3)]
    finally:
        app.config["RATELIMIT_LOGIN_PER_IP"] = "30 per 10 minutes"
        limiter.reset()
    assert answers[-1].status_code == 429
    assert "Retry-After" in answers[-1].headers
