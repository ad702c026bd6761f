"""validate_tree: every package of a folder, plus slugs, prerequisites and cycles across them."""

from pathlib import Path

from app.catalog.content import validate_tree
from tests.catalog import assert_problems, edit, line_of, no_database, write, write_package  # noqa: F401

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_the_real_courses_have_no_problems():
    assert [str(problem) for problem in validate_tree(COURSES)] == []


def two_courses(tmp_path):
    root = tmp_path / "courses"
    return root, write_package(root, "course-a"), write_package(root, "course-b")


def require(folder, *slugs):
    edit(folder, "course.yaml", "prerequisites: []", f"prerequisites: [{', '.join(slugs)}]")


def test_a_valid_tree_has_no_problems(tmp_path):
    root, _, course_b = two_courses(tmp_path)
    require(course_b, "course-a")
    assert validate_tree(root) == []


def test_files_and_folders_without_course_yaml_are_ignored(tmp_path):
    root, _, _ = two_courses(tmp_path)
    write(root, "README.md", "# Courses\n")
    write(root, "drafts/notes.txt", "later")
    assert validate_tree(root) == []


def test_problems_of_each_package_are_included(tmp_path):
    root, course_a, course_b = two_courses(tmp_path)
    edit(course_a, "course.yaml", "pass_mark: 70", "pass_mark: 700")
    edit(course_b, "course.yaml", "pass_mark: 70", "pass_mark: 0")
    line = line_of(course_a, "course.yaml", "pass_mark")
    assert_problems(
        validate_tree(root),
        ("course-a/course.yaml", line, "between 1 and 100"),
        ("course-b/course.yaml", line, "between 1 and 100"),
    )


def test_prerequisite_must_exist(tmp_path):
    root, course_a, _ = two_courses(tmp_path)
    require(course_a, "course-z")
    line = line_of(course_a, "course.yaml", "prerequisites")
    assert_problems(validate_tree(root), ("course-a/course.yaml", line, "prerequisite 'course-z' is not a course here"))


def test_prerequisite_cycle_is_reported_once(tmp_path):
    root, course_a, course_b = two_courses(tmp_path)
    require(course_a, "course-b")
    require(course_b, "course-a")
    line = line_of(course_a, "course.yaml", "prerequisites")
    assert_problems(
        validate_tree(root),
        ("course-a/course.yaml", line, "prerequisites form a cycle: course-a → course-b → course-a"),
    )


def test_longer_cycle_names_every_course(tmp_path):
    root, course_a, course_b = two_courses(tmp_path)
    course_c = write_package(root, "course-c")
    require(course_a, "course-b")
    require(course_b, "course-c")
    require(course_c, "course-a")
    problems = validate_tree(root)
    assert [p.message for p in problems] == ["prerequisites form a cycle: course-a → course-b → course-c → course-a"]


def test_slugs_must_be_unique(tmp_path):
    root, _, course_b = two_courses(tmp_path)
    edit(course_b, "course.yaml", "slug: course-b", "slug: course-a")
    assert_problems(
        validate_tree(root),
        ("course-b/course.yaml", 1, "slug 'course-a' must equal the folder name 'course-b'"),
        ("course-b/course.yaml", 1, "slug 'course-a' is also used by course-a/"),
    )


def test_a_prerequisite_whose_course_yaml_is_broken_is_not_reported_twice(tmp_path):
    root, course_a, course_b = two_courses(tmp_path)
    require(course_b, "course-a")
    (course_a / "course.yaml").write_text("slug: [course-a\n", encoding="utf-8")
    problems = validate_tree(root)
    assert [(p.path, p.line) for p in problems] == [("course-a/course.yaml", 2)]
    assert problems[0].message.startswith("YAML syntax error")
