"""Accounts: registration, sign-in, second factor, password reset and the profile."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from app.accounts import views  # noqa: E402,F401
