"""load_package and content_hash: what the app receives from a valid package."""

import json
import shutil
from pathlib import Path

import pytest

from app.catalog.content import (
    ActivitySpec,
    CoursePackage,
    ItemRef,
    PackageInvalid,
    Problem,
    content_hash,
    load_package,
)
from tests.catalog import M1, M2, demo_package, edit, no_database, write  # noqa: F401

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_course_fields(package):
    course = load_package(package)
    assert isinstance(course, CoursePackage)
    assert (course.slug, course.programme, course.estimated_hours) == ("demo-course", "induction", 1.5)
    assert course.title == {"es": "Curso de prueba", "en": "Demo course"}
    assert course.outcomes[0] == {"es": "Primer logro.", "en": "First outcome."}
    assert course.audience == {
        "public": False,
        "roles": ["learner", "integrity_officer"],
        "organisation_kinds": ["regional_government", "entity"],
    }
    assert course.completion == {"lessons": "all", "activities": "required", "final_assessment": True}
    assert course.assessment == {"pass_mark": 70, "attempts_allowed": 3, "wait_hours_between_attempts": 24}
    assert course.certificate == {"type": "induction", "validity_months": 24}
    assert course.prerequisites == []
    assert course.changelog == [
        {"date": "2026-11-26", "text_only": False, "note": {"es": "Primera versión.", "en": "First version."}}
    ]
    assert course.text_only is False


def test_estimated_hours_is_always_a_float(package):
    edit(package, "course.yaml", "estimated_hours: 1.5", "estimated_hours: 2")
    assert load_package(package).estimated_hours == 2.0 and isinstance(load_package(package).estimated_hours, float)


def test_missing_validity_means_none(package):
    edit(package, "course.yaml", "  validity_months: 24\n", "")
    assert load_package(package).certificate == {"type": "induction", "validity_months": None}


def test_text_only_comes_from_the_newest_changelog_entry(package):
    older = "  - date: 2026-01-10\n    text_only: false\n    note: {es: Antes., en: Before.}\n"
    newer = "  - date: 2026-12-01\n    text_only: true\n    note: {es: Erratas., en: Typos.}\n"
    edit(package, "course.yaml", "changelog:\n", f"changelog:\n{older}")
    path = package / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8") + newer, encoding="utf-8")
    course = load_package(package)
    assert [entry["date"] for entry in course.changelog] == ["2026-01-10", "2026-11-26", "2026-12-01"]
    assert course.text_only is True


def test_modules_are_ordered_by_folder_prefix(package):
    (package / M2).rename(package / "modules/00-before")
    edit(package, "assessment.yaml", "module: 02-next-steps", "module: 00-before")
    course = load_package(package)
    assert [(m.slug, m.position) for m in course.modules] == [("00-before", 1), ("01-first-steps", 2)]


def test_module_items_lessons_and_activities(package):
    module = load_package(package).modules[0]
    assert (module.slug, module.position) == ("01-first-steps", 1)
    assert module.title == {"es": "Primeros pasos", "en": "First steps"}
    assert module.items[:2] == [ItemRef("lesson", "01-welcome"), ItemRef("activity", "check-welcome")]
    assert [a.id for a in module.activities] == ["check-welcome", "dilemma-gift", "reflect-day", "pledge"]
    lesson = module.lessons[0]
    assert (lesson.slug, lesson.module, lesson.minutes) == ("01-welcome", "01-first-steps", 10)
    assert lesson.title == {"es": "Bienvenida", "en": "Welcome"}
    assert lesson.objectives == {"es": ["Conocer el curso."], "en": ["Get to know the course."]}
    assert lesson.markdown["en"].startswith("\nText. [example](https://example.org)")
    assert "title:" not in lesson.markdown["es"]


def test_activities_follow_items_order(package):
    edit(package, f"{M1}/module.yaml", "  - activity: check-welcome\n", "")
    edit(package, f"{M1}/module.yaml", "  - activity: pledge\n", "  - activity: pledge\n  - activity: check-welcome\n")
    assert [a.id for a in load_package(package).modules[0].activities] == [
        "dilemma-gift",
        "reflect-day",
        "pledge",
        "check-welcome",
    ]


def test_lesson_minutes_come_from_the_spanish_file(package):
    edit(package, f"{M1}/01-welcome.en.md", "minutes: 10", "minutes: 12")
    assert load_package(package).modules[0].lessons[0].minutes == 10


