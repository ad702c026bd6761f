"""Forms for member management and organisation editing."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional, Regexp, ValidationError

from app.core.forms import AtMost, CleanName, choices
from app.organisations import roles


def role_choices(allowed):
    return [(role, roles.ROLE_LABELS[role]) for role in roles.ROLES if role in allowed]


class OrganisationForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=choices(
            [(roles.ENTITY, roles.KIND_LABELS[roles.ENTITY]), (roles.COMPANY, roles.KIND_LABELS[roles.COMPANY])]
        ),
    )
    code = StringField(
        _l("Code"),
        description=_l("Short and unique, in capitals, for example GORE-06-DIRESA."),
        validators=[
            DataRequired(message=_l("Enter a code.")),
            AtMost(32),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9-]*$", message=_l("Use only letters, digits and hyphens.")),
        ],
    )
    name = StringField(_l("Name"), validators=[CleanName(), AtMost(200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), AtMost(80)])
    parent_id = SelectField(_l("Belongs to"), coerce=int, validate_choice=False)
    ruc = StringField(_l("RUC (companies only)"), validators=[Optional(), AtMost(20)])
    submit = SubmitField(_l("Create organisation"))

    def validate_ruc(self, field):
        from stdnum.pe import ruc

        field.data = (field.data or "").strip().replace(" ", "")
        if self.kind.data == roles.COMPANY and not ruc.is_valid(field.data):
            raise ValidationError(_l("Enter the company's 11-digit RUC; check the digits, the last one did not match."))
        if self.kind.data != roles.COMPANY:
            field.data = ""


class EditOrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[CleanName(), AtMost(200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), AtMost(80)])
    is_active = BooleanField(_l("Active"))
    submit = SubmitField(_l("Save changes"))


class GrantRoleForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=False)
    role = SelectField(_l("Role"), choices=choices(role_choices(roles.ROLES)))
    submit = SubmitField(_l("Assign role"))
