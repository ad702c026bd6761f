"""Form pieces shared by every domain: choices, the confirm button, names, e-mail addresses and lengths."""

from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from app.core.text import InvalidEmail, clean_line, normalise_email


def choices(pairs):
    """WTForms 3.3 wants SelectChoice objects rather than (value, label) tuples."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A button and its CSRF token, for actions that need no other input."""

    submit = SubmitField(_l("Confirm"))


class EmailAddress:
    """Validate and normalise an e-mail address with email-validator, with our translated message."""

    def __call__(self, form, field):
        try:
            field.data = normalise_email(field.data or "")
        except InvalidEmail as exc:
            raise ValidationError(str(exc)) from exc


class CleanName:
    """A person's or organisation's name as one clean line, and not empty."""

    def __init__(self, message=None):
        self.message = message or _l("Enter your name as it should appear on your certificates.")

    def __call__(self, form, field):
        field.data = clean_line(field.data)
        if not field.data:
            raise ValidationError(self.message)


class AtMost(Length):
    """At most *limit* characters, said in the reader's language with its plural ("Use como máximo 120
    caracteres."); being a Length, it still gives the field its maxlength attribute."""

    def __init__(self, limit: int):
        super().__init__(max=limit)

    def __call__(self, form, field):
        if len(field.data or "") > self.max:
            raise ValidationError(
                ngettext(
                    "Use at most %(number)s character.",
                    "Use at most %(number)s characters.",
                    self.max,
                    number=format_number(self.max),
                )
            )
