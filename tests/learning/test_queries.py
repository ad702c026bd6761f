"""Reads the learner's pages make."""

from app.learning import queries
from tests import factories


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


def test_facts_read_with_what_is_done_give_the_same_facts_and_the_same_progress(app):
    enrolment = factories.make_enrolment()
    with app.test_request_context():
        factories.complete_everything_but_the_assessment(enrolment)
    together = queries.get_enrolment_facts_and_done_items(enrolment.id)
    apart = queries.get_enrolment_facts(enrolment.id)
    assert (together.id, together.user_id, together.version_id, together.version_hash) == (
        apart.id,
        apart.user_id,
        apart.version_id,
        apart.version_hash,
    )
    assert together.done  # the lessons and activities just completed
    assert queries.progress(together) == queries.progress(apart) == queries.progress(enrolment)


def test_facts_and_done_items_of_an_enrolment_with_nothing_done_yet():
    enrolment = factories.make_enrolment()
    facts = queries.get_enrolment_facts_and_done_items(enrolment.id)
    assert facts.done == ()
    assert not any(item.is_done for module in queries.progress(facts).modules for item in module.items)


def test_facts_and_done_items_of_an_unknown_enrolment_are_none():
    assert queries.get_enrolment_facts_and_done_items(987654321) is None
