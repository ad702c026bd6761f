"""Locale choice and the template helpers for languages."""

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from app.core.amounts import TEMPLATE_FILTERS

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def select_locale() -> str:
    """The user's saved preference, then the switcher's cookie, then Accept-Language, then Spanish."""
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """The request's language code ("es" or "en")."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def register_template_helpers(app):
    """The amount filters (hours, minutes, percent, moment…) and the language switcher's values."""
    app.jinja_env.filters.update(TEMPLATE_FILTERS)

    @app.context_processor
    def language_helpers():
        here = current_language()
        return {
            "current_language": here,
            "other_languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"] if code != here],
        }


def remember_language(response, language: str):
    """Keep the visitor's language for a year, under the same cookie rules as the session (Secure on https)."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
