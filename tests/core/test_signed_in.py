from flask import session

from app.core.signed_in import may_be_signed_in


def test_a_request_with_neither_a_signed_in_session_nor_a_remember_me_cookie_is_anonymous(app):
    with app.test_request_context():
        assert not may_be_signed_in()
    with app.test_request_context(headers={"Cookie": "lang=en; other=1"}):
        session["csrf_token"] = "x"  # a session of an anonymous visitor
        assert not may_be_signed_in()


def test_a_session_naming_a_user_or_a_remember_me_cookie_may_carry_one(app):
    with app.test_request_context():
        session["_user_id"] = "token"
        assert may_be_signed_in()
    with app.test_request_context(headers={"Cookie": "remember_token=anything"}):
        assert may_be_signed_in()


def test_a_renamed_remember_me_cookie_is_the_one_looked_for(app, monkeypatch):
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_NAME", "recordar")
    with app.test_request_context(headers={"Cookie": "recordar=anything"}):
        assert may_be_signed_in()
    with app.test_request_context(headers={"Cookie": "remember_token=anything"}):
        assert not may_be_signed_in()


def test_is_signed_in_is_false_for_nobody_and_true_for_a_signed_in_user(app, world, login_as):
    from app.core.signed_in import is_signed_in

    client = app.test_client()
    with client:
        client.get("/")
        assert not is_signed_in()
    login_as(client, world.users["citizen"])
    with client:
        client.get("/")
        assert is_signed_in()
