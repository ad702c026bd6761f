"""Staff screens for certificates: find, revoke, correct a name, issue by hand, regenerate PDFs."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts import services as account_services
from app.admin import bp
from app.catalog.models import Course
from app.certificates import jobs, queries, serials, services, types
from app.certificates.forms import CorrectNameForm, IssueForm, RegenerateForm, RevokeForm
from app.certificates.permissions import can_manage_certificates
from app.certificates.verification import public_record
from app.core.database import writes
from app.core.forms import choices
from app.core.guard import guard
from app.core.i18n import current_language
from app.extensions import db
from app.organisations import roles
from app.organisations.models import Organisation


@bp.get("/certificates")
@login_required
def list_certificates():
    guard(can_manage_certificates(current_user))
    chosen_type = request.args.get("type") if request.args.get("type") in types.HEADINGS else None
    text = (request.args.get("q") or "")[:200]
    return render_template(
        "admin/certificates_list.html",
        certificates=queries.search(text=text, certificate_type=chosen_type),
        chosen_type=chosen_type,
        q=text,
        headings=types.HEADINGS,
        display=serials.display,
        regenerate_form=RegenerateForm(),
        jobs=queries.recent_jobs(),
    )


@bp.get("/certificates/<serial>")
@login_required
def show_certificate(serial):
    guard(can_manage_certificates(current_user))
    certificate = _certificate(serial)
    return _detail(certificate, RevokeForm(formdata=None), CorrectNameForm(formdata=None))


@bp.post("/certificates/<serial>/revoke")
@login_required
@writes
def revoke_certificate(serial):
    guard(can_manage_certificates(current_user))
    certificate = _certificate(serial)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _detail(certificate, form, CorrectNameForm(formdata=None), 422)
    try:
        services.revoke(certificate, current_user.record, form.reason.data)
    except services.CertificateError as exc:
        db.session.rollback()
        form.reason.errors = [str(exc)]
        return _detail(certificate, form, CorrectNameForm(formdata=None), 422)
    db.session.commit()
    flash(_("The certificate is revoked. Its verification page and the status list say so now."), "success")
    return redirect(url_for("admin.show_certificate", serial=certificate.serial))


@bp.post("/certificates/<serial>/correct-name")
@login_required
@writes
def correct_certificate_name(serial):
    guard(can_manage_certificates(current_user))
    certificate = _certificate(serial)
    form = CorrectNameForm()
    if not form.validate_on_submit():
        return _detail(certificate, RevokeForm(formdata=None), form, 422)
    try:
        replacement = services.correct_name(certificate, current_user.record, form.name.data)
    except services.CertificateError as exc:
        db.session.rollback()
        form.name.errors = [str(exc)]
        return _detail(certificate, RevokeForm(formdata=None), form, 422)
    db.session.commit()
    flash(_("A corrected certificate was issued; the old serial now points to it."), "success")
    return redirect(url_for("admin.show_certificate", serial=replacement.serial))


@bp.route("/certificates/issue", methods=["GET", "POST"])
@login_required
@writes
def issue_certificate():
    guard(can_manage_certificates(current_user))
    form = IssueForm()
    courses = _admin_issued_courses()
    form.course_id.choices = choices([(course.id, _course_label(course)) for course in courses])
    companies = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind == roles.COMPANY, Organisation.is_active.is_(True))
        .order_by(Organisation.name)
    ).all()
    form.organisation_id.choices = choices(
        [(0, _("— none —"))] + [(c.id, f"{c.name} · RUC {c.ruc}") for c in companies]
    )
    if form.validate_on_submit():
        course = db.session.get(Course, form.course_id.data)
        user = organisation = None
        if form.email.data:
            user = account_services.find_user_by_email(form.email.data)
            if user is None:
                form.email.errors = [_("No account has this e-mail address.")]
        if form.organisation_id.data:
            organisation = db.session.get(Organisation, form.organisation_id.data)
        if not form.email.errors:
            try:
                certificate = services.issue_by_admin(current_user.record, course, user=user, organisation=organisation)
            except services.CertificateError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(_("Certificate issued: %(serial)s.", serial=serials.display(certificate.serial)), "success")
                return redirect(url_for("admin.show_certificate", serial=certificate.serial))
    return render_template("admin/certificate_issue.html", form=form), (422 if form.errors else 200)


@bp.post("/certificates/regenerate")
@login_required
@writes
def regenerate_certificates():
    guard(can_manage_certificates(current_user))
    form = RegenerateForm()
    if not form.validate_on_submit():
        flash(_("Choose which certificates to regenerate."), "error")
        return redirect(url_for("admin.list_certificates"))
    try:
        job = jobs.start_regeneration(form.type.data, current_user.record)
    except services.CertificateError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.list_certificates"))
    db.session.commit()
    return redirect(url_for("admin.show_regeneration", job_id=job.id))


@bp.get("/certificates/jobs/<id:job_id>")
@login_required
def show_regeneration(job_id):
    guard(can_manage_certificates(current_user))
    job = queries.job(job_id) or abort(404)
    if request.accept_mimetypes.best == "application/json":
        return {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent}
    return render_template("admin/certificate_job.html", job=job, headings=types.HEADINGS)


def _certificate(serial):
    return queries.by_serial_text(serial) or abort(404)


def _detail(certificate, revoke_form, name_form, status=200):
    return render_template(
        "admin/certificate_detail.html",
        certificate=certificate,
        record=public_record(certificate, current_language()),
        revoke_form=revoke_form,
        name_form=name_form,
        display=serials.display,
    ), status


def _admin_issued_courses():
    courses = db.session.scalars(select(Course).where(Course.is_published.is_(True)).order_by(Course.slug)).all()
    return [
        course
        for course in courses
        if course.current_version is not None
        and course.current_version.meta["certificate"]["type"] in types.ISSUED_BY_ADMIN
    ]


def _course_label(course) -> str:
    meta = course.current_version.meta
    return types.full_name(meta["certificate"]["type"], meta["title"].get(current_language()) or meta["title"]["es"])
