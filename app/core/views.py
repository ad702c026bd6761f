"""Plumbing routes: a health check for load balancers and the benchmark harness."""

from sqlalchemy import text

from app.core import bp
from app.extensions import db


@bp.get("/healthz")
def health_check():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
