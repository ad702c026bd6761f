"""`flask courses validate|sync|export|import` as an editor at the Secretariat would use them."""

import io
import shutil
import zipfile

import pytest

from app.catalog.models import Course
from app.extensions import db
from tests import factories
from tests.catalog import M1, edit, line_of, write_package

ACTIVITIES = f"{M1}/activities.yaml"


@pytest.fixture
def courses_dir(app, tmp_path):
    root = tmp_path / "courses"
    root.mkdir()
    shutil.copytree(factories.COURSES / "using-the-academy", root / "using-the-academy")
    app.config["COURSE_CONTENT_DIR"] = str(root)
    yield root
    app.config["COURSE_CONTENT_DIR"] = str(factories.COURSES)


def test_validate_strict_passes_on_the_shipped_courses(runner):
    """No shipped course has a problem, nor a warning that its answers can be guessed without reading."""
    result = runner.invoke(args=["courses", "validate", "--strict"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
    assert "warning" not in result.output


def test_validate_names_file_and_line_and_exits_non_zero(runner, courses_dir):
    course = courses_dir / "using-the-academy" / "course.yaml"
    lines = course.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("programme:"))
    lines[number - 1] = "programme: cooking"
    course.write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["courses", "validate"])
    assert result.exit_code != 0
    assert f"using-the-academy/course.yaml:{number}:" in result.output


def test_validate_refuses_an_unknown_review_rule_and_sync_loads_nothing(runner, courses_dir):
    course = courses_dir / "using-the-academy" / "course.yaml"
    course.write_text(course.read_text().replace("\nassessment:\n", "\nassessment:\n  review: on_request\n"))
    result = runner.invoke(args=["courses", "validate"])
    assert result.exit_code != 0
    assert "using-the-academy/course.yaml:" in result.output
    assert "'review' must be one of after_pass, after_last_attempt, always; got 'on_request'" in result.output
    assert runner.invoke(args=["courses", "sync"]).exit_code != 0


def test_sync_reports_and_is_idempotent(runner, courses_dir):
    first = runner.invoke(args=["courses", "sync"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["courses", "sync"])
    assert "unchanged: 1" in second.output


def test_export_then_import_round_trips(runner, courses_dir, tmp_path):
    archive = tmp_path / "out.zip"
    assert runner.invoke(args=["courses", "export", "using-the-academy", "-o", str(archive)]).exit_code == 0
    shutil.rmtree(courses_dir / "using-the-academy")
    result = runner.invoke(args=["courses", "import", str(archive)])
    assert result.exit_code == 0, result.output
    assert (courses_dir / "using-the-academy" / "course.yaml").is_file()
    assert db.session.execute(db.select(Course).where(Course.slug == "using-the-academy")).scalar_one()


def test_import_refuses_path_traversal_without_touching_the_courses(runner, courses_dir, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil/course.yaml", "slug: evil\n")
        archive.writestr("evil/../../escaped.txt", "gotcha")
    bad = tmp_path / "bad.zip"
    bad.write_bytes(buffer.getvalue())
    result = runner.invoke(args=["courses", "import", str(bad)])
    assert result.exit_code != 0 and "refused" in result.output
    assert not (tmp_path / "escaped.txt").exists()
    assert sorted(p.name for p in courses_dir.iterdir()) == ["using-the-academy"]


def test_import_refuses_raw_html_in_markdown(runner, courses_dir, tmp_path):
    lesson = sorted((courses_dir / "using-the-academy" / "modules").glob("*/*.es.md"))[0]
    lesson.write_text(lesson.read_text() + "\n<script>alert(1)</script>\n")
    archive = tmp_path / "html.zip"
    runner.invoke(args=["courses", "export", "using-the-academy", "-o", str(archive)])
    shutil.rmtree(courses_dir / "using-the-academy")
    result = runner.invoke(args=["courses", "import", str(archive)])
    assert result.exit_code != 0
    assert not (courses_dir / "using-the-academy").exists()


@pytest.fixture
def cued_package(tmp_path):
    """The demo package with one warning: a multiple question whose options are all correct but one."""
    folder = write_package(tmp_path / "packages")
    edit(folder, ACTIVITIES, "{es: Cuatro, en: Four}, correct: false", "{es: Cuatro, en: Four}, correct: true")
    return folder


def test_validate_prints_warnings_with_file_and_line_and_still_succeeds(runner, cued_package):
    result = runner.invoke(args=["courses", "validate", str(cued_package)])
    assert result.exit_code == 0, result.output
    line = line_of(cued_package, ACTIVITIES, "- id: welcome-2")
    assert f"demo-course/{ACTIVITIES}:{line}: warning: multiple question 'welcome-2'" in result.output
    assert "no problems found, 1 warning(s)" in result.output


def test_validate_strict_fails_on_warnings(runner, cued_package):
    result = runner.invoke(args=["courses", "validate", "--strict", str(cued_package)])
    assert result.exit_code != 0
    assert f"demo-course/{ACTIVITIES}:" in result.output
    assert "1 warning(s) found, and --strict fails on warnings" in result.output


def test_validate_strict_passes_a_package_without_warnings(runner, tmp_path):
    folder = write_package(tmp_path / "packages")
    result = runner.invoke(args=["courses", "validate", "--strict", str(folder.parent)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
