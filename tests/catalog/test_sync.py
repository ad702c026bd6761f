"""Syncing packages into versions: idempotent, and a new version never loses anybody's progress."""

import gc
import shutil
from datetime import timedelta

import pytest
import yaml
from markdown_it import MarkdownIt

from app.catalog import content, services
from app.catalog.media import media_url
from app.catalog.models import Course, CourseVersion
from app.extensions import db
from app.learning import queries
from app.learning import services as learning_services
from tests import factories


@pytest.fixture
def package_copy(tmp_path):
    folder = tmp_path / "using-the-academy"
    shutil.copytree(factories.COURSES / "using-the-academy", folder)
    return folder


def _versions(slug="using-the-academy"):
    return (
        db.session.execute(
            db.select(CourseVersion)
            .join(Course, CourseVersion.course_id == Course.id)
            .where(Course.slug == slug)
            .order_by(CourseVersion.number)
        )
        .scalars()
        .all()
    )


def _edit_first_lesson(folder, old, new):
    lesson = sorted((folder / "modules").glob("01-*/01-*.es.md"))[0]
    text = lesson.read_text()
    assert old in text
    lesson.write_text(text.replace(old, new, 1))


def _mark_changelog(folder, *, text_only):
    """Add a change log entry dated the day after the package's newest one, so it is the newest."""
    course = folder / "course.yaml"
    newest = max(entry["date"] for entry in yaml.safe_load(course.read_text())["changelog"])
    course.write_text(
        course.read_text()
        + (
            f"  - date: {newest + timedelta(days=1)}\n    text_only: {'true' if text_only else 'false'}\n"
            "    note:\n      es: Corrección.\n      en: Correction.\n"
        )
    )


def test_the_words_added_around_lesson_content_are_in_the_lessons_language(app, package_copy):
    _edit_first_lesson(package_copy, "\n\n", "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")
    english = sorted((package_copy / "modules").glob("01-*/01-*.en.md"))[0]
    english.write_text(english.read_text() + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    _mark_changelog(package_copy, text_only=True)
    with app.app_context():  # as `flask courses sync` runs
        services.sync_package(content.load_package(package_copy))
    lesson = _versions()[-1].lessons[0]
    assert 'aria-label="Tabla (en una pantalla pequeña se desplaza hacia los lados)"' in lesson.html("es")
    assert 'aria-label="Table (scrolls sideways on a small screen)"' in lesson.html("en")


def test_sync_twice_changes_nothing(app):
    before = [(v.id, v.content_hash) for v in _versions()]
    report = services.sync_tree(factories.COURSES)
    assert "using-the-academy" in report.unchanged
    assert [(v.id, v.content_hash) for v in _versions()] == before


def test_a_changed_package_becomes_a_new_version_and_learners_keep_theirs(app, package_copy):
    enrolment = factories.make_enrolment()
    first_lesson = queries.progress(enrolment).modules[0].items[0].ref
    with app.test_request_context():
        learning_services.complete_lesson(enrolment, first_lesson)
    _mark_changelog(package_copy, text_only=False)
    version, outcome = services.sync_package(content.load_package(package_copy))
    assert outcome == "updated" and version.number == 2
    db.session.refresh(enrolment)
    assert enrolment.version.number == 1
    assert queries.progress(enrolment).modules[0].items[0].is_done
    newcomer = factories.make_enrolment()
    assert newcomer.version.number == 2


def test_a_text_only_change_moves_learners_and_keeps_their_progress(app, package_copy):
    enrolment = factories.make_enrolment()
    first_lesson = queries.progress(enrolment).modules[0].items[0].ref
    with app.test_request_context():
        learning_services.complete_lesson(enrolment, first_lesson)
    _mark_changelog(package_copy, text_only=True)
    _edit_first_lesson(package_copy, "Academia", "Academia de Integridad")
    version, outcome = services.sync_package(content.load_package(package_copy))
    assert outcome == "updated" and version.text_only
    db.session.refresh(enrolment)
    assert enrolment.version_id == version.id
    assert queries.progress(enrolment).modules[0].items[0].is_done
    assert queries.progress(enrolment).ratio > 0


def test_a_completed_enrolment_stays_on_its_version(app, package_copy):
    enrolment = factories.make_enrolment()
    enrolment.status = "completed"
    db.session.commit()
    _mark_changelog(package_copy, text_only=True)
    services.sync_package(content.load_package(package_copy))
    db.session.refresh(enrolment)
    assert enrolment.version.number == 1


def test_sync_parses_each_lesson_once_and_renders_what_validation_parsed(app, package_copy, monkeypatch):
    _mark_changelog(package_copy, text_only=False)
    parsed = []
    parse = MarkdownIt.parse

    def counting_parse(md, text, env=None):
        parsed.append(text)
        return parse(md, text, env)

    monkeypatch.setattr(MarkdownIt, "parse", counting_parse)
    assert services.sync_tree(package_copy.parent).updated == ["using-the-academy"]
    assert len(parsed) == len(list(package_copy.glob("modules/*/*.md")))
    monkeypatch.undo()
    version = _versions()[-1]
    specs = [lesson for module in content.load_package(package_copy).modules for lesson in module.lessons]
    assert [lesson.key for lesson in version.lessons] == [f"{spec.module}/{spec.slug}" for spec in specs]
    for lesson, spec in zip(version.lessons, specs, strict=True):
        expected = content.render_markdown(
            spec.markdown["en"], media_url=lambda path: media_url("using-the-academy", version.number, path)
        )
        assert lesson.html_en == expected


def test_sync_refuses_everything_when_one_package_is_broken(app, tmp_path):
    shutil.copytree(factories.COURSES / "using-the-academy", tmp_path / "using-the-academy")
    broken = tmp_path / "using-the-academy" / "course.yaml"
    broken.write_text(broken.read_text().replace("pass_mark:", "pas_mark:"))
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_tree(tmp_path)
    assert any("pas_mark" in str(problem) for problem in refused.value.problems)


def test_sync_pauses_the_cycle_collector_only_while_it_runs(app, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(content, "load_tree", lambda root: seen.append(gc.isenabled()) or [])
    services.sync_tree(tmp_path)
    assert seen == [False] and gc.isenabled()
    monkeypatch.setattr(content, "load_tree", lambda root: (_ for _ in ()).throw(content.PackageInvalid([])))
    with pytest.raises(services.SyncRefused):
        services.sync_tree(tmp_path)
    assert gc.isenabled()
