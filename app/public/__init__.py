"""Public pages: home, programmes, privacy notice and the language switcher."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from app.public import views  # noqa: E402,F401
