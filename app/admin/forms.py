"""Filter forms for the staff screens (read from the query string, so no CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from app.core.forms import choices


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


class OrganisationFilterForm(Form):
    kind = SelectField(_l("Kind"), validators=[Optional()])
    q = StringField(_l("Name, code or RUC"), validators=[Optional()])
