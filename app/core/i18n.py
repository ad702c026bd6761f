"""Locale choice and the template helpers for languages."""

from contextlib import contextmanager
from functools import cache, lru_cache

import flask_babel
from babel import Locale
from flask import current_app, g, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from app.core.signed_in import is_signed_in

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def select_locale():
    """The user's saved preference, then the switcher's cookie, then Accept-Language, then Spanish."""
    return _locale(_chosen_language())


def current_language() -> str:
    """The request's language code, kept for the request like its catalogue (see _request_translations)."""
    language = g.get("_academy_language")
    if language is None:
        language = g._academy_language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    return language


@contextmanager
def force_locale(locale: str):
    """Flask-Babel's force_locale, also for templates: use this one, so the request's kept language and
    catalogue (see _request_translations) are dropped on the way in and out."""
    _forget_language()
    try:
        with flask_babel.force_locale(locale):
            yield
    finally:
        _forget_language()


def _forget_language():
    g.pop("_academy_language", None)
    g.pop("_academy_translations", None)


def _request_translations():
    """Flask-Babel resolves the locale and catalogue on every call and a page makes dozens: keep the
    catalogue for the request (force_locale above drops it)."""
    translations = g.get("_academy_translations")
    if translations is None:
        translations = g._academy_translations = get_translations()
    return translations


def register_template_helpers(app):
    # Jinja's newstyle gettext, written out: its own wrappers add a call layer and a formatting pass to
    # each of the dozens of strings on a page. The behaviour is the same: strings are %-formatted with
    # the block's variables (a literal percent sign is written %%), and escaped ones stay safe.
    app.jinja_env.newstyle_gettext = True
    # `_` too: Jinja's own alias calls gettext through a second context call.
    app.jinja_env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )

    @app.context_processor
    def language_helpers():
        here = current_language()
        return {
            "current_language": here,
            "other_languages": [(code, LANGUAGE_NAMES[code]) for code in app.config["LANGUAGES"] if code != here],
        }


@pass_context
def _gettext(context, string, **variables):
    return _formatted(context, _request_translations().ugettext(string), variables)


@pass_context
def _ngettext(context, singular, plural, n, **variables):
    variables.setdefault("num", n)
    return _formatted(context, _request_translations().ungettext(singular, plural, n), variables)


@pass_context
def _pgettext(context, string_context, string, **variables):
    variables.setdefault("context", string_context)
    return _formatted(context, _request_translations().upgettext(string_context, string), variables)


@pass_context
def _npgettext(context, string_context, singular, plural, n, **variables):
    variables.setdefault("context", string_context)
    variables.setdefault("num", n)
    return _formatted(context, _request_translations().unpgettext(string_context, singular, plural, n), variables)


def _formatted(context, text, variables):
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - catalogue text is trusted like the template it came from, as in Jinja
    # Formatting a string without % changes nothing, whatever the variables.
    return text % variables if "%" in text else text


def _chosen_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if is_signed_in() and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return (
        _best_language(request.headers.get("Accept-Language", ""), tuple(languages))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


@lru_cache(maxsize=512)
def _best_language(accept_language: str, languages: tuple[str, ...]) -> str | None:
    """Werkzeug's own matching, kept per header value: browsers send a handful of distinct headers,
    and parsing one costs more than the rest of choosing the language."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages)


@cache
def _locale(language: str) -> Locale:
    """Parsed once: Flask-Babel would parse the chosen code again on every request."""
    return Locale.parse(language)
