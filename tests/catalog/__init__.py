"""A small valid course package that each content test writes to tmp_path and breaks in one place."""

import textwrap
from pathlib import Path

import pytest

SLUG = "demo-course"
M1 = "modules/01-first-steps"
M2 = "modules/02-next-steps"

COURSE = """\
slug: {slug}
programme: induction
title:
  es: Curso de prueba
  en: Demo course
summary:
  es: Un curso pequeño para las pruebas.
  en: A small course for the tests.
outcomes:
  - es: Primer logro.
    en: First outcome.
  - es: Segundo logro.
    en: Second outcome.
  - es: Tercer logro.
    en: Third outcome.
audience:
  public: false
  roles: [learner, integrity_officer]
  organisation_kinds: [regional_government, entity]
estimated_hours: 1.5
completion:
  lessons: all
  activities: required
  final_assessment: true
assessment:
  pass_mark: 70
  attempts_allowed: 3
  wait_hours_between_attempts: 24
certificate:
  type: induction
  validity_months: 24
prerequisites: []
changelog:
  - date: 2026-11-26
    text_only: false
    note:
      es: Primera versión.
      en: First version.
"""

MODULE_1 = """\
title:
  es: Primeros pasos
  en: First steps
summary:
  es: Lo básico.
  en: The basics.
items:
  - lesson: 01-welcome
  - activity: check-welcome
  - activity: dilemma-gift
  - activity: reflect-day
  - activity: pledge
"""

ACTIVITIES_1 = """\
- id: check-welcome
  kind: knowledge_check
  required: true
  questions:
    - id: welcome-1
      type: single
      prompt: {es: "¿Cuál?", en: "Which one?"}
      options:
        - id: a
          text: {es: Esta, en: This one}
          correct: true
          feedback: {es: Bien., en: Right.}
        - id: b
          text: {es: Aquella, en: That one}
          correct: false
    - id: welcome-2
      type: multiple
      prompt: {es: "¿Cuáles?", en: "Which ones?"}
      options:
        - {id: a, text: {es: Uno, en: One}, correct: true}
        - {id: b, text: {es: Dos, en: Two}, correct: true}
        - {id: c, text: {es: Tres, en: Three}, correct: false}
        - {id: d, text: {es: Cuatro, en: Four}, correct: false}
    - id: welcome-3
      type: true_false
      prompt: {es: "¿Cierto?", en: "True?"}
      answer: false
      feedback: {es: Es falso., en: It is false.}
    - id: welcome-4
      type: ordering
      prompt: {es: Ordena., en: Put in order.}
      options:
        - {id: a, text: {es: Primero, en: First}}
        - {id: b, text: {es: Segundo, en: Second}}
    - id: welcome-5
      type: matching
      prompt: {es: Relaciona., en: Match.}
      pairs:
        - {id: a, left: {es: Perú, en: Peru}, right: {es: Lima, en: Lima}}
        - {id: b, left: {es: Chile, en: Chile}, right: {es: Santiago, en: Santiago}}
- id: dilemma-gift
  kind: dilemma
  required: true
  situation: {es: Le ofrecen un regalo., en: You are offered a gift.}
  choices:
    - id: a
      text: {es: Lo aceptas., en: You accept it.}
      consequence: {es: Mal., en: Bad.}
    - id: b
      text: {es: Lo rechazas., en: You refuse it.}
      consequence: {es: Bien., en: Good.}
      recommended: true
- id: reflect-day
  kind: reflection
  required: false
  prompt: {es: "¿Qué aprendiste?", en: "What did you learn?"}
- id: pledge
  kind: pledge
  required: true
  statement: {es: Me comprometo., en: I commit.}
"""

LESSON_1 = """\
---
title: {title}
minutes: 10
objectives:
  - {objective}
---

{text} [example](https://example.org) [mail](mailto:info@example.org) [top](#top)

![{alt}](media/map.png)

::: callout
{text}
:::

::: case {case}
{text}
:::

::: video media/intro.mp4
{text}
:::

::: download media/form.pdf
{text}
:::
"""

MODULE_2 = """\
title: {es: Siguientes pasos, en: Next steps}
summary: {es: Práctica., en: Practice.}
items:
  - lesson: 01-practice
  - activity: check-practice
"""

ACTIVITIES_2 = """\
- id: check-practice
  kind: knowledge_check
  required: true
  questions:
    - id: practice-1
      type: true_false
      prompt: {es: "¿Sí?", en: "Yes?"}
      answer: true
"""

LESSON_2 = """\
---
title: {title}
minutes: 5
objectives:
  - {objective}
---

{text}
"""

