"""Importing a roster: the dry run's counts, the commit, all rows or none, and the same file again changing nothing."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.compliance import imports
from app.compliance.models import Appointment, Official
from app.extensions import db
from app.organisations import queries

HEADER = "DNI;Nombres;Apellidos;Correo;Cargo;Unidad;Régimen;Fecha de ingreso;Fecha de cese"
ROSA = "45678912;Rosa;Quispe Mamani;rosa.quispe@gore.gob.pe;Asistente;Logística;CAS;02/01/2027;"
JUAN = "10117410;Juan;Ccori Huamán;juan.ccori@gore.gob.pe;Jefe;Presupuesto;D.Leg. 276;2026-11-15;"


def _file(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode()


@pytest.fixture
def gore(app):
    with app.test_request_context(), force_locale("es"):
        yield queries.get_by_code("GORE-08")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _import(organisation, data):
    plan = imports.plan_import(organisation, data)
    imports.commit_import(organisation, plan)
    db.session.commit()
    return plan


def test_the_dry_run_counts_the_new_staff_and_writes_nothing(gore):
    plan = imports.plan_import(gore, _file(ROSA, JUAN))
    assert plan.can_commit and [row.dni for row in plan.new] == ["45678912", "10117410"]
    assert _count(Official) == 0 and _count(Appointment) == 0


def test_the_commit_writes_each_person_and_their_post_and_the_same_file_again_changes_nothing(gore):
    _import(gore, _file(ROSA, JUAN))
    rosa = db.session.scalar(select(Official).where(Official.dni == "45678912"))
    (post,) = rosa.appointments
    assert (post.organisation_id, post.unit, post.regime, post.end_date) == (gore.id, "Logística", "cas", None)
    stamp = post.updated_at
    again = imports.plan_import(gore, _file(ROSA, JUAN))
    assert (len(again.new), len(again.changed), len(again.leaving), len(again.unchanged)) == (0, 0, 0, 2)
    imports.commit_import(gore, again)
    db.session.commit()
    assert db.session.get(Appointment, post.id).updated_at == stamp
    assert _count(Official) == 2 and _count(Appointment) == 2


def test_a_new_unit_is_a_change_and_an_end_date_a_leaver_kept_with_it(gore):
    _import(gore, _file(ROSA, JUAN))
    plan = _import(gore, _file(ROSA.replace("Logística", "Tesorería"), JUAN.replace("2026-11-15;", "2026-11-15;31/12/2026")))
    assert [row.dni for row in plan.changed] == ["45678912"] and [row.dni for row in plan.leaving] == ["10117410"]
    juan = db.session.scalar(select(Official).where(Official.dni == "10117410"))
    assert juan.appointments[0].end_date.isoformat() == "2026-12-31"  # marked, never deleted


def test_an_email_of_another_person_is_an_error_on_its_row_and_the_plan_cannot_be_committed(gore):
    _import(gore, _file(ROSA))
    plan = imports.plan_import(gore, _file(JUAN.replace("juan.ccori", "rosa.quispe")))
    assert [(error.row, error.column, str(error.message)) for error in plan.errors] == [
        (2, "Correo", "Esta dirección de correo electrónico pertenece a otra persona.")
    ]
    with pytest.raises(ValueError):
        imports.commit_import(gore, plan)


def test_a_person_moving_to_another_entity_keeps_one_record_with_a_post_in_each(gore):
    _import(gore, _file(ROSA))
    other = queries.get_by_code("GORE-15")
    _import(other, _file(ROSA.replace("02/01/2027", "01/03/2027")))
    rosa = db.session.scalar(select(Official).where(Official.dni == "45678912"))
    assert sorted(post.organisation_id for post in rosa.appointments) == sorted([gore.id, other.id])


def test_an_import_interrupted_half_way_leaves_nothing_behind(gore, monkeypatch):
    plan = imports.plan_import(gore, _file(ROSA, JUAN))
    copy, calls = imports._copy, []

    def fail_on_the_second_person(record, fields, row, now):
        calls.append(row.dni)
        if row.dni == "10117410":
            raise RuntimeError("the server went away")
        copy(record, fields, row, now)

    monkeypatch.setattr(imports, "_copy", fail_on_the_second_person)
    with pytest.raises(RuntimeError):
        imports.commit_import(gore, plan)
    db.session.rollback()  # what the view or the command does with an exception: the transaction goes
    assert "45678912" in calls and _count(Official) == 0 and _count(Appointment) == 0
