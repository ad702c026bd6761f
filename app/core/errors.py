"""Friendly, translated error pages; never a stack trace."""

import logging

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import Forbidden, HTTPException, SecurityError

from app.core import audit
from app.core.database import write_transaction
from app.core.ratelimit import RateLimitExceeded
from app.core.text import email_identity
from app.extensions import db

log = logging.getLogger("academy.errors")
security_log = logging.getLogger("academy.security")

ERROR_TEXTS = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent is not valid. Go back, check the form and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l(
            "Your account does not allow this action. If you think it should, ask your organisation's integrity officer."
        ),
    ),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page no longer exists.")),
    405: (
        _l("This action is not allowed here"),
        _l("The page does not accept this kind of request. Go back and use the buttons on the page."),
    ),
    413: (_l("The file or form is too large"), _l("What you sent is larger than the limit. Send a smaller file.")),
    429: (_l("Too many attempts"), _l("For your security we paused this action. Wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"), _l("The error has been recorded. Try again in a moment.")),
    503: (
        _l("The service is busy"),
        _l("We could not complete this right now. Nothing was saved. Try again in a moment."),
    ),
}
CSRF_TEXT = (_l("The form has expired"), _l("For your security, forms expire. Reload the page and send it again."))


def refuse_null_characters():
    """No address, field or parameter here holds a NUL character, and PostgreSQL refuses text with one:
    such a request is malformed (400, or 404 for an address), never a 500 from the database."""
    if "\x00" in request.path:
        abort(404)
    fields = request.args.values() if request.method in ("GET", "HEAD") else [*request.args.values(), *request.form.values()]
    if any("\x00" in value for value in fields):
        abort(400)


def register_error_handlers(app):
    app.register_error_handler(SecurityError, _handle_untrusted_host)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(Forbidden, _handle_forbidden)
    app.register_error_handler(RateLimitExceeded, _handle_rate_limit)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(OperationalError, _handle_database_unavailable)
    app.register_error_handler(Exception, _handle_unexpected)


def render_error(code, texts=None):
    title, message = texts or ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.accept_mimetypes.best == "application/json":
        return {"error": str(title), "status": code}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _handle_untrusted_host(error: SecurityError):
    """A request addressed to a host the site does not serve (TRUSTED_HOSTS): Flask could not build any
    URL for it, so the answer is a page without links, and nothing else of the request runs."""
    security_log.warning("request for an untrusted host refused: %s", error.description)
    title, message = ERROR_TEXTS[400]
    return f"{title}\n\n{message}\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _handle_csrf(error):
    return render_error(400, CSRF_TEXT)


def _handle_forbidden(error: Forbidden):
    """Every refusal (core.guard) is audited, after whatever the request had begun is rolled back."""
    actor = current_user.record if current_user.is_authenticated else None
    _record_refusal(
        "authorisation.denied",
        actor=actor,
        target=getattr(error, "target", None),
        details={"endpoint": request.endpoint, "method": request.method, "path": request.path},
    )
    security_log.warning("authorisation denied: user=%s endpoint=%s", getattr(actor, "id", None), request.endpoint)
    return render_error(403)


def _handle_rate_limit(error: RateLimitExceeded):
    email = email_identity(request.form.get("email") or "") or None
    if error.audit_action:
        _record_refusal(error.audit_action, actor_label=email, details={"endpoint": request.endpoint, "limit": error.scope})
    security_log.warning("rate limit reached on %s for %s", request.endpoint, email or request.remote_addr)
    body, status = render_error(429)
    return body, status, {"Retry-After": str(error.retry_after)}


def _record_refusal(action: str, **facts):
    db.session.rollback()
    with write_transaction():
        audit.record(action, outcome="denied", **facts)
        db.session.commit()


def _handle_http(error: HTTPException):
    code = error.code or 500
    response = render_error(code if code in ERROR_TEXTS else (400 if code < 500 else 500))
    if code == 405 and error.valid_methods:
        body, status = response
        return body, status, {"Allow": ", ".join(error.valid_methods)}
    return response


def _handle_database_unavailable(error):
    db.session.rollback()
    log.error("database unavailable: %s", error.orig if hasattr(error, "orig") else error)
    return render_error(503)


def _handle_unexpected(error):
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(500)
