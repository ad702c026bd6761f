"""Home, the course catalogue, privacy notice and the language switcher."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.catalog import queries as catalog_queries
from app.core.database import writes
from app.core.forms import ConfirmForm
from app.core.i18n import current_language, remember_language
from app.core.urls import safe_next
from app.extensions import db
from app.learning import permissions as learning_permissions
from app.learning import queries as learning_queries
from app.public import bp
from app.public.forms import CatalogueFilterForm
from app.public.programmes import PROGRAMMES


@bp.get("/")
def home():
    published = catalog_queries.list_published_slugs()
    return render_template("public/home.html", programmes=PROGRAMMES, published=published)


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.post("/language")
@writes
def set_language():
    language = request.form.get("language", "")
    back = safe_next(request.form.get("next"), url_for("public.home"))
    if language not in current_app.config["LANGUAGES"]:
        return redirect(back)
    if current_user.is_authenticated:
        current_user.record.locale = language
        db.session.commit()
    response = redirect(back)
    remember_language(response, language)
    return response


@bp.get("/courses")
def list_courses():
    form = CatalogueFilterForm(request.args)
    if not form.validate():
        abort(400)
    courses = catalog_queries.list_published_courses(language=current_language(), programme=form.programme.data or None)
    if form.language.data:
        courses = [c for c in courses if c.current_version.meta["title"].get(form.language.data)]
    if form.access.data:
        wanted_public = form.access.data == "open"
        courses = [c for c in courses if bool(c.current_version.meta["audience"].get("public")) == wanted_public]
    enrolled = {}
    if current_user.is_authenticated:
        enrolled = {e.course_id: e for e in learning_queries.list_enrolments(current_user)}
    return render_template("public/courses_list.html", form=form, courses=courses, enrolled=enrolled)


@bp.get("/courses/<slug>")
def show_course(slug):
    course = catalog_queries.get_published_course(slug) or abort(404)
    enrolment = refusal = None
    if current_user.is_authenticated:
        enrolment = learning_queries.find_enrolment(current_user, course)
        if enrolment is None:
            refusal = learning_permissions.enrolment_refusal(current_user, course)
    outline = catalog_queries.list_lesson_outline(course.current_version_id)
    prerequisites = catalog_queries.titles_by_slug(
        course.current_version.meta.get("prerequisites") or [], current_language()
    )
    return render_template(
        "public/course_detail.html",
        course=course,
        version=course.current_version,
        outline=outline,
        enrolment=enrolment,
        refusal=refusal,
        form=ConfirmForm(),
        prerequisites=prerequisites,
    )
