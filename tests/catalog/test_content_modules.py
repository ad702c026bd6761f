"""Module folders and lessons: names, module.yaml items, lesson pairs and front matter."""

import shutil

import pytest

from app.catalog.content import validate_package
from tests.catalog import M1, M2, assert_problems, demo_package, edit, line_of, no_database, write  # noqa: F401

P = "demo-course"
MODULE = f"{M1}/module.yaml"
LESSON_ES = f"{M1}/01-welcome.es.md"


def test_module_folder_name_must_have_an_order_number(package):
    (package / M2).rename(package / "modules/next-steps")
    edit(package, "assessment.yaml", "module: 02-next-steps", "module: next-steps")
    assert_problems(
        validate_package(package), (f"{P}/modules/next-steps", 0, "module folder name must look like 01-module-name")
    )


def test_module_folder_name_must_be_lower_case(package):
    (package / M2).rename(package / "modules/02-Next_Steps")
    edit(package, "assessment.yaml", "module: 02-next-steps", "module: 02-Next_Steps")
    assert_problems(validate_package(package), (f"{P}/modules/02-Next_Steps", 0, "module folder name"))


def test_two_modules_with_the_same_order_number(package):
    (package / M2).rename(package / "modules/01-next-steps")
    edit(package, "assessment.yaml", "module: 02-next-steps", "module: 01-next-steps")
    assert_problems(validate_package(package), (f"{P}/modules/01-next-steps", 0, "order number 01 is also used"))


def test_lesson_file_name_must_match_the_pattern(package):
    write(package, f"{M1}/welcome.es.md", "---\ntitle: x\n---\n")
    assert_problems(
        validate_package(package),
        (f"{P}/{M1}/welcome.es.md", 0, "lesson file name must look like 01-lesson-name.es.md"),
    )


def test_lesson_file_in_an_unknown_language(package):
    write(package, f"{M1}/02-extra.fr.md", "---\ntitle: x\n---\n")
    assert_problems(validate_package(package), (f"{P}/{M1}/02-extra.fr.md", 0, "lesson file name must look like"))


def test_unexpected_file_in_a_module_folder(package):
    write(package, f"{M1}/notes.txt", "remember")
    assert_problems(validate_package(package), (f"{P}/{M1}/notes.txt", 0, "unexpected item"))


def test_editor_junk_is_ignored(package):
    write(package, f"{M1}/.01-welcome.es.md.swp", b"\x00")
    write(package, f"{M1}/01-welcome.es.md~", "old")
    write(package, ".DS_Store", b"\x00")
    assert validate_package(package) == []


def test_unexpected_file_in_modules(package):
    write(package, "modules/readme.txt", "hello")
    assert_problems(validate_package(package), (f"{P}/modules/readme.txt", 0, "modules/ holds only module folders"))


def test_missing_modules_folder(package):
    shutil.rmtree(package / "modules")
    assert_problems(
        validate_package(package),
        (f"{P}/modules", 0, "folder is missing"),
        (f"{P}/assessment.yaml", line_of(package, "assessment.yaml", "01-first-steps"), "not a module folder"),
        (f"{P}/assessment.yaml", line_of(package, "assessment.yaml", "02-next-steps"), "not a module folder"),
    )


def test_missing_module_yaml(package):
    (package / MODULE).unlink()
    assert_problems(validate_package(package), (f"{P}/{MODULE}", 0, "file is missing"))


def test_module_yaml_unknown_key(package):
    edit(package, MODULE, "items:", "colour: blue\nitems:")
    assert_problems(
        validate_package(package), (f"{P}/{MODULE}", line_of(package, MODULE, "colour"), "unknown key 'colour'")
    )


def test_module_title_must_be_bilingual(package):
    edit(package, MODULE, "  en: First steps\n", "")
    assert_problems(validate_package(package), (f"{P}/{MODULE}", 2, "'title' is missing its 'en' text"))


def test_item_refers_to_a_lesson_that_does_not_exist(package):
    edit(package, MODULE, "lesson: 01-welcome", "lesson: 01-welcom")
    assert_problems(
        validate_package(package),
        (f"{P}/{MODULE}", line_of(package, MODULE, "01-welcom"), "lesson '01-welcom' does not exist"),
        (f"{P}/{MODULE}", line_of(package, MODULE, "items:"), "lesson '01-welcome' is not listed in items"),
    )


