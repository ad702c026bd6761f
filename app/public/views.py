"""Home, privacy notice and the language switcher."""

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.i18n import LANGUAGE_COOKIE
from app.core.urls import safe_next
from app.extensions import db
from app.public import bp
from app.public.programmes import PROGRAMMES


@bp.get("/")
def home():
    return render_template("public/home.html", programmes=PROGRAMMES)


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    back = safe_next(request.form.get("next"), url_for("public.home"))
    if language not in current_app.config["LANGUAGES"]:
        return redirect(back)
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    response = redirect(back)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
