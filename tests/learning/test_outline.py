"""The course outline beside a learner's pages: every item, where it leads, and what is done."""

from html.parser import HTMLParser

from flask import url_for

from app.extensions import db
from app.learning import queries
from app.learning.models import LessonCompletion
from tests import factories


def test_the_outline_lists_every_item_in_order_and_each_link_opens_it(app, client, login_as):
    enrolment = _enrolment_of(client, login_as)
    progress = queries.progress(enrolment)
    outline = _Outline(client.get(f"/learning/{enrolment.id}").get_data(as_text=True))
    items = [item for module in progress.modules for item in module.items]
    assert outline.modules == [module.title["es"] for module in progress.modules]
    assert len(outline.entries) == len(items) + 1  # and the final assessment
    for item, entry in zip(items, outline.entries, strict=False):
        if item.kind == "lesson":
            assert entry.label == item.title["es"]
        assert client.get(entry.href).status_code == 200, entry.href
    with app.test_request_context():
        assert outline.entries[-1].href == url_for("learning.assessment_overview", enrolment_id=enrolment.id)
    assert outline.entries[-1].label == "Evaluación final"


def test_the_outline_marks_what_is_done_what_is_optional_and_the_page_that_is_open(client, login_as):
    enrolment = _enrolment_of(client, login_as)
    items = [item for module in queries.progress(enrolment).modules for item in module.items]
    first, second = [index for index, item in enumerate(items) if item.kind == "lesson"][:2]
    db.session.add(LessonCompletion(enrolment_id=enrolment.id, lesson_key=items[first].ref))
    db.session.commit()
    links = [entry.href for entry in _Outline(client.get(f"/learning/{enrolment.id}").get_data(as_text=True)).entries]
    outline = _Outline(client.get(links[second]).get_data(as_text=True))
    done, current = outline.entries[first], outline.entries[second]
    assert done.classes == {"is-done"} and not done.is_current and done.text == f"{done.label} ✓ hecho"
    assert current.classes == {"is-current"} and current.text == current.label
    assert [entry for entry in outline.entries if entry.is_current] == [current]
    optional = [outline.entries[index] for index, item in enumerate(items) if not item.is_required]
    assert optional and all(entry.text == f"{entry.label} (opcional)" and not entry.classes for entry in optional)
    assert outline.done_modules == []


def test_a_finished_module_and_a_passed_final_assessment_say_so(app, client, login_as):
    enrolment = _enrolment_of(client, login_as)
    with app.test_request_context():
        factories.complete_course(enrolment)
    outline = _Outline(client.get(f"/learning/{enrolment.id}").get_data(as_text=True))
    assert outline.done_modules == outline.modules
    assert outline.entries[-1].text == "Evaluación final ✓ aprobada"
    assert not any(entry.is_current for entry in outline.entries)


def test_each_learner_s_outline_links_to_their_own_enrolment(app, client, login_as):
    other_client = app.test_client()
    first, second = _enrolment_of(client, login_as), _enrolment_of(other_client, login_as)
    for learner_client, enrolment in ((client, first), (other_client, second), (client, first)):
        outline = _Outline(learner_client.get(f"/learning/{enrolment.id}").get_data(as_text=True))
        assert outline.entries and all(e.href.startswith(f"/learning/{enrolment.id}/") for e in outline.entries)


def test_the_outline_links_keep_the_address_the_site_is_served_under(client, login_as):
    enrolment = _enrolment_of(client, login_as)
    page = client.get(f"/learning/{enrolment.id}", base_url="http://localhost/academia/").get_data(as_text=True)
    assert all(entry.href.startswith(f"/academia/learning/{enrolment.id}/") for entry in _Outline(page).entries)


def _enrolment_of(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return factories.make_enrolment(user=user)


class _Entry:
    def __init__(self, classes):
        self.classes, self.href, self.is_current, self.label, self.words = classes, None, False, "", []

    @property
    def text(self):
        """What a screen reader says for the item, the visually hidden words included."""
        return " ".join("".join(self.words).split())


class _Outline(HTMLParser):
    """A page's course outline as a learner meets it: module headings and the items' links and words."""

    def __init__(self, page):
        super().__init__()
        self.modules, self.done_modules, self.entries = [], [], []
        self._inside, self._entry, self._in_link, self._heading, self._in_tag = False, None, False, None, False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "ol" and "outline" in classes:
            self._inside = True
        elif not self._inside:
            return
        elif tag == "span" and "outline-module" in classes:
            self._heading = []
        elif tag == "span" and "tag" in classes and self._heading is not None:
            self._in_tag = True
            self.done_modules.append("".join(self._heading).strip())
        elif tag == "li":
            self._entry = _Entry(classes)
        elif tag == "a" and self._entry is not None:
            self._entry.href, self._entry.is_current = attrs["href"], attrs.get("aria-current") == "page"
            self._in_link = True

    def handle_endtag(self, tag):
        if not self._inside:
            return
        if tag == "ol":
            self._inside = False
        elif tag == "a":
            self._in_link = False
        elif tag == "span" and self._in_tag:
            self._in_tag = False
        elif tag == "span" and self._heading is not None:
            self.modules.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "li" and self._entry is not None:
            if self._entry.href:
                self.entries.append(self._entry)
            self._entry = None

    def handle_data(self, data):
        if not self._inside or self._in_tag:
            return
        if self._heading is not None:
            self._heading.append(data)
        elif self._entry is not None:
            self._entry.words.append(data)
            if self._in_link:
                self._entry.label += data