def test_item_refers_to_an_activity_of_another_module(package):
    edit(package, MODULE, "activity: reflect-day", "activity: check-practice")
    assert_problems(
        validate_package(package),
        (f"{P}/{MODULE}", line_of(package, MODULE, "check-practice"), "activity 'check-practice' does not exist"),
        (f"{P}/{MODULE}", line_of(package, MODULE, "items:"), "activity 'reflect-day' is not listed in items"),
    )


def test_lesson_listed_twice(package):
    edit(package, MODULE, "  - activity: pledge\n", "  - activity: pledge\n  - lesson: 01-welcome # again\n")
    assert_problems(
        validate_package(package), (f"{P}/{MODULE}", line_of(package, MODULE, "# again"), "listed more than once")
    )


def test_activity_listed_twice(package):
    edit(package, MODULE, "  - activity: pledge\n", "  - activity: pledge\n  - activity: pledge # again\n")
    assert_problems(
        validate_package(package), (f"{P}/{MODULE}", line_of(package, MODULE, "# again"), "listed more than once")
    )


def test_activity_not_used_in_items(package):
    edit(package, MODULE, "  - activity: pledge\n", "")
    assert_problems(
        validate_package(package),
        (f"{P}/{MODULE}", line_of(package, MODULE, "items:"), "activity 'pledge' is not listed"),
    )


def test_lesson_not_used_in_items(package):
    write(package, f"{M1}/02-extra.es.md", (package / LESSON_ES).read_text(encoding="utf-8"))
    write(package, f"{M1}/02-extra.en.md", (package / LESSON_ES).read_text(encoding="utf-8"))
    assert_problems(
        validate_package(package),
        (f"{P}/{MODULE}", line_of(package, MODULE, "items:"), "lesson '02-extra' is not listed"),
    )


@pytest.mark.parametrize(
    "item", ["  - lesson: 01-welcome\n    activity: pledge\n", "  - quiz: final\n", "  - 01-welcome\n"]
)
def test_item_must_be_one_lesson_or_one_activity(package, item):
    edit(package, MODULE, "  - lesson: 01-welcome\n", item)
    line = line_of(package, MODULE, item.split("\n")[0].strip())
    problems = [p for p in validate_package(package) if "not listed" not in p.message]
    assert_problems(problems, (f"{P}/{MODULE}", line, "each item must be either 'lesson:"))


def test_lesson_with_only_one_language(package):
    (package / f"{M1}/01-welcome.en.md").unlink()
    assert_problems(
        validate_package(package),
        (f"{P}/{M1}/01-welcome.en.md", 0, "file is missing: lesson '01-welcome' has a .es.md"),
    )


def test_lesson_without_front_matter(package):
    write(package, LESSON_ES, "# Bienvenida\n\nTexto.\n")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 1, "must start with front matter"))


def test_lesson_with_unclosed_front_matter(package):
    edit(package, LESSON_ES, "---\n\n", "\n")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 1, "must start with front matter"))


def test_front_matter_unknown_key(package):
    edit(package, LESSON_ES, "minutes: 10\n", "minutes: 10\nduration: 10\n")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 4, "unknown key 'duration'"))


def test_front_matter_missing_title(package):
    edit(package, LESSON_ES, "title: Bienvenida\n", "")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 2, "missing required key 'title'"))


@pytest.mark.parametrize(
    ("minutes", "fragment"), [("0", "at least 1"), ("ten", "whole number"), ("7.5", "whole number")]
)
def test_front_matter_minutes_must_be_a_positive_whole_number(package, minutes, fragment):
    edit(package, LESSON_ES, "minutes: 10", f"minutes: {minutes}")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 3, fragment))


def test_front_matter_objectives_must_not_be_empty(package):
    edit(package, LESSON_ES, "objectives:\n  - Conocer el curso.\n", "objectives: []\n")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 4, "'objectives' must have at least 1 item"))


def test_front_matter_objective_must_be_text(package):
    edit(package, LESSON_ES, "  - Conocer el curso.\n", "  - Conocer el curso.\n  - \n")
    assert_problems(validate_package(package), (f"{P}/{LESSON_ES}", 6, "objective 2 must be a non-empty sentence"))


def test_front_matter_syntax_error_uses_the_md_file_line(package):
    edit(package, LESSON_ES, "minutes: 10\n", "minutes: [10\n")
    problems = validate_package(package)
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line) == (f"{P}/{LESSON_ES}", 4)
    assert problems[0].message.startswith("YAML syntax error")


def test_unreadable_activities_yaml_does_not_flood_module_yaml(package):
    edit(package, f"{M1}/activities.yaml", "- id: pledge\n", "- id: [pledge\n")
    problems = validate_package(package)
    assert [p.path for p in problems] == [f"{P}/{M1}/activities.yaml"]
