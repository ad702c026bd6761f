"""Learning: enrolments, progress through lessons and activities, and the final assessment."""

from flask import Blueprint

bp = Blueprint("learning", __name__, template_folder="templates")

from app.learning import outline, subscribers, views  # noqa: E402,F401

bp.add_app_template_global(outline.render, "course_outline")
bp.add_app_template_global(outline.home_url, "enrolment_home")
