"""The learner's side: enrol, my learning, lessons, activities and the final assessment."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.catalog import queries as catalog_queries
from app.catalog.content.rules import ACTION_PLAN_ANSWER_MAX_CHARS
from app.catalog.models import localised
from app.core.database import writes
from app.core.forms import ConfirmForm
from app.core.guard import guard
from app.core.i18n import current_language
from app.extensions import db
from app.learning import action_plan_pdf, bp, outline, permissions, queries, review, scoring, services, shuffles
from app.learning.models import Enrolment


@bp.post("/courses/<slug>/enrol")
@login_required
@writes
def enrol_in_course(slug):
    course = catalog_queries.get_published_course(slug) or abort(404)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("public.show_course", slug=slug))
    try:
        enrolment = services.enrol(current_user.record, course)
    except services.EnrolmentRefused as exc:
        flash(str(exc), "warning")
        return redirect(url_for("public.show_course", slug=slug))
    db.session.commit()
    flash(_("You are enrolled. Your progress is saved as you go."), "success")
    return redirect(url_for("learning.course_home", enrolment_id=enrolment.id))


@bp.get("/learning")
@login_required
def my_learning():
    enrolments = queries.list_enrolments(current_user)
    rows = [(enrolment, queries.progress(enrolment)) for enrolment in enrolments]
    return render_template("learning/my_learning.html", rows=rows)


@bp.get("/learning/<id:enrolment_id>")
@login_required
def course_home(enrolment_id):
    enrolment = _own_enrolment(enrolment_id)
    return render_template(
        "learning/course_home.html",
        enrolment=enrolment,
        version=queries.version_of(enrolment),
        progress=queries.progress(enrolment),
        attempts=queries.list_attempts(enrolment),
    )


@bp.get("/learning/<id:enrolment_id>/continue")
@login_required
def continue_course(enrolment_id):
    enrolment = _own_enrolment(enrolment_id, read=queries.get_enrolment_facts)
    return redirect(outline.item_url(enrolment, queries.progress(enrolment).next_item))


@bp.get("/learning/<id:enrolment_id>/lessons/<module>/<lesson>")
@login_required
def show_lesson(enrolment_id, module, lesson):
    enrolment = _own_enrolment(enrolment_id, read=queries.get_enrolment_facts)
    key = f"{module}/{lesson}"
    record = catalog_queries.get_lesson(enrolment.version_id, enrolment.version_hash, key) or abort(404)
    progress = queries.progress(enrolment)
    previous_item, next_item = _neighbours(progress, "lesson", record.key)
    language = current_language()
    return render_template(
        "learning/lesson.html",
        enrolment=enrolment,
        version=queries.version_of(enrolment),
        lesson=record,
        progress=progress,
        language=language,
        html=record.html(language),
        complete_url=url_for("learning.complete_lesson", enrolment_id=enrolment.id, module=module, lesson=lesson),
        translation_missing=(language == "en" and not record.html_en),
        previous_url=outline.item_url(enrolment, previous_item) if previous_item else None,
        next_url=outline.item_url(enrolment, next_item) if next_item else None,
        is_done=any(i.ref == record.key and i.is_done for m in progress.modules for i in m.items),
    )


@bp.post("/learning/<id:enrolment_id>/lessons/<module>/<lesson>/complete")
@login_required
@writes
def complete_lesson(enrolment_id, module, lesson):
    enrolment = _own_enrolment(enrolment_id)
    key = f"{module}/{lesson}"
    record = catalog_queries.get_lesson(enrolment.version_id, enrolment.version_hash, key) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    completed_course = services.complete_lesson(enrolment, record.key)
    db.session.commit()
    if completed_course:
        flash(_("Course complete. Well done!"), "success")
        return redirect(url_for("learning.course_home", enrolment_id=enrolment.id))
    _previous, next_item = _neighbours(queries.progress(enrolment), "lesson", record.key)
    return redirect(outline.item_url(enrolment, next_item))


@bp.route("/learning/<id:enrolment_id>/activities/<activity_id>", methods=["GET", "POST"])
@login_required
@writes
def show_activity(enrolment_id, activity_id):
    enrolment = _own_enrolment(enrolment_id)
    activity = catalog_queries.get_activity(enrolment.version_id, activity_id) or abort(404)
    language = current_language()
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            services.record_activity(enrolment, activity, request.form, language=language)
        except services.ActivityRefused as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            return redirect(url_for("learning.show_activity", enrolment_id=enrolment.id, activity_id=activity_id))
    completion = queries.get_activity_completion(enrolment, activity_id)
    progress = queries.progress(enrolment)
    shuffle = shuffles.for_knowledge_check(enrolment, activity.activity_id)
    _previous, next_item = _neighbours(progress, "activity", activity_id)
    return render_template(
        "learning/activity.html",
        enrolment=enrolment,
        version=queries.version_of(enrolment),
        activity=activity,
        completion=completion,
        error=error,
        language=language,
        progress=progress,
        form=ConfirmForm(),
        scoring=scoring,
        shuffle=shuffle,
        plan_max_chars=ACTION_PLAN_ANSWER_MAX_CHARS,
        localised=localised,
        questions=[scoring.public_view(q, language, shuffle=shuffle) for q in activity.data.get("questions", [])],
        next_url=outline.item_url(enrolment, next_item) if next_item else None,
        submitted=request.form if request.method == "POST" else MultiDict(),
    ), (400 if error else 200)


@bp.get("/learning/<id:enrolment_id>/activities/<activity_id>/plan.pdf")
@login_required
def download_action_plan(enrolment_id, activity_id):
    enrolment = _own_enrolment(enrolment_id)
    activity = catalog_queries.get_activity(enrolment.version_id, activity_id)
    completion = queries.get_activity_completion(enrolment, activity_id)
    if activity is None or activity.kind != "action_plan" or completion is None:
        abort(404)
    pdf = action_plan_pdf.render(action_plan_pdf.sheet_for(enrolment, activity, completion, current_language()))
    response = Response(pdf, mimetype="application/pdf")
    filename = _("integrity-action-plan")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    # The plan is private: no shared cache or browser history keeps a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/learning/<id:enrolment_id>/assessment")
@login_required
def assessment_overview(enrolment_id):
    enrolment = _own_enrolment(enrolment_id)
    version = queries.version_of(enrolment)
    if not version.has_final_assessment:
        abort(404)
    return render_template(
        "learning/assessment_overview.html",
        enrolment=enrolment,
        version=version,
        attempts=queries.list_attempts(enrolment),
        form=ConfirmForm(),
        passed=queries.has_passed(enrolment),
        review_rule=review.review_rule(enrolment),
    )


@bp.post("/learning/<id:enrolment_id>/assessment/start")
@login_required
@writes
def start_attempt(enrolment_id):
    enrolment = _own_enrolment(enrolment_id)
    if not queries.version_of(enrolment).has_final_assessment:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(enrolment)
    except services.AssessmentRefused as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("learning.assessment_overview", enrolment_id=enrolment.id))
    db.session.commit()
    return redirect(url_for("learning.take_attempt", enrolment_id=enrolment.id, number=attempt.number))


@bp.route("/learning/<id:enrolment_id>/assessment/<id:number>", methods=["GET", "POST"])
@login_required
@writes
def take_attempt(enrolment_id, number):
    # Read outside the session's transaction (core.database.read_connection), so on SQLite the write
    # lock is taken only by the submission's UPDATE, after marking.
    enrolment = _own_enrolment(enrolment_id, read=queries.get_enrolment_facts)
    attempt = queries.get_attempt_facts(enrolment, number) or abort(404)
    result_url = url_for("learning.attempt_result", enrolment_id=enrolment.id, number=number)
    if attempt.status == "submitted":
        return redirect(result_url)
    if request.method == "POST":
        # CSRFProtect checked the form's token before any view ran, and the form has no other field:
        # building a ConfirmForm here would only sign a new token nobody reads.
        marking = services.mark_attempt(attempt, request.form)
        try:
            services.submit_attempt(attempt, marking)
        except services.AttemptAlreadySubmitted:
            db.session.rollback()
            flash(_("This attempt had already been submitted; it was counted once."), "warning")
            return redirect(result_url)
        db.session.commit()
        return redirect(result_url)
    language = current_language()
    bank = catalog_queries.get_structure(attempt.version_id, attempt.version_hash).bank
    shuffle = shuffles.for_attempt(attempt)
    questions = [scoring.public_view(bank[qid].data, language, shuffle=shuffle) for qid in attempt.question_ids]
    return render_template(
        "learning/attempt.html",
        enrolment=enrolment,
        attempt=attempt,
        questions=questions,
        form=ConfirmForm(),
        submitted=MultiDict(),
    )


@bp.get("/learning/<id:enrolment_id>/assessment/<id:number>/result")
@login_required
def attempt_result(enrolment_id, number):
    enrolment = _own_enrolment(enrolment_id)
    attempt = queries.get_attempt(enrolment, number) or abort(404)
    if attempt.status != "submitted":
        return redirect(url_for("learning.take_attempt", enrolment_id=enrolment.id, number=number))
    language = current_language()
    # Each module to revisit links to where it starts.
    modules = {
        module.slug: (localised(module.title, language), outline.item_url(enrolment, module.items[0]))
        for module in queries.progress(enrolment).modules
        if module.items
    }
    return render_template(
        "learning/attempt_result.html",
        enrolment=enrolment,
        version=queries.version_of(enrolment),
        attempt=attempt,
        review=review.review_attempt(enrolment, attempt, language),
        modules=modules,
        completed=enrolment.is_completed,
    )


@bp.get("/courses/<slug>/v<id:number>/media/<path:path>")
def course_media(slug, number, path):
    found = catalog_queries.get_media(slug, number, path) or abort(404)
    course, media = found
    version = course.current_version
    if version is not None and not version.meta["audience"].get("public"):
        guard(current_user.is_authenticated and queries.find_enrolment(current_user, course) is not None)
    return _media_response(media)


def _media_response(media):
    response = Response(media.data, mimetype=media.content_type.split(";")[0])
    response.headers["Content-Type"] = media.content_type
    response.headers["Cache-Control"] = "public, max-age=86400, immutable"
    # A package's SVG or PDF must never run script on our origin.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    if not media.content_type.startswith(("image/", "video/", "audio/")):
        filename = media.path.rsplit("/", 1)[-1]
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _own_enrolment(enrolment_id, read=queries.get_enrolment) -> Enrolment | queries.EnrolmentFacts:
    """Another learner's enrolment answers 404, so its existence is not confirmed. Pages that only read
    it pass read=queries.get_enrolment_facts."""
    enrolment = read(enrolment_id)
    if enrolment is None or not permissions.can_view_enrolment(current_user, enrolment):
        abort(404)
    return enrolment


def _neighbours(progress, kind, ref):
    items = [item for module in progress.modules for item in module.items]
    if progress.final:
        items.append(progress.final)
    for index, item in enumerate(items):
        if item.kind == kind and item.ref == ref:
            return (items[index - 1] if index else None), (items[index + 1] if index + 1 < len(items) else None)
    return None, None
