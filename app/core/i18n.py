"""Locale choice and the template helpers for languages."""

from contextlib import contextmanager

import flask_babel
from flask import current_app, g, request
from flask_babel import get_locale, get_translations
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def select_locale():
    """The user's saved preference, then the switcher's cookie, then Accept-Language, then Spanish."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@contextmanager
def force_locale(locale: str):
    """Flask-Babel's force_locale, also for templates: use this one, so the request's cached catalogue
    (see _request_translations) is dropped on the way in and out."""
    g.pop("_academy_translations", None)
    try:
        with flask_babel.force_locale(locale):
            yield
    finally:
        g.pop("_academy_translations", None)


def _request_translations():
    """Flask-Babel resolves the locale and catalogue on every call and a page makes dozens: keep the
    catalogue for the request (force_locale above drops it)."""
    translations = g.get("_academy_translations")
    if translations is None:
        translations = g._academy_translations = get_translations()
    return translations


def register_template_helpers(app):
    app.jinja_env.install_gettext_callables(
        lambda string: _request_translations().ugettext(string),
        lambda singular, plural, n: _request_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: _request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _request_translations().unpgettext(context, singular, plural, n),
    )

    @app.context_processor
    def language_helpers():
        here = current_language()
        return {
            "current_language": here,
            "other_languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"] if code != here],
        }
