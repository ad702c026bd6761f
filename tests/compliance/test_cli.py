"""`flask compliance roster`: the dry run by default, --commit to import, exit status 1 and a line per error."""

from sqlalchemy import func, select

from app.compliance.models import Official
from app.extensions import db

HEADER = "DNI;Nombres;Apellidos;Correo;Cargo;Unidad;Régimen;Fecha de ingreso;Fecha de cese"
ROSA = "45678912;Rosa;Quispe Mamani;rosa.quispe@gore.gob.pe;Asistente;Logística;CAS;02/01/2027;"
BAD = "4567891X;Juan;Ccori;juan@gore.gob.pe;Jefe;Presupuesto;Locación;31/02/2027;"


def _roster(tmp_path, *rows):
    path = tmp_path / "planilla.csv"
    path.write_text("\n".join((HEADER, *rows)), encoding="utf-8")
    return str(path)


def test_the_dry_run_says_what_would_change_and_imports_nothing(runner, tmp_path):
    result = runner.invoke(args=["compliance", "roster", "GORE-08", _roster(tmp_path, ROSA)])
    assert result.exit_code == 0, result.output
    assert "dry run: new 1, changed 0, leaving 0, unchanged 0" in result.output
    assert db.session.scalar(select(func.count()).select_from(Official)) == 0


def test_commit_imports_and_a_second_run_finds_nothing_to_change(runner, tmp_path):
    path = _roster(tmp_path, ROSA)
    assert "imported: new 1" in runner.invoke(args=["compliance", "roster", "GORE-08", path, "--commit"]).output
    again = runner.invoke(args=["compliance", "roster", "GORE-08", path, "--commit"])
    assert "imported: new 0, changed 0, leaving 0, unchanged 1" in again.output


def test_a_roster_with_errors_exits_1_with_one_line_per_error_naming_row_and_column(runner, tmp_path):
    result = runner.invoke(args=["compliance", "roster", "GORE-08", _roster(tmp_path, ROSA, BAD), "--commit"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Fila")]
    assert [line.split(":")[0] for line in lines] == [
        "Fila 3, columna DNI",
        "Fila 3, columna Régimen",
        "Fila 3, columna Fecha de ingreso",
    ]
    assert db.session.scalar(select(func.count()).select_from(Official)) == 0


def test_an_unknown_organisation_code_is_refused(runner, tmp_path):
    result = runner.invoke(args=["compliance", "roster", "GORE-99", _roster(tmp_path, ROSA)])
    assert result.exit_code != 0 and "GORE-99" in result.output
