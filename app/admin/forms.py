"""Forms of the staff screens: members, and filters read from the query string (so no CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Form, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.core.forms import AtMost, CleanName, EmailAddress, choices


class AuditFilterForm(Form):
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    actor = StringField(_l("Who (e-mail)"), validators=[Optional()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()], validate_choice=False)
    outcome = SelectField(
        _l("Result"),
        choices=choices(
            [("", _l("Any")), ("success", _l("Success")), ("failure", _l("Failure")), ("denied", _l("Denied"))]
        ),
        validators=[Optional()],
    )
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


class UserSearchForm(Form):
    q = StringField(_l("Name or e-mail"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


class PageForm(Form):
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)


class OrganisationFilterForm(Form):
    kind = SelectField(_l("Kind"), validators=[Optional()])
    q = StringField(_l("Name, code or RUC"), validators=[Optional()])


class AddMemberForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter the person's e-mail address.")), AtMost(254), EmailAddress()],
    )
    # Asked whether or not the address has an account, so the form says nothing about which.
    display_name = StringField(
        _l("Full name"),
        validators=[
            CleanName(message=_l("Enter the person's full name.")),
            AtMost(120),
        ],
    )
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    submit = SubmitField(_l("Send invitation"))


class ChangeRoleForm(FlaskForm):
    role = SelectField(_l("New role"), validators=[DataRequired(message=_l("Choose a role."))])
    submit = SubmitField(_l("Change role"))
