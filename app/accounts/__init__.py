"""Accounts: registration, sign-in, second factor, password reset, the profile and invitations to a role."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from app.accounts import invitation_views, views  # noqa: E402,F401
