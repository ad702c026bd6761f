"""Reads the learner's pages make."""

import pytest

from app.learning import queries
from tests import factories


@pytest.fixture(autouse=True)
def in_app_context(app):
    """These reads run within a request, or at least within the application's context."""
    with app.app_context():
        yield


def test_enrolment_facts_name_the_learner_and_the_exact_version_followed():
    enrolment = factories.make_enrolment()
    facts = queries.get_enrolment_facts(enrolment.id)
    assert facts == queries.EnrolmentFacts(
        id=enrolment.id,
        user_id=enrolment.user_id,
        version_id=enrolment.version_id,
        version_hash=enrolment.version.content_hash,
    )
    assert queries.version_of(facts) is queries.version_of(enrolment)


def test_enrolment_facts_of_an_unknown_enrolment_are_none():
    assert queries.get_enrolment_facts(987654321) is None


def test_progress_reads_the_same_from_the_facts_as_from_the_enrolment(app):
    enrolment = factories.make_enrolment()
    with app.test_request_context():
        factories.complete_everything_but_the_assessment(enrolment)
        facts = queries.get_enrolment_facts(enrolment.id)
    assert queries.progress(facts) == queries.progress(enrolment)
