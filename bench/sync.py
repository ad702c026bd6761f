"""Time `flask courses sync` on six generated courses of fifty lessons each."""

import shutil
import tempfile
import time
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parents[1] / "courses" / "using-the-academy"
COURSES, MODULES, LESSONS_PER_MODULE = 6, 5, 10


def measure_sync() -> tuple[float, int]:
    from flask_migrate import upgrade

    from app import create_app
    from app.catalog import services
    from app.extensions import db

    with tempfile.TemporaryDirectory(prefix="academy-sync-") as tmp:
        root = Path(tmp) / "courses"
        generate(root)
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/sync.db", "TESTING": True})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            services.sync_tree(root)
            db.session.commit()
            elapsed = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    return elapsed, COURSES * MODULES * LESSONS_PER_MODULE


def generate(root: Path):
    """Six valid packages made from the sample course's own lessons, questions and media."""
    sample_lessons = sorted(SAMPLE.glob("modules/*/*.es.md"))
    check = next(
        a
        for a in yaml.safe_load((SAMPLE / "modules/01-tu-cuenta/activities.yaml").read_text())
        if a["kind"] == "knowledge_check"
    )
    bank_question = yaml.safe_load((SAMPLE / "assessment.yaml").read_text())["bank"][0]
    for number in range(1, COURSES + 1):
        slug = f"generated-course-{number}"
        folder = root / slug
        shutil.copytree(SAMPLE / "media", folder / "media")
        course = yaml.safe_load((SAMPLE / "course.yaml").read_text())
        course["slug"] = slug
        (folder / "course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True))
        bank = []
        for module_number in range(1, MODULES + 1):
            module_slug = f"{module_number:02d}-module"
            module_dir = folder / "modules" / module_slug
            module_dir.mkdir(parents=True)
            items, activities = [], []
            for lesson_number in range(1, LESSONS_PER_MODULE + 1):
                source = sample_lessons[(lesson_number - 1) % len(sample_lessons)]
                lesson_slug = f"{lesson_number:02d}-lesson"
                for language in ("es", "en"):
                    text = source.with_name(source.name.replace(".es.md", f".{language}.md")).read_text()
                    (module_dir / f"{lesson_slug}.{language}.md").write_text(text)
                activity = dict(check, id=f"check-{module_number}-{lesson_number}")
                activities.append(activity)
                items += [{"lesson": lesson_slug}, {"activity": activity["id"]}]
            (module_dir / "module.yaml").write_text(
                yaml.safe_dump(
                    {
                        "title": {"es": f"Módulo {module_number}", "en": f"Module {module_number}"},
                        "summary": {"es": "Resumen.", "en": "Summary."},
                        "items": items,
                    },
                    allow_unicode=True,
                )
            )
            (module_dir / "activities.yaml").write_text(yaml.safe_dump(activities, allow_unicode=True))
            bank += [dict(bank_question, id=f"q-{module_number}-{n}", module=module_slug) for n in range(2)]
        (folder / "assessment.yaml").write_text(
            yaml.safe_dump({"draw": MODULES, "per_module_minimum": 1, "bank": bank}, allow_unicode=True)
        )
