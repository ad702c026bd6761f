"""Reading an HR roster: the file formats HR offices in Peru produce, headers in either language, and one
clear message per problem, naming the row and the column."""

import io
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from app.compliance.roster import check_rows, header_key, read_roster

HEADER = "DNI;Nombres;Apellidos;Correo;Cargo;Unidad;Régimen;Fecha de ingreso;Fecha de cese"
ROSA = "45678912;Rosa;Quispe Mamani;rosa.quispe@gore.gob.pe;Asistente;Logística;CAS;02/01/2027;"
JUAN = "10117410;Juan;Ccori Huamán;juan.ccori@gore.gob.pe;Jefe;Presupuesto;D.Leg. 276;2026-11-15;31/12/2026"


@pytest.fixture
def spanish(app):
    with app.test_request_context(), force_locale("es"):
        yield


@pytest.fixture
def english(app):
    with app.test_request_context(), force_locale("en"):
        yield


def _csv(*lines: str, encoding="utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def _messages(roster) -> list[tuple]:
    return [(error.row, error.column, str(error.message)) for error in roster.errors]


def test_a_semicolon_csv_from_excel_in_windows_1252_reads_with_its_accents(spanish):
    roster = read_roster(_csv(HEADER, ROSA, JUAN, encoding="cp1252"))
    assert roster.is_valid, _messages(roster)
    rosa, juan = roster.rows
    assert (rosa.row, rosa.dni, rosa.surnames, rosa.unit, rosa.regime) == (
        2,
        "45678912",
        "Quispe Mamani",
        "Logística",
        "cas",
    )
    assert (rosa.hire_date, rosa.end_date) == (date(2027, 1, 2), None)
    assert (juan.regime, juan.hire_date, juan.end_date) == ("dleg_276", date(2026, 11, 15), date(2026, 12, 31))


def test_a_comma_csv_in_utf8_with_a_bom_and_english_headers_reads_the_same(spanish):
    header = "dni,Given Names,SURNAMES,E-mail,position,unit,Regime,hire_date,end_date"
    roster = read_roster(b"\xef\xbb\xbf" + _csv(header, ROSA.replace(";", ",")))
    assert roster.is_valid, _messages(roster)
    assert roster.rows[0].given_names == "Rosa" and roster.rows[0].email == "rosa.quispe@gore.gob.pe"


def test_an_xlsx_roster_reads_dates_and_numbers_as_excel_stores_them(spanish):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([4567891.0, "Ana", "Soto", "Ana.Soto@GORE.gob.pe", "", "", "Ley 30057", datetime(2027, 1, 4), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roster = read_roster(buffer.getvalue(), "planilla.xlsx")
    assert roster.is_valid, _messages(roster)
    (ana,) = roster.rows
    # The leading zero Excel dropped from the DNI is put back; the address is kept in lower case.
    assert (ana.dni, ana.email, ana.regime, ana.hire_date) == (
        "04567891",
        "ana.soto@gore.gob.pe",
        "ley_30057",
        date(2027, 1, 4),
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Fecha de ingreso", "fechadeingreso"),
        ("FECHA_DE_INGRESO", "fechadeingreso"),
        ("Régimen", "regimen"),
        ("hire_date", "hiredate"),
    ],
)
def test_headers_are_compared_without_case_accents_spaces_or_underscores(written, expected):
    assert header_key(written) == expected


@pytest.mark.parametrize(
    ("spelling", "regime"),
    [
        ("CAS", "cas"),
        ("D. Leg. 728", "dleg_728"),
        ("DL 276", "dleg_276"),
        ("Ley N° 30057", "ley_30057"),
        ("otro", "other"),
    ],
)
def test_contract_regimes_are_read_however_hr_writes_them(spanish, spelling, regime):
    roster = read_roster(_csv(HEADER, ROSA.replace(";CAS;", f";{spelling};")))
    assert roster.rows[0].regime == regime, _messages(roster)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (ROSA.replace("45678912", "4567891X"), "DNI", "«4567891X» no es un DNI válido"),
        (ROSA.replace("45678912", "10117410-3"), "DNI", "no es un DNI válido"),
        (ROSA.replace("02/01/2027", "31/02/2027"), "Fecha de ingreso", "«31/02/2027» no es una fecha"),
        (ROSA.replace(";CAS;", ";Locación;"), "Régimen", "«Locación» no es un régimen de contratación"),
        (ROSA.replace("rosa.quispe@gore.gob.pe", "rosa.quispe@"), "Correo", "no es un correo electrónico válido"),
        (ROSA.replace(";Rosa;", ";;"), "Nombres", "Esta celda está vacía"),
        (JUAN.replace("31/12/2026", "01/01/2026"), "Fecha de cese", "anterior a la fecha de ingreso"),
    ],
)
def test_each_kind_of_bad_cell_is_named_by_row_and_column_in_the_officers_language(spanish, row, column, message):
    roster = read_roster(_csv(HEADER, ROSA.replace("45678912", "40000000").replace("rosa.quispe", "otra"), row))
    assert [(error.row, error.column) for error in roster.errors] == [(3, column)]
    assert message in str(roster.errors[0].message)
    assert len(roster.rows) == 1  # the good row is kept for the counts; the import commits nothing while errors remain


def test_a_dni_twice_in_the_file_names_the_row_where_it_first_appears(spanish):
    roster = read_roster(_csv(HEADER, ROSA, JUAN, ROSA.replace("rosa.quispe", "rosa.q")))
    assert _messages(roster) == [(4, "DNI", "También está en la fila 2.")]


def test_an_email_twice_in_the_file_is_refused_too(english):
    roster = read_roster(_csv(HEADER, ROSA, JUAN.replace("juan.ccori", "rosa.quispe")))
    assert _messages(roster) == [(3, "Correo", "Also in row 2.")]


def test_a_missing_column_is_named_and_no_row_is_read(spanish):
    roster = read_roster(_csv("DNI;Nombres;Correo;Régimen;Fecha de ingreso", "45678912;Rosa;rosa@x.pe;CAS;02/01/2027"))
    assert _messages(roster) == [(1, "Apellidos", "Falta esta columna.")]
    assert roster.rows == []


def test_blank_lines_at_the_end_are_not_rows(spanish):
    roster = read_roster(_csv(HEADER, ROSA, ";;;;;;;;", ""))
    assert roster.is_valid and len(roster.rows) == 1


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary", b"PK\x03\x04not really a workbook"])
def test_a_file_that_is_not_a_roster_gets_one_clear_message_and_no_rows(spanish, data):
    roster = read_roster(data)
    assert roster.rows == [] and len(roster.errors) == 1
    assert roster.errors[0].row is None


def test_the_same_table_checked_twice_gives_the_same_rows(spanish):
    table = [HEADER.split(";"), ROSA.split(";"), JUAN.split(";")]
    assert check_rows(table).rows == check_rows(table).rows


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_templates_in_either_language_read_back_as_a_roster_of_their_one_example(spanish, language):
    from app.compliance.roster import template_csv, template_xlsx

    for data, name in ((template_csv(language), "plantilla.csv"), (template_xlsx(language), "plantilla.xlsx")):
        roster = read_roster(data, name)
        assert roster.is_valid, _messages(roster)
        assert [(row.dni, row.regime, row.hire_date) for row in roster.rows] == [("45678912", "cas", date(2027, 1, 2))]
