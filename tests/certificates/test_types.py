"""What each certificate type is called, and its name next to the course it was earned in."""

import pytest
from flask_babel import force_locale

from app.certificates import types


@pytest.mark.parametrize(
    ("language", "course"),
    [("es", "Ciudadano por la Integridad"), ("en", "Citizen for Integrity"), ("es", "ciudadano  por la INTEGRIDAD ")],
)
def test_a_course_called_like_its_certificate_is_named_once(app, language, course):
    with app.test_request_context(), force_locale(language):
        assert types.full_name("citizen", course) == types.heading("citizen")
        assert not types.course_adds_to_heading(types.heading("citizen"), course)


def test_a_course_with_a_name_of_its_own_follows_the_certificates(app):
    with app.test_request_context(), force_locale("es"):
        name = types.full_name("induction", "Módulo de Inducción en Integridad")
        assert name == f"{types.heading('induction')}: Módulo de Inducción en Integridad"
        assert name.count("Módulo de Inducción en Integridad") == 1
