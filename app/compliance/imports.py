"""Importing an organisation's roster: first a dry run that says what would change, then the same rows
written in the caller's transaction, all or none. Importing the same file again changes nothing.

A person missing from a file is not taken for a leaver: a roster may list only this month's hires.
Leavers are those whose row carries an end date; they are marked, never deleted.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.compliance.models import Appointment, Official
from app.compliance.roster import Roster, RosterRow, RowError, read_roster
from app.core.models import utcnow
from app.extensions import db

# What a roster row sets on the person and on their post, compared to tell a changed row from the same one.
OFFICIAL_FIELDS = ("given_names", "surnames", "email")
APPOINTMENT_FIELDS = ("unit", "position", "regime", "hire_date", "end_date")


@dataclass
class ImportPlan:
    """What importing the roster would do; empty lists and no errors mean nothing to do."""

    roster: Roster
    errors: list[RowError] = field(default_factory=list)
    new: list[RosterRow] = field(default_factory=list)
    changed: list[RosterRow] = field(default_factory=list)
    leaving: list[RosterRow] = field(default_factory=list)
    unchanged: list[RosterRow] = field(default_factory=list)

    @property
    def can_commit(self) -> bool:
        return not self.errors


def plan_import(organisation, data: bytes, filename: str = "") -> ImportPlan:
    """The dry run: every error of the file and of what the database knows, and the counts of the change."""
    roster = read_roster(data, filename)
    plan = ImportPlan(roster=roster, errors=list(roster.errors))
    if not roster.rows:
        return plan
    officials = _officials_by_dni([row.dni for row in roster.rows])
    owners = _official_dni_by_email([row.email for row in roster.rows])
    posts = _appointments(organisation.id, [official.id for official in officials.values()])
    for row in roster.rows:
        owner = owners.get(row.email)
        if owner is not None and owner != row.dni:
            plan.errors.append(
                RowError(row.row, _email_column(roster), _l("This e-mail address belongs to another person."))
            )
            continue
        official = officials.get(row.dni)
        post = posts.get(official.id) if official else None
        if post is None:
            plan.new.append(row)
        elif _differs(official, OFFICIAL_FIELDS, row) or _differs(post, APPOINTMENT_FIELDS, row):
            (plan.leaving if row.end_date and post.end_date != row.end_date else plan.changed).append(row)
        else:
            plan.unchanged.append(row)
    plan.errors.sort(key=lambda error: error.row or 0)
    return plan


def commit_import(organisation, plan: ImportPlan) -> None:
    """Write what the plan found, in the caller's transaction; refuses a plan with errors. Flushes, never commits."""
    if not plan.can_commit:
        raise ValueError("a roster with errors is not imported")
    now = utcnow()
    rows = plan.new + plan.changed + plan.leaving
    officials = _officials_by_dni([row.dni for row in rows])
    posts = _appointments(organisation.id, [official.id for official in officials.values()])
    for row in rows:
        official = officials.get(row.dni)
        if official is None:
            official = officials[row.dni] = Official(dni=row.dni, created_at=now)
            db.session.add(official)
        _copy(official, OFFICIAL_FIELDS, row, now)
    db.session.flush()  # once for every new person, not once a row: a roster may hold ten thousand
    for row in rows:
        official = officials[row.dni]
        post = posts.get(official.id)
        if post is None:
            post = posts[official.id] = Appointment(
                official_id=official.id, organisation_id=organisation.id, created_at=now
            )
            db.session.add(post)
        _copy(post, APPOINTMENT_FIELDS, row, now)
    db.session.flush()


def _differs(record, fields, row: RosterRow) -> bool:
    return any(getattr(record, name) != getattr(row, name) for name in fields)


def _copy(record, fields, row: RosterRow, now) -> None:
    if _differs(record, fields, row):
        for name in fields:
            setattr(record, name, getattr(row, name))
        record.updated_at = now


def _officials_by_dni(dnis: list[str]) -> dict[str, Official]:
    found = {}
    for chunk in _chunks(dnis):
        found.update(
            (official.dni, official) for official in db.session.scalars(select(Official).where(Official.dni.in_(chunk)))
        )
    return found


def _official_dni_by_email(emails: list[str]) -> dict[str, str]:
    found = {}
    for chunk in _chunks(emails):
        found.update(db.session.execute(select(Official.email, Official.dni).where(Official.email.in_(chunk))).all())
    return found


def _appointments(organisation_id: int, official_ids: list[int]) -> dict[int, Appointment]:
    found = {}
    for chunk in _chunks(official_ids):
        query = select(Appointment).where(
            Appointment.organisation_id == organisation_id, Appointment.official_id.in_(chunk)
        )
        found.update((post.official_id, post) for post in db.session.scalars(query))
    return found


def _chunks(values: list, size: int = 500):
    """Lists for IN (…): SQLite allows a limited number of bound parameters per statement."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _email_column(roster: Roster) -> str:
    return roster.column_names.get("email", "email")
