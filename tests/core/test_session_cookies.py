"""Signed-cookie sessions remember a verified cookie, and never trust anything else because of it."""

import time

from flask import request

from app.core import session_cookies


def _cookie(app, data: dict) -> str:
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _open(app, cookie: str):
    name = app.config["SESSION_COOKIE_NAME"]
    with app.test_request_context(headers={"Cookie": f"{name}={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_a_cookie_opened_again_gives_the_same_values_and_not_what_the_last_request_changed(app):
    cookie = _cookie(app, {"_user_id": "token-a", "_fresh": True})
    first = _open(app, cookie)
    first["_user_id"] = "changed by the first request"
    first["extra"] = 1
    second = _open(app, cookie)
    assert dict(second) == {"_user_id": "token-a", "_fresh": True}
    assert not second.modified


def test_a_tampered_cookie_opens_empty_even_after_the_genuine_one_was_remembered(app):
    cookie = _cookie(app, {"_user_id": "token-b"})
    assert _open(app, cookie)["_user_id"] == "token-b"
    payload, signature = cookie.rsplit(".", 1)
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert dict(_open(app, forged)) == {}


def test_a_remembered_cookie_older_than_the_session_lifetime_opens_empty(app, monkeypatch):
    cookie = _cookie(app, {"_user_id": "token-c"})
    assert _open(app, cookie)["_user_id"] == "token-c"
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 5
    monkeypatch.setattr(session_cookies.time, "time", lambda: later)
    assert dict(_open(app, cookie)) == {}


def test_a_cookie_signed_with_another_key_is_refused_although_remembered_under_the_first(app, monkeypatch):
    cookie = _cookie(app, {"_user_id": "token-d"})
    assert _open(app, cookie)["_user_id"] == "token-d"
    monkeypatch.setattr(app, "secret_key", "another key entirely, after a rotation gone wrong")
    assert dict(_open(app, cookie)) == {}


def test_a_session_holding_a_list_is_verified_each_time_so_no_request_changes_it_for_the_next(app):
    cookie = _cookie(app, {"_flashes": [("success", "Guardado")]})
    first = _open(app, cookie)
    first["_flashes"].pop()
    assert _open(app, cookie)["_flashes"] == [("success", "Guardado")]


def test_a_signed_in_learner_stays_signed_in_from_page_to_page(client, world, login_as):
    login_as(client, world.users["learner"])
    for _ in range(3):
        assert client.get("/learning").status_code == 200


def test_a_cookie_seen_before_is_not_verified_again(app, monkeypatch):
    cookie = _cookie(app, {"_user_id": "token-e"})
    serializer = app.session_interface.get_signing_serializer(app)
    verified = []
    loads = serializer.loads
    monkeypatch.setattr(serializer, "loads", lambda *args, **kwargs: verified.append(1) or loads(*args, **kwargs))
    for _ in range(3):
        assert _open(app, cookie)["_user_id"] == "token-e"
    assert len(verified) == 1
