"""Certificates: issue on completion, PDF, signatures, public verification, Open Badges 3.0."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")

from app.certificates import subscribers, views  # noqa: E402,F401
