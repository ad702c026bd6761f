"""Learning: enrolments, progress through lessons and activities, and the final assessment."""

from flask import Blueprint

bp = Blueprint("learning", __name__, template_folder="templates")

from app.learning import outline, subscribers, views  # noqa: E402,F401

# The outline's macro (learning/_outline.html) links each item where the pager and "continue" do.
bp.add_app_template_global(outline.item_url)
