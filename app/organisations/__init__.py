"""Organisations (SIP, regional governments, entities, companies), memberships and roles."""

from flask import Blueprint

bp = Blueprint("organisations", __name__, template_folder="templates")

from app.organisations import views  # noqa: E402,F401
