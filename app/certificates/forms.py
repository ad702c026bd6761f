"""Forms for verification (public) and for the SIP's certificate actions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.certificates.services import NAME_MAX, REASON_MAX
from app.certificates.types import HEADINGS
from app.core.forms import AtMost, choices


class SerialForm(FlaskForm):
    """Typed serial; GET so the result has a shareable address (no state changes, no token needed)."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate serial"),
        description=_l("As printed on the certificate, for example 7K2M-9QXD-… (case and dashes do not matter)."),
        validators=[DataRequired(message=_l("Enter the serial printed on the certificate.")), AtMost(64)],
    )


class UploadForm(FlaskForm):
    document = FileField(
        _l("Certificate file"),
        description=_l("The certificate PDF, or its credential file (.json)."),
        validators=[DataRequired(message=_l("Choose the certificate file to check."))],
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        description=_l("Shown publicly to whoever checks this certificate."),
        validators=[DataRequired(message=_l("Give the reason for revoking.")), AtMost(REASON_MAX)],
    )


class CorrectNameForm(FlaskForm):
    name = StringField(
        _l("Corrected name"),
        description=_l("Exactly as it must appear. A new certificate is issued; the old serial will point to it."),
        validators=[DataRequired(message=_l("Enter the corrected name.")), AtMost(NAME_MAX)],
    )


class IssueForm(FlaskForm):
    course_id = SelectField(_l("Course"), coerce=int, validate_choice=True)
    email = StringField(
        _l("Person's e-mail"),
        description=_l("For a trainer certification: the account of the person certified."),
        validators=[Optional(), AtMost(320)],
    )
    organisation_id = SelectField(
        _l("Company"),
        description=_l("For a Business for Integrity certificate: the company, with its RUC."),
        coerce=int,
        validate_choice=True,
    )


class RegenerateForm(FlaskForm):
    type = SelectField(
        _l("Certificate type"),
        choices=choices([(key, label) for key, label in HEADINGS.items()]),
        validators=[DataRequired()],
    )
