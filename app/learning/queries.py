"""Read helpers: a learner's enrolments and their progress through a course version."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.orm import selectinload, undefer

from app.catalog import queries as catalog_queries
from app.core.database import read_connection
from app.extensions import db
from app.learning.item_statistics import AttemptRow
from app.learning.models import ActivityCompletion, AssessmentAttempt, Enrolment, LessonCompletion

FINAL = "final-assessment"


@dataclass(slots=True)
class Item:
    kind: str  # "lesson" | "activity" | "assessment"
    ref: str
    title: dict
    minutes: int
    is_required: bool
    is_done: bool
    activity_kind: str | None = None


@dataclass(slots=True)
class ModuleProgress:
    slug: str
    title: dict
    items: list[Item] = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return all(item.is_done for item in self.items if item.is_required)


@dataclass(slots=True)
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


def version_of(enrolment) -> catalog_queries.Structure:
    """What the learner's pages need of the enrolment's version, kept in memory (catalog.queries)."""
    return catalog_queries.get_structure(enrolment.version_id, enrolment.version_hash)


def progress(enrolment) -> Progress:
    """The outline of the enrolment's version with what is done: one query, the outline is kept in memory."""
    structure = version_of(enrolment)
    lessons_done, activities_done, passed = done_items(enrolment)
    require_lessons = structure.meta["completion"].get("lessons", "all") == "all"
    modules = []
    for module in structure.modules:
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
    final = Item("assessment", FINAL, {}, 15, True, passed) if structure.has_final_assessment else None
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
    # No rows become objects here, so the ORM's handling of the statement would be all cost.
    with read_connection() as connection:
        rows = connection.execute(_DONE_ITEMS, {"e": enrolment.id}).all()
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


_ENROLMENT = select(Enrolment).options(undefer(Enrolment.version_hash)).where(Enrolment.id == bindparam("id"))


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    """The enrolment with its version's content hash but not the version: what the learner's pages need
    of that is kept in memory (version_of)."""
    return db.session.execute(_ENROLMENT, {"id": enrolment_id}).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class EnrolmentFacts:
    """An enrolment as the pages that only read it use it: whose it is and which version it follows.

    A lesson page needs nothing else of it, and making the Enrolment object cost it more than the query.
    """

    id: int
    user_id: int
    version_id: int
    version_hash: str


_ENROLMENT_FACTS = select(Enrolment.id, Enrolment.user_id, Enrolment.version_id, Enrolment.version_hash).where(
    Enrolment.id == bindparam("id")
)


def get_enrolment_facts(enrolment_id: int) -> EnrolmentFacts | None:
    with read_connection() as connection:
        row = connection.execute(_ENROLMENT_FACTS, {"id": enrolment_id}).first()
    return EnrolmentFacts(*row) if row is not None else None


def list_enrolments(user) -> list[Enrolment]:
    return list(
        db.session.execute(
            select(Enrolment)
            .options(
                selectinload(Enrolment.course), selectinload(Enrolment.version), undefer(Enrolment.version_hash)
            )
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


_ATTEMPT = (
    select(AssessmentAttempt)
    .options(undefer(AssessmentAttempt.version_hash))
    .where(AssessmentAttempt.enrolment_id == bindparam("enrolment"), AssessmentAttempt.number == bindparam("number"))
)


def get_attempt(enrolment, number: int) -> AssessmentAttempt | None:
    return db.session.execute(_ATTEMPT, {"enrolment": enrolment.id, "number": number}).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class AttemptFacts:
    """An attempt as taking and submitting it use it: which questions were drawn from which version, the
    key that orders their answers, and whether it is still open. Marking reads nothing else, and the
    submission's conditional UPDATE decides from what is stored, not from these
    (learning.services.assessment.submit_attempt)."""

    id: int
    enrolment: EnrolmentFacts
    number: int
    status: str
    version_id: int
    version_hash: str
    question_ids: list
    shuffle_key: str

    @property
    def enrolment_id(self) -> int:
        return self.enrolment.id


_ATTEMPT_FACTS = select(
    AssessmentAttempt.id,
    AssessmentAttempt.number,
    AssessmentAttempt.status,
    AssessmentAttempt.version_id,
    AssessmentAttempt.version_hash,
    AssessmentAttempt.question_ids,
    AssessmentAttempt.shuffle_key,
).where(AssessmentAttempt.enrolment_id == bindparam("enrolment"), AssessmentAttempt.number == bindparam("number"))


def get_attempt_facts(enrolment: EnrolmentFacts, number: int) -> AttemptFacts | None:
    with read_connection() as connection:
        row = connection.execute(_ATTEMPT_FACTS, {"enrolment": enrolment.id, "number": number}).first()
    if row is None:
        return None
    attempt_id, *rest = row
    return AttemptFacts(attempt_id, enrolment, *rest)


def wait_between_attempts(enrolment) -> timedelta:
    return timedelta(hours=float(version_of(enrolment).rules.get("wait_hours_between_attempts") or 0))


# Attempts are read this many at a time, by id, so no statement holds a cursor or snapshot open for long.
ATTEMPT_BATCH = 1000


def submitted_attempt_rows(version_id: int, *, batch: int = ATTEMPT_BATCH) -> Iterator[AttemptRow]:
    """The drawn questions and results of every submitted attempt at *version_id*, streamed in batches.

    Keyset pages on the primary key rather than a server-side cursor: each page is one short statement
    on the read connection (an autocommit one on PostgreSQL, where a cursor would need a transaction
    held open for the whole page build), and only one page of rows is in memory at a time.
    """
    statement = (
        select(AssessmentAttempt.id, AssessmentAttempt.question_ids, AssessmentAttempt.results)
        .where(
            AssessmentAttempt.version_id == bindparam("version"),
            AssessmentAttempt.status == "submitted",
            AssessmentAttempt.id > bindparam("after"),
        )
        .order_by(AssessmentAttempt.id)
        .limit(bindparam("batch"))
    )
    after = 0
    while True:
        with read_connection() as connection:
            rows = connection.execute(statement, {"version": version_id, "after": after, "batch": batch}).all()
        for _id, question_ids, results in rows:
            yield AttemptRow(question_ids or [], results or {})
        if len(rows) < batch:
            return
        after = rows[-1][0]


def count_submitted_attempts_by_version() -> dict[int, int]:
    """{version id: submitted attempts}, for the versions that have any."""
    with read_connection() as connection:
        rows = connection.execute(
            select(AssessmentAttempt.version_id, func.count())
            .where(AssessmentAttempt.status == "submitted")
            .group_by(AssessmentAttempt.version_id)
        ).all()
    return dict(rows)
