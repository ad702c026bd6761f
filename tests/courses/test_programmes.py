"""The five programmes are complete, bilingual, sourced and sized as the mission asks."""

import re
from pathlib import Path

import pytest
import yaml

from app.catalog import content
from tests.courses.readability import fernandez_huerta, plain_text, syllables

COURSES = Path(__file__).resolve().parents[2] / "courses"
# slug: (minimum Spanish lesson words, minimum bank size, minimum modules)
PROGRAMMES = {
    "integrity-induction": (9000, 40, 8),
    "train-the-trainer": (8000, 30, 6),
    "governor-induction": (5000, 25, 6),
    "citizen-integrity": (5000, 25, 6),
    "business-integrity": (5000, 25, 6),
}
# Upper case only for the markers: "todo" is an ordinary Spanish word.
PLACEHOLDERS = re.compile(r"\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|(?i:lorem ipsum)|(?i:\[insert)|(?i:\[pendiente)")


def _words(files) -> int:
    return sum(len(plain_text(path.read_text()).split()) for path in files)


@pytest.fixture(scope="module", params=sorted(PROGRAMMES))
def package(request):
    return content.load_package(COURSES / request.param)


def test_every_programme_validates(package):
    assert content.validate_package(COURSES / package.slug) == []


def test_sizes_reach_the_floors_and_english_stays_within_20_percent(package):
    minimum_words, minimum_bank, minimum_modules = PROGRAMMES[package.slug]
    folder = COURSES / package.slug
    spanish, english = _words(folder.glob("modules/*/*.es.md")), _words(folder.glob("modules/*/*.en.md"))
    assert spanish >= minimum_words
    assert 0.8 * spanish <= english <= 1.2 * spanish
    assert len(package.final_assessment.bank) >= minimum_bank
    assert len(package.modules) >= minimum_modules


def test_every_lesson_has_objectives_a_regional_case_and_is_followed_by_a_knowledge_check(package):
    for module in package.modules:
        activities = {a.id: a for a in module.activities}
        items = module.items
        for index, item in enumerate(items):
            if item.kind != "lesson":
                continue
            lesson = next(lesson for lesson in module.lessons if lesson.slug == item.ref)
            assert lesson.objectives["es"] and lesson.objectives["en"]
            for language in ("es", "en"):
                assert "::: case" in lesson.markdown[language], (module.slug, lesson.slug, language)
            following = items[index + 1] if index + 1 < len(items) else None
            assert following is not None and following.kind == "activity", (module.slug, lesson.slug)
            assert activities[following.ref].kind == "knowledge_check" and activities[following.ref].required


def test_every_module_has_a_dilemma_with_feedback_on_each_choice(package):
    for module in package.modules:
        dilemmas = [a for a in module.activities if a.kind == "dilemma"]
        assert dilemmas, module.slug
        for dilemma in dilemmas:
            assert all(
                choice["consequence"]["es"] and choice["consequence"]["en"] for choice in dilemma.data["choices"]
            )


def test_every_module_ends_with_a_summary(package):
    for module in package.modules:
        last = module.lessons[-1]
        assert re.search(r"^##\s+Resumen", last.markdown["es"], re.M), module.slug
        assert re.search(r"^##\s+Summary", last.markdown["en"], re.M), module.slug


def test_every_bank_question_is_bilingual_and_explained(package):
    for question in package.final_assessment.bank:
        assert question["prompt"]["es"] and question["prompt"]["en"]
        assert question["explanation"]["es"] and question["explanation"]["en"]


def test_sources_are_listed_module_by_module(package):
    sources = (COURSES / package.slug / "SOURCES.md").read_text()
    sections = re.findall(r"^##\s+.+$", sources, re.M)
    assert len(sections) >= len(package.modules)
    assert "FACTS.md" in sources or "OECD" in sources or "OCDE" in sources


def test_no_placeholder_text_anywhere(package):
    for path in (COURSES / package.slug).rglob("*"):
        if path.suffix in (".md", ".yaml"):
            assert not PLACEHOLDERS.search(path.read_text()), path


def test_the_induction_matches_the_mission():
    induction = yaml.safe_load((COURSES / "integrity-induction" / "course.yaml").read_text())
    assessment = yaml.safe_load((COURSES / "integrity-induction" / "assessment.yaml").read_text())
    assert induction["certificate"] == {"type": "induction", "validity_months": 24}
    assert induction["assessment"]["pass_mark"] == 70 and assessment["draw"] == 20
    package = content.load_package(COURSES / "integrity-induction")
    # The course ends with the signed pledge, then the personal action plan the official takes away.
    ending = [(activity.kind, activity.required) for activity in package.modules[-1].activities[-2:]]
    assert ending == [("pledge", True), ("action_plan", True)]


def test_the_citizen_course_reads_at_a_plain_language_level():
    text = "\n".join(
        plain_text(p.read_text()) for p in sorted((COURSES / "citizen-integrity").glob("modules/*/*.es.md"))
    )
    assert fernandez_huerta(text) >= 60


@pytest.mark.parametrize(
    ("word", "count"),
    [("casa", 2), ("lee", 2), ("cuidado", 3), ("país", 2), ("integridad", 4), ("ciudadanía", 5), ("corrupción", 3)],
)
def test_the_syllable_counter_handles_diphthongs_and_hiatus(word, count):
    assert syllables(word) == count
