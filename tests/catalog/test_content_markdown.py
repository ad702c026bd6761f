"""Lesson Markdown checks: raw HTML, images, link targets and the four ::: blocks."""

import pytest

from app.catalog.content import validate_package
from tests.catalog import M1, assert_problems, demo_package, line_of, no_database, write  # noqa: F401

LESSON = f"{M1}/01-welcome.en.md"
PATH = f"demo-course/{LESSON}"
FRONT = "---\ntitle: Welcome\nminutes: 10\nobjectives:\n  - Get to know the course.\n---\n"
FIRST_BODY_LINE = 7


def check_body(folder, body):
    """Replace the English lesson's body with *body* and validate; body line n is file line 6 + n."""
    write(folder, LESSON, FRONT + body)
    return validate_package(folder)


def test_body_lines_are_counted_from_the_top_of_the_md_file(package):
    problems = check_body(package, "Line one.\n\nA <br> here.\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 2, "raw HTML is not allowed (found '<br')"))


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        ("Text <b>bold</b> text.", "raw HTML is not allowed (found '<b')"),
        ("Closing </div> only.", "raw HTML is not allowed (found '</div')"),
        ("A comment <!-- hidden --> here.", "raw HTML is not allowed (found '<!--')"),
        ("<script>alert(1)</script>", "raw HTML is not allowed (found '<script')"),
        ("<SCRIPT src=x>", "raw HTML is not allowed (found '<SCRIPT')"),
        ("An image <img src=x onerror=alert(1)>", "raw HTML is not allowed (found '<img')"),
        ("In code too: `<br/>`", "raw HTML is not allowed (found '<br')"),
        ("<!DOCTYPE html>", "raw HTML is not allowed (found '<!D')"),
    ],
)
def test_raw_html_is_reported_at_its_md_line(package, snippet, fragment):
    problems = check_body(package, f"Intro.\n\n{snippet}\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 2, fragment))


@pytest.mark.parametrize("text", ["Prices rise when 3 < 5.", "Use a -> b and a <= b.", "Write to <info@example.org>"])
def test_angle_brackets_that_are_not_html_are_fine(package, text):
    assert check_body(package, text + "\n") == []


@pytest.mark.parametrize(
    "link", ["[click](javascript:alert(1))", "[click](JavaScript:alert(1))", "[click](java&#115;cript:alert(1))"]
)
def test_javascript_links_are_reported(package, link):
    problems = check_body(package, f"Intro.\n{link}\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 1, "unsafe link: 'javascript:' targets are not allowed"))


def test_data_urls_are_reported(package):
    problems = check_body(package, "![pixel](data:image/png;base64,AAAA)\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "unsafe link: 'data:' targets are not allowed"))


def test_image_needs_alt_text(package):
    problems = check_body(package, "Intro.\n\n![](media/map.png)\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 2, "image needs alternative text"))


def test_image_must_exist_in_media(package):
    problems = check_body(package, "![A map](media/missing.png)\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "image target 'media/missing.png' does not exist"))


@pytest.mark.parametrize(
    "target", ["../../../course.yaml", "media/../../../course.yaml", "/etc/passwd", "media\\..\\x.png"]
)
def test_targets_must_not_escape_the_package(package, target):
    problems = check_body(package, f"[file](<{target}>)\n")
    assert [(p.path, p.line) for p in problems] == [(PATH, FIRST_BODY_LINE)]
    assert "points outside the package" in problems[0].message


def test_relative_target_must_be_under_media(package):
    problems = check_body(package, "[the course](../../course.yaml)\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "points outside the package"))
    problems = check_body(package, "[sources](SOURCES.md)\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "must be a file under media/ or an https:// link"))


@pytest.mark.parametrize("target", ["http://example.org", "ftp://example.org/x", "//example.org/x"])
def test_external_links_must_be_https(package, target):
    problems = check_body(package, f"First.\nSee [this]({target}).\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 1, "must be an https:// link or mailto:"))


def test_external_images_must_be_https(package):
    problems = check_body(package, "![A map](http://example.org/map.png)\n")
    assert_problems(
        problems, (PATH, FIRST_BODY_LINE, "image target 'http://example.org/map.png' must be an https:// link")
    )


def test_link_lines_are_exact_inside_tables_and_lists(package):
    body = "| a | b |\n|---|---|\n| x | y |\n| [z](http://x.org) | w |\n\n- one\n- two [bad](http://y.org)\n"
    assert_problems(
        check_body(package, body),
        (PATH, FIRST_BODY_LINE + 3, "'http://x.org' must be an https:// link"),
        (PATH, FIRST_BODY_LINE + 6, "'http://y.org' must be an https:// link"),
    )


def test_safe_targets_pass(package):
    body = "[a](https://example.org) [b](mailto:x@example.org) [c](#top) [d](media/form.pdf) ![e](media/map.png)\n"
    assert check_body(package, body) == []
    write(package, "media/a form.pdf", b"%PDF")
    assert (
        check_body(package, "[form](<media/a form.pdf>) [same](media/a%20form.pdf)\n\n[ref]: <media/a form.pdf>\n")
        == []
    )


def test_unknown_block_name(package):
    problems = check_body(package, "::: warning\nCareful.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "unknown block '::: warning'"))


def test_unclosed_block(package):
    problems = check_body(package, "Intro.\n\n::: callout\nNever closed.\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 2, "'::: callout' block is never closed"))


def test_stray_closing_fence(package):
    problems = check_body(package, "Intro.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE + 1, "this ':::' line closes no block"))


def test_nested_block_with_the_same_fence_is_cut_short(package):
    body = "::: case A case\n::: callout\nInside.\n:::\n:::\n"
    assert_problems(
        check_body(package, body),
        (PATH, FIRST_BODY_LINE + 1, "'::: callout' block is cut short by the ':::' on line 10"),
        (PATH, FIRST_BODY_LINE + 4, "this ':::' line closes no block"),
    )


def test_nested_block_with_a_longer_outer_fence_is_fine(package):
    assert check_body(package, ":::: case A case\n::: callout\nInside.\n:::\n::::\n") == []


def test_fences_inside_code_blocks_are_not_blocks(package):
    assert check_body(package, "```\n::: warning\n```\n") == []


def test_case_needs_a_title(package):
    problems = check_body(package, "::: case\nA story.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "'::: case' needs a title"))


def test_callout_takes_no_title(package):
    problems = check_body(package, "::: callout Key idea\nText.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "'::: callout' takes nothing after its name"))


def test_video_needs_a_transcript(package):
    problems = check_body(package, "::: video media/intro.mp4\n\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "'::: video' needs its transcript"))


def test_video_target_must_exist(package):
    problems = check_body(package, "::: video media/missing.mp4\nTranscript.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "video target 'media/missing.mp4' does not exist"))


def test_video_may_be_an_https_link(package):
    assert check_body(package, "::: video https://video.example.org/v/1\nTranscript.\n:::\n") == []


def test_video_needs_a_target(package):
    problems = check_body(package, "::: video\nTranscript.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "'::: video' needs exactly one target"))


def test_download_must_be_a_media_file(package):
    problems = check_body(package, "::: download https://example.org/form.pdf\nA form.\n:::\n")
    assert_problems(
        problems, (PATH, FIRST_BODY_LINE, "download target 'https://example.org/form.pdf' must be a file under media/")
    )


def test_download_target_must_exist(package):
    problems = check_body(package, "::: download media/nothing.pdf\nA form.\n:::\n")
    assert_problems(problems, (PATH, FIRST_BODY_LINE, "download target 'media/nothing.pdf' does not exist"))


def test_every_problem_of_a_lesson_is_reported(package):
    problems = check_body(package, "<br>\n\n![](media/map.png)\n\n::: warning\n")
    lines = sorted(p.line for p in problems)
    assert lines == [FIRST_BODY_LINE, FIRST_BODY_LINE + 2, FIRST_BODY_LINE + 4, FIRST_BODY_LINE + 4]


def test_spanish_file_problems_point_at_the_spanish_file(package):
    spanish = f"{M1}/01-welcome.es.md"
    text = (package / spanish).read_text(encoding="utf-8").replace("Texto. [example]", "Texto <i>raro</i>. [example]")
    write(package, spanish, text)
    assert_problems(validate_package(package), (f"demo-course/{spanish}", line_of(package, spanish, "<i>"), "raw HTML"))
