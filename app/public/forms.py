"""The catalogue's filters, read from the query string."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField
from wtforms.validators import Optional

from app.core.forms import choices
from app.public.programmes import PROGRAMMES


class CatalogueFilterForm(Form):
    programme = SelectField(
        _l("Programme"),
        validators=[Optional()],
        choices=choices([("", _l("All programmes"))] + [(p["key"], p["title"]) for p in PROGRAMMES]),
    )
    language = SelectField(
        _l("Language"),
        validators=[Optional()],
        choices=choices([("", _l("Any language")), ("es", "Español"), ("en", "English")]),
    )
    access = SelectField(
        _l("Who may enrol"),
        validators=[Optional()],
        choices=choices(
            [
                ("", _l("Everyone and restricted")),
                ("open", _l("Open to everyone")),
                ("restricted", _l("Restricted to officials, governors or companies")),
            ]
        ),
    )
