"""Read helpers for courses: the published catalogue and its order."""

from app.catalog import queries
from app.extensions import db
from tests import factories


def _slugs(language):
    return [course.slug for course in queries.list_published_courses(language=language)]


def test_the_catalogue_is_in_the_order_of_the_titles_in_the_readers_language():
    for slug in ("citizen-integrity", "business-integrity"):
        factories.sync_course(slug)
    # Ciudadano, Cómo usar, Empresa, Módulo de Inducción / Business, Citizen, How to use, Integrity Induction
    assert _slugs("es") == ["citizen-integrity", "using-the-academy", "business-integrity", "integrity-induction"]
    assert _slugs("en") == ["business-integrity", "citizen-integrity", "using-the-academy", "integrity-induction"]


def test_a_course_without_a_title_in_the_language_is_placed_by_the_title_shown_instead():
    factories.sync_course("citizen-integrity")
    version = factories.get_course("using-the-academy").current_version
    version.meta = {**version.meta, "title": {"es": "Deberes y derechos"}}
    db.session.commit()
    # Citizen for Integrity < Deberes y derechos (its Spanish title, as the page shows it) < Integrity Induction
    assert _slugs("en") == ["citizen-integrity", "using-the-academy", "integrity-induction"]
