"""Turn a permission answer into a 403, and record the refusal."""

import logging

from flask import abort, request
from flask_login import current_user

log = logging.getLogger("academy.security")


def guard(allowed: bool, *, target=None):
    """Abort with 403 unless *allowed*; the refusal is written to the audit log as a failed authorisation."""
    if allowed:
        return
    from app.core import audit
    from app.extensions import db

    db.session.rollback()
    actor = current_user.record if current_user.is_authenticated else None
    audit.record(
        "authorisation.denied",
        actor=actor,
        target=target,
        outcome="denied",
        details={"endpoint": request.endpoint, "method": request.method, "path": request.path},
    )
    db.session.commit()
    log.warning("authorisation denied: user=%s endpoint=%s", getattr(actor, "id", None), request.endpoint)
    abort(403)
