"""Certificates: issue on completion, PDF, signatures, public verification, Open Badges 3.0."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")

from app.certificates import subscribers, types, views  # noqa: E402,F401

bp.add_app_template_global(types.course_adds_to_heading)