ASSESSMENT = """\
draw: 2
per_module_minimum: 1
bank:
  - id: q01
    module: 01-first-steps
    type: single
    prompt: {es: "¿Pregunta uno?", en: "Question one?"}
    options:
      - {id: a, text: {es: Correcta, en: Right}, correct: true}
      - {id: b, text: {es: Incorrecta, en: Wrong}, correct: false}
    explanation: {es: Porque sí., en: Because.}
  - id: q02
    module: 02-next-steps
    type: true_false
    prompt: {es: "¿Verdadero?", en: "True?"}
    answer: true
"""


def package_files(slug: str = SLUG) -> dict[str, str | bytes]:
    """Relative path -> content of the valid demo package."""
    es = {"title": "Bienvenida", "objective": "Conocer el curso.", "text": "Texto.", "alt": "Mapa", "case": "Un caso"}
    en = {"title": "Welcome", "objective": "Get to know the course.", "text": "Text.", "alt": "Map", "case": "A case"}
    return {
        "course.yaml": COURSE.format(slug=slug),
        "SOURCES.md": "# Sources\n",
        "assessment.yaml": ASSESSMENT,
        "media/map.png": b"\x89PNG\r\n\x1a\nnot really a picture",
        "media/intro.mp4": b"not really a video",
        "media/form.pdf": b"%PDF-1.4 not really a document",
        f"{M1}/module.yaml": MODULE_1,
        f"{M1}/activities.yaml": ACTIVITIES_1,
        f"{M1}/01-welcome.es.md": LESSON_1.format(**es),
        f"{M1}/01-welcome.en.md": LESSON_1.format(**en),
        f"{M2}/module.yaml": MODULE_2,
        f"{M2}/activities.yaml": ACTIVITIES_2,
        f"{M2}/01-practice.es.md": LESSON_2.format(title="Práctica", objective="Practicar.", text="Texto."),
        f"{M2}/01-practice.en.md": LESSON_2.format(title="Practice", objective="Practise.", text="Text."),
    }


def write_package(root: Path, slug: str = SLUG) -> Path:
    """Write the valid demo package to root/<slug> and return its folder."""
    folder = root / slug
    for relative, content in package_files(slug).items():
        write(folder, relative, content)
    return folder


def write(folder: Path, relative: str, content: str | bytes) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    return path


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    """Replace the single occurrence of *old*: a test that breaks the package must break it on purpose."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write_whole_bank_and_check(folder: Path, bank: list[str], check: list[str]) -> None:
    """Give the package a final bank drawn whole by every attempt, and one knowledge check in its second
    module; *bank* and *check* are questions as YAML list items (two-space indent, as in a bank)."""
    write(folder, "assessment.yaml", f"draw: {len(bank)}\nper_module_minimum: 1\nbank:\n" + "\n".join(bank) + "\n")
    activities = "- id: check-practice\n  kind: knowledge_check\n  required: true\n  questions:\n"
    nested = "\n".join("  " + line for question in check for line in question.split("\n"))
    write(folder, "modules/02-next-steps/activities.yaml", activities + nested + "\n")


def line_of(folder: Path, relative: str, needle: str) -> int:
    """The 1-based line of the only line containing *needle*."""
    lines = (folder / relative).read_text(encoding="utf-8").split("\n")
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {relative}"
    return found[0]


def problems_as_tuples(problems) -> list[tuple[str, int, str]]:
    return [(problem.path, problem.line, problem.message) for problem in problems]


def assert_problems(problems, *expected: tuple[str, int, str]) -> None:
    """*problems* are exactly *expected*: (path, line, a substring of the message) each, in any order."""
    remaining = list(problems)
    for path, line, fragment in expected:
        match = next((p for p in remaining if p.path == path and p.line == line and fragment in p.message), None)
        assert match is not None, f"no problem {path}:{line}: …{fragment}… in {[str(p) for p in problems]}"
        remaining.remove(match)
    assert not remaining, f"unexpected problems: {[str(p) for p in remaining]}"


@pytest.fixture(name="db_session")
def no_database():
    """The content library is pure Python: its tests need neither the app nor the suite's database.

    tests/conftest.py gives every test a rolled-back transaction (autouse), which builds the whole
    app first; the content test modules import this no-op fixture of the same name instead.
    Modules import these two fixtures as ``no_database`` and ``demo_package``.
    """
    yield None


@pytest.fixture(name="package")
def demo_package(tmp_path) -> Path:
    """A fresh valid demo package in tmp_path/courses/demo-course."""
    return write_package(tmp_path / "courses")