def test_activity_data_keeps_the_yaml_without_id_kind_required(package):
    dilemma = load_package(package).modules[0].activities[1]
    assert dilemma == ActivitySpec(id="dilemma-gift", kind="dilemma", required=True, data=dilemma.data)
    assert set(dilemma.data) == {"situation", "choices"}
    assert dilemma.data["situation"] == {"es": "Le ofrecen un regalo.", "en": "You are offered a gift."}
    assert dilemma.data["choices"][1]["recommended"] is True
    assert type(dilemma.data) is dict and type(dilemma.data["choices"]) is list


def test_final_assessment_and_media(package):
    course = load_package(package)
    assert (course.final_assessment.draw, course.final_assessment.per_module_minimum) == (2, 1)
    assert [q["id"] for q in course.final_assessment.bank] == ["q01", "q02"]
    assert course.final_assessment.bank[0]["options"][0] == {
        "id": "a",
        "text": {"es": "Correcta", "en": "Right"},
        "correct": True,
    }
    assert sorted(course.media) == ["media/form.pdf", "media/intro.mp4", "media/map.png"]
    assert course.media["media/intro.mp4"] == b"not really a video"


def test_no_assessment_file_means_no_final_assessment(package):
    (package / "assessment.yaml").unlink()
    edit(package, "course.yaml", "final_assessment: true", "final_assessment: false")
    assert load_package(package).final_assessment is None


def test_to_dict_is_json_ready(package):
    course = load_package(package)
    data = json.loads(json.dumps(course.to_dict()))
    assert data["slug"] == "demo-course"
    assert data["modules"][0]["items"][0] == {"kind": "lesson", "ref": "01-welcome"}
    assert data["modules"][0]["lessons"][0]["markdown"]["es"] == course.modules[0].lessons[0].markdown["es"]
    assert "tokens" not in data["modules"][0]["lessons"][0]  # only for rendering, never stored
    assert data["media"]["media/intro.mp4"]["size"] == len(b"not really a video")
    assert data["content_hash"] == course.content_hash
    for part in (
        course.modules[0],
        course.modules[0].lessons[0],
        course.modules[0].activities[0],
        course.final_assessment,
    ):
        json.dumps(part.to_dict())


def test_invalid_package_raises_with_every_problem(package):
    edit(package, "course.yaml", "pass_mark: 70", "pass_mark: 0")
    edit(package, f"{M1}/01-welcome.en.md", "minutes: 10", "minutes: 0")
    with pytest.raises(PackageInvalid) as raised:
        load_package(package)
    assert [(p.path, p.line) for p in raised.value.problems] == [
        ("demo-course/course.yaml", 26),
        (f"demo-course/{M1}/01-welcome.en.md", 3),
    ]
    assert str(raised.value.problems[0]) == "demo-course/course.yaml:26: 'pass_mark' must be between 1 and 100; got 0"


def test_problem_prints_as_path_line_message():
    assert str(Problem("citizen-integrity/course.yaml", 3, "unknown key 'pas_mark'")) == (
        "citizen-integrity/course.yaml:3: unknown key 'pas_mark'"
    )


def test_content_hash_is_stable_and_independent_of_location(package, tmp_path):
    copy = tmp_path / "elsewhere" / "renamed"
    shutil.copytree(package, copy)
    assert content_hash(package) == content_hash(package) == content_hash(copy)
    assert len(content_hash(package)) == 64
    assert load_package(package).content_hash == content_hash(package)


def test_content_hash_changes_with_any_byte_or_name(package):
    before = content_hash(package)
    edit(package, f"{M2}/01-practice.en.md", "Text.", "Text!")
    changed = content_hash(package)
    assert changed != before
    (package / "media/map.png").rename(package / "media/map2.png")
    assert content_hash(package) != changed


def test_content_hash_ignores_editor_junk(package):
    before = content_hash(package)
    write(package, ".DS_Store", b"\x00\x01")
    write(package, f"{M1}/01-welcome.es.md~", "backup")
    write(package, ".git/config", "[core]")
    assert content_hash(package) == before


def test_symbolic_links_are_reported_and_never_followed(package, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("outside", encoding="utf-8")
    before = content_hash(package)
    (package / "media/secret.txt").symlink_to(secret)
    assert content_hash(package) == before
    with pytest.raises(PackageInvalid) as raised:
        load_package(package)
    assert [str(p) for p in raised.value.problems] == [
        "demo-course/media/secret.txt:0: symbolic links are not allowed in a package"
    ]


@pytest.mark.parametrize("folder", sorted(p.name for p in COURSES.iterdir() if (p / "course.yaml").is_file()))
def test_every_real_course_loads(folder):
    course = load_package(COURSES / folder)
    assert course.slug == folder
    assert course.modules and all(module.lessons for module in course.modules)
    json.dumps(course.to_dict())
