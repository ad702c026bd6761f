"""The outline's links and the enrolment's address they all start from."""

from flask import url_for

from app.learning import outline, queries
from tests import factories


def test_the_enrolments_address_is_the_course_home_and_is_built_once_per_request(app, monkeypatch):
    enrolment = factories.make_enrolment()
    with app.test_request_context():
        expected = url_for("learning.course_home", enrolment_id=enrolment.id)
        built = []
        monkeypatch.setattr(outline, "url_for", lambda *args, **kwargs: built.append(args) or expected)
        assert outline.home_url(enrolment) == expected
        first_item = queries.progress(enrolment).modules[0].items[0]
        assert outline.item_url(enrolment, first_item).startswith(expected + "/")
        assert expected in outline.render(enrolment, queries.progress(enrolment))
        assert len(built) == 1
    with app.test_request_context():
        outline.home_url(enrolment)
        assert len(built) == 2  # a new request builds it again


def test_two_enrolments_on_one_page_keep_their_own_addresses(app):
    first, second = factories.make_enrolment(), factories.make_enrolment()
    with app.test_request_context():
        assert outline.home_url(first) != outline.home_url(second)
        assert outline.home_url(first) == url_for("learning.course_home", enrolment_id=first.id)
