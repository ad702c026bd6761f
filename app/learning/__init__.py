"""Learning: enrolments, progress through lessons and activities, and the final assessment."""

from flask import Blueprint

bp = Blueprint("learning", __name__, template_folder="templates")

from app.learning import subscribers, views  # noqa: E402,F401
