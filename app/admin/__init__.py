"""Staff screens: organisations, accounts, the audit log and the outbox, built on the other domains' services."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from app.admin import certificate_views, item_statistics_views, member_views, outbox_views, views  # noqa: E402,F401
