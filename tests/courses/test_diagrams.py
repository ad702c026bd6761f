"""Every module of the induction and Governor courses has a diagram in each language, served light and described."""

import re
from xml.etree import ElementTree

import pytest

from app.catalog import content
from app.catalog import services as catalog_services
from app.extensions import db
from tests import factories

COURSES_WITH_DIAGRAMS = ("integrity-induction", "governor-induction")
LANGUAGES = ("es", "en")
SVG = "{http://www.w3.org/2000/svg}"
IMAGE = re.compile(r'<img src="(/courses/[^"]+\.svg)" alt="([^"]+)"')


@pytest.fixture(params=COURSES_WITH_DIAGRAMS)
def course(request, app):
    """The course as `flask courses sync` loads it (the suite's database holds only some courses)."""
    with app.app_context():
        catalog_services.sync_package(content.load_package(factories.COURSES / request.param))
    db.session.commit()
    return factories.get_course(request.param)


@pytest.fixture
def learner(client, login_as):
    user = factories.make_user()
    login_as(client, user)
    return user


def _diagrams_by_module(course, language):
    found: dict[str, list[tuple[str, str]]] = {module["slug"]: [] for module in course.current_version.modules}
    for lesson in course.current_version.lessons:
        found[lesson.module_slug].extend(IMAGE.findall(lesson.html(language)))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_module_shows_a_diagram_with_alternative_text_in_each_language(course, language):
    by_module = _diagrams_by_module(course, language)
    missing = [module for module, images in sorted(by_module.items()) if not images]
    assert not missing, f"{course.slug} ({language}): no diagram in {missing}"


def test_each_diagram_is_served_inert_under_15_kb_titled_and_described_in_its_lessons_language(client, learner, course):
    factories.make_enrolment(learner, course.slug)
    checked = 0
    for language in LANGUAGES:
        for images in _diagrams_by_module(course, language).values():
            for url, alt in images:
                response = client.get(url)
                assert response.status_code == 200 and response.mimetype == "image/svg+xml", url
                assert "sandbox" in response.headers["Content-Security-Policy"]
                body = response.get_data()
                assert len(body) < 15 * 1024, f"{url} weighs {len(body)} bytes"
                root = ElementTree.fromstring(body)  # noqa: S314 -- shipped files, refused by validate if they declare entities
                title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
                assert title is not None and title.text.strip() and desc is not None and desc.text.strip(), url
                assert root.get("role") == "img" and len(alt) > 10, url
                assert url.endswith(f".{language}.svg"), f"{url} is shown in the {language} lesson"
                checked += 1
    assert checked >= 2 * len(course.current_version.modules)
