"""Forms for sign-up, sign-in, confirming it's you, passwords, the second factor and the profile."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

from app.accounts import services
from app.core.forms import AtMost, CleanName, EmailAddress, choices
from app.core.text import clean_line

LANGUAGE_CHOICES = (("es", "Español"), ("en", "English"))


class GoodPassword:
    def __call__(self, form, field):
        email = getattr(getattr(form, "email", None), "data", None)
        problems = services.password_problems(field.data or "", email=email)
        if problems:
            raise ValidationError(" ".join(problems))


def _password_confirmation():
    return PasswordField(
        _l("Confirm the password"),
        validators=[
            InputRequired(message=_l("Type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class RegistrationForm(FlaskForm):
    account_type = RadioField(
        _l("I am registering as"),
        default="citizen",
        choices=choices(
            [
                ("citizen", _l("A citizen")),
                ("business", _l("The representative of a company")),
            ]
        ),
        validators=[InputRequired(message=_l("Choose how you are registering."))],
    )
    display_name = StringField(
        _l("Full name"),
        validators=[
            CleanName(),
            AtMost(120),
        ],
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            AtMost(254),
            EmailAddress(),
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Choose a password.")), GoodPassword()]
    )
    confirm = _password_confirmation()
    company_name = StringField(_l("Company name"), validators=[AtMost(200)])
    ruc = StringField(_l("Company RUC"), validators=[AtMost(20)])
    locale = SelectField(_l("Preferred language"), choices=choices(LANGUAGE_CHOICES), default="es")
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that my data is processed for my training."),
        validators=[DataRequired(message=_l("You must accept the privacy notice to register."))],
    )
    submit = SubmitField(_l("Create my account"))

    def validate_company_name(self, field):
        field.data = clean_line(field.data)
        if self.account_type.data == "business" and not field.data:
            raise ValidationError(_l("Enter the company's registered name."))

    def validate_ruc(self, field):
        from stdnum.pe import ruc

        field.data = (field.data or "").strip().replace(" ", "").replace("-", "")
        if self.account_type.data != "business":
            field.data = ""
            return
        if not ruc.is_valid(field.data):
            raise ValidationError(_l("Enter the company's 11-digit RUC; check the digits, the last one did not match."))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(message=_l("Enter your e-mail address.")), AtMost(254)]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password.")), AtMost(1024)]
    )
    remember = BooleanField(_l("Keep me signed in on this device for 14 days"))
    submit = SubmitField(_l("Sign in"))


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(message=_l("Enter the 6-digit code from your app, or a recovery code.")),
            AtMost(32),
        ],
    )
    submit = SubmitField(_l("Continue"))


class SetupSecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code shown by the app"),
        validators=[DataRequired(message=_l("Enter the 6-digit code shown by your app.")), AtMost(12)],
    )
    submit = SubmitField(_l("Turn on the second factor"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter your e-mail address.")), AtMost(254), EmailAddress()],
    )
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(message=_l("Choose a password.")), GoodPassword()]
    )
    confirm = _password_confirmation()
    submit = SubmitField(_l("Save the new password"))


class ConfirmIdentityForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password.")), AtMost(1024)]
    )
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[
            DataRequired(message=_l("Enter the 6-digit code from your app, or a recovery code.")),
            AtMost(32),
        ],
    )
    submit = SubmitField(_l("Confirm"))

    def ask_for(self, *, second_factor: bool, recovery_code: bool):
        """Only the password without a second factor; a recovery code in place of the app's code on request."""
        if not second_factor:
            del self.code
        elif recovery_code:
            self.code.label.text = _l("Recovery code")


# No current password here: the page is only reached after confirming it (accounts.reauthentication).
class ChangePasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(message=_l("Choose a password.")), GoodPassword()]
    )
    confirm = _password_confirmation()
    submit = SubmitField(_l("Change my password"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Full name"), validators=[CleanName(), AtMost(120)])
    locale = SelectField(_l("Preferred language"), choices=choices(LANGUAGE_CHOICES))
    submit = SubmitField(_l("Save changes"))
