"""Pages give a session the CSRF token signed within the last minute, and it is as valid as a new one."""

import time

import pytest
from flask import g, render_template_string, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

from app.core import form_tokens


def _page_token(app, raw: str) -> str:
    with app.test_request_context():
        session["csrf_token"] = raw
        return render_template_string("{{ csrf_token() }}")


def _signing_clock(monkeypatch, seconds_from_now: int):
    """The time Flask-WTF's signer writes into a token (whole seconds), moved on."""
    moment = int(time.time()) + seconds_from_now
    monkeypatch.setattr("itsdangerous.timed.TimestampSigner.get_timestamp", lambda self: moment)


def test_pages_shown_to_one_session_within_a_minute_carry_the_same_valid_token(app, monkeypatch):
    first = _page_token(app, "raw-token-of-session-one")
    _signing_clock(monkeypatch, 30)  # signed now, this page's token would differ from the first
    assert _page_token(app, "raw-token-of-session-one") == first
    with app.test_request_context():
        session["csrf_token"] = "raw-token-of-session-one"
        validate_csrf(first)  # raises if it were not valid for this session


def test_another_session_never_gets_that_token(app):
    mine = _page_token(app, "raw-token-of-session-two")
    theirs = _page_token(app, "raw-token-of-session-three")
    assert mine != theirs
    with app.test_request_context():
        session["csrf_token"] = "raw-token-of-session-three"
        with pytest.raises(ValidationError, match="do not match"):
            validate_csrf(mine)


def test_after_a_minute_the_session_gets_a_newly_signed_token(app, monkeypatch):
    first = _page_token(app, "raw-token-of-session-four")
    clock = time.monotonic() + form_tokens.REUSE_SECONDS + 1
    monkeypatch.setattr(form_tokens.time, "monotonic", lambda: clock)
    _signing_clock(monkeypatch, form_tokens.REUSE_SECONDS + 1)
    second = _page_token(app, "raw-token-of-session-four")
    assert second != first
    with app.test_request_context():
        session["csrf_token"] = "raw-token-of-session-four"
        validate_csrf(second)


def test_forms_on_the_page_and_the_template_helper_agree_on_the_token(app):
    _page_token(app, "raw-token-of-session-five")
    with app.test_request_context():
        session["csrf_token"] = "raw-token-of-session-five"
        from_template = render_template_string("{{ csrf_token() }}")
        assert generate_csrf() == from_template == g.csrf_token


def test_a_session_without_a_token_gets_one_made_and_kept(app):
    with app.test_request_context():
        token = render_template_string("{{ csrf_token() }}")
        raw = session["csrf_token"]
        validate_csrf(token)
    assert _page_token(app, raw) == token
