"""The holder's certificates, their downloads, public verification and the issuer's published keys."""

import json

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.certificates import bp, finishing, permissions, queries, serials, services
from app.certificates.addresses import linkedin_add_url, verification_url
from app.certificates.forms import SerialForm, UploadForm
from app.certificates.signing import issuer, openbadges, status_lists
from app.certificates.types import heading
from app.certificates.verification import check_upload, public_record, reason_text, upload_message
from app.core.i18n import current_language
from app.core.models import utcnow
from app.core.ratelimit import rate_limited
from app.extensions import db

LANGUAGES = ("es", "en")


def _per_user():
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else request.remote_addr or ""


@bp.get("/certificates")
@login_required
def my_certificates():
    certificates = queries.held_by(current_user)
    return render_template(
        "certificates/mine.html",
        certificates=certificates,
        linkedin=lambda certificate: linkedin_add_url(certificate, current_language()),
        verification_url=verification_url,
        display=serials.display,
        certificate_heading=heading,
        now=utcnow(),
    )


@bp.get("/certificates/<serial>/certificate-<language>.pdf")
@login_required
@rate_limited("RATELIMIT_CERTIFICATE_DOWNLOAD", key=_per_user, methods=("GET",))
def download_pdf(serial, language):
    certificate = _own_certificate(serial)
    if language not in LANGUAGES:
        abort(404)
    if not certificate.is_signed:
        certificate = finishing.finish(certificate.id)  # before the worker: signed and drawn now
    stored = services.document(certificate, language)
    # Drawing the other language the first time it is asked for is a write; keep it.
    db.session.commit()
    return Response(
        stored.pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{_file_safe(certificate.serial)}-{language}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/certificates/<serial>/credential.json")
@login_required
@rate_limited("RATELIMIT_CERTIFICATE_DOWNLOAD", key=_per_user, methods=("GET",))
def download_credential(serial):
    certificate = _own_certificate(serial)
    if not certificate.is_signed:
        certificate = finishing.finish(certificate.id)
    return Response(
        certificate.credential,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="credential-{_file_safe(certificate.serial)}.json"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/verify", methods=["GET", "POST"])
@rate_limited("RATELIMIT_VERIFY", methods=("GET", "POST"))
def verify():
    serial_form = SerialForm(request.args)
    upload_form = UploadForm()
    if request.args and serial_form.validate():
        typed = serial_form.serial.data.strip()
        serial = serials.normalise(typed)
        # The address people copy and share is the tidy one, whatever was typed.
        return redirect(url_for("certificates.verify_serial", serial=serials.display(serial) if serial else typed))
    if request.method == "POST" and upload_form.validate_on_submit():
        data = upload_form.document.data.read()
        outcome = check_upload(data)
        # A file that fails gets one verdict, the red one: the record it names, with its own (maybe green)
        # status, is a link away rather than beside it.
        record = public_record(outcome.certificate, current_language()) if outcome.genuine else None
        named = None
        if outcome.certificate is not None and not outcome.genuine:
            named = verification_url(outcome.certificate.serial)
        status = 200 if outcome.genuine else 422
        return render_template(
            "certificates/verify.html",
            serial_form=serial_form,
            upload_form=upload_form,
            upload_outcome=outcome,
            upload_message=upload_message(outcome),
            record=record,
            named_certificate_url=named,
        ), status
    status = 422 if (request.args or request.method == "POST") else 200
    return render_template("certificates/verify.html", serial_form=serial_form, upload_form=upload_form), status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    return render_template(
        "certificates/verify.html",
        serial_form=SerialForm(formdata=None),
        upload_form=UploadForm(formdata=None),
        upload_message=reason_text("too-large"),
        upload_outcome=None,
        record=None,
    ), 413


@bp.get("/verify/<path:serial>")
@rate_limited("RATELIMIT_VERIFY", methods=("GET", "POST"))
def verify_serial(serial):
    facts = queries.public_facts(serial)
    record = public_record(facts, current_language())
    code = 200 if facts is not None else 404
    if _wants_json():
        # Unknown and malformed serials get the very same body: nothing to learn from the difference.
        return Response(
            json.dumps(record, ensure_ascii=False),
            status=code,
            mimetype="application/json",
            headers={"Cache-Control": "no-store"},
        )
    return render_template(
        "certificates/verify_result.html", record=record, serial_form=SerialForm(formdata=None)
    ), code


@bp.get("/certificates/status/<id:list_number>")
def status_list(list_number):
    if list_number > 1_000_000:
        abort(404)
    document = status_lists.status_list_credential(list_number)
    if document is None:
        abort(404)
    return Response(
        json.dumps(document, ensure_ascii=False),
        mimetype="application/vc+ld+json",
        # Wallets poll this; a minute's staleness is the documented revocation delay.
        headers={"Cache-Control": "public, max-age=60"},
    )


@bp.get("/.well-known/did.json")
def did_document():
    document = openbadges.did_document(issuer.issuer_did(), issuer.keyring().keys)
    return Response(
        json.dumps(document),
        mimetype="application/did+json",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )


@bp.get("/.well-known/jwks.json")
def jwks():
    return Response(
        json.dumps(openbadges.jwks(issuer.keyring().keys)),
        mimetype="application/json",
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )


def _own_certificate(serial):
    """Somebody else's certificate answers exactly like a serial that does not exist."""
    certificate = queries.by_serial_text(serial)
    if certificate is None or not permissions.can_view_certificate(current_user, certificate):
        abort(404)
    return certificate


def _file_safe(serial: str) -> str:
    """A legacy serial's check symbol may be * ~ $ or =, which some systems refuse in file names."""
    return "".join(symbol if symbol.isalnum() else "_" for symbol in serial)


def _wants_json() -> bool:
    if request.args.get("format") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"
