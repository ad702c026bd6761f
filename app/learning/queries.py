"""Read helpers: a learner's enrolments and their progress through a course version."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.orm import selectinload

from app.catalog import queries as catalog_queries
from app.extensions import db
from app.learning.models import ActivityCompletion, AssessmentAttempt, Enrolment, LessonCompletion

FINAL = "final-assessment"


@dataclass
class Item:
    kind: str  # "lesson" | "activity" | "assessment"
    ref: str
    title: dict
    minutes: int
    is_required: bool
    is_done: bool
    activity_kind: str | None = None
    url: str = ""
    label: str = ""


@dataclass
class ModuleProgress:
    slug: str
    title: dict
    items: list[Item] = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return all(item.is_done for item in self.items if item.is_required)


@dataclass
class Progress:
    modules: list[ModuleProgress]
    final: Item | None

    @property
    def required_items(self) -> list[Item]:
        items = [item for module in self.modules for item in module.items if item.is_required]
        return items + ([self.final] if self.final else [])

    @property
    def ratio(self) -> float:
        required = self.required_items
        return sum(item.is_done for item in required) / len(required) if required else 1.0

    @property
    def is_complete(self) -> bool:
        return all(item.is_done for item in self.required_items)

    @property
    def minutes_left(self) -> int:
        return sum(item.minutes for module in self.modules for item in module.items if not item.is_done)

    @property
    def next_item(self) -> Item | None:
        """Where the learner stopped: the first required thing not done, in course order."""
        for item in self.required_items:
            if not item.is_done:
                return item
        return None


def progress(enrolment) -> Progress:
    """The outline of the enrolment's version with what is done: one query, the outline is cached."""
    version = enrolment.version
    structure = catalog_queries.get_structure(version)
    lessons_done, activities_done, passed = done_items(enrolment)
    require_lessons = version.meta["completion"].get("lessons", "all") == "all"
    modules = []
    for module in version.modules:
        progress_module = ModuleProgress(slug=module["slug"], title=module["title"])
        for ref in module["items"]:
            if ref["kind"] == "lesson":
                lesson = structure.lessons[ref["ref"]]
                progress_module.items.append(
                    Item(
                        "lesson", lesson.key, lesson.title, lesson.minutes, require_lessons, lesson.key in lessons_done
                    )
                )
            else:
                activity = structure.activities[ref["ref"]]
                progress_module.items.append(
                    Item(
                        "activity",
                        activity.activity_id,
                        {},
                        3,
                        activity.is_required,
                        activity.activity_id in activities_done,
                        activity.kind,
                    )
                )
        modules.append(progress_module)
    final = Item("assessment", FINAL, {}, 15, True, passed) if version.has_final_assessment else None
    return Progress(modules, final)


_DONE_ITEMS = union_all(
    select(literal("lesson"), LessonCompletion.lesson_key).where(LessonCompletion.enrolment_id == bindparam("e")),
    select(literal("activity"), ActivityCompletion.activity_id).where(
        ActivityCompletion.enrolment_id == bindparam("e")
    ),
    select(literal("passed"), literal("")).where(
        AssessmentAttempt.enrolment_id == bindparam("e"), AssessmentAttempt.passed.is_(True)
    ),
)


def done_items(enrolment) -> tuple[set, set, bool]:
    """Lessons read, activities done and whether the final was passed, in one round trip."""
    rows = db.session.execute(_DONE_ITEMS, {"e": enrolment.id}).all()
    lessons = {ref for kind, ref in rows if kind == "lesson"}
    activities = {ref for kind, ref in rows if kind == "activity"}
    return lessons, activities, any(kind == "passed" for kind, _ in rows)


def has_passed(enrolment) -> bool:
    return (
        db.session.execute(
            select(AssessmentAttempt.id).where(
                AssessmentAttempt.enrolment_id == enrolment.id, AssessmentAttempt.passed.is_(True)
            )
        ).first()
        is not None
    )


def list_enrolments(user) -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment)
            .options(selectinload(Enrolment.course), selectinload(Enrolment.version))
            .where(Enrolment.user_id == user.id, Enrolment.status != "withdrawn")
            .order_by(Enrolment.enrolled_at.desc())
        ).scalars()
    )


def find_enrolment(user, course) -> Enrolment | None:
    return db.session.execute(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id, Enrolment.cycle == 1)
    ).scalar_one_or_none()


def get_activity_completion(enrolment, activity_id: str) -> ActivityCompletion | None:
    return db.session.execute(
        select(ActivityCompletion).where(
            ActivityCompletion.enrolment_id == enrolment.id, ActivityCompletion.activity_id == activity_id
        )
    ).scalar_one_or_none()


def list_attempts(enrolment) -> list[AssessmentAttempt]:
    return list(
        db.session.execute(
            select(AssessmentAttempt)
            .where(AssessmentAttempt.enrolment_id == enrolment.id)
            .order_by(AssessmentAttempt.number)
        ).scalars()
    )


def get_attempt(enrolment, number: int) -> AssessmentAttempt | None:
    return db.session.execute(
        select(AssessmentAttempt).where(
            AssessmentAttempt.enrolment_id == enrolment.id, AssessmentAttempt.number == number
        )
    ).scalar_one_or_none()


def wait_between_attempts(enrolment) -> timedelta:
    return timedelta(hours=float(enrolment.version.rules.get("wait_hours_between_attempts") or 0))
