"""Reading an HR roster into checked rows: CSV (UTF-8 or Windows-1252, as Excel writes it in Peru; comma or
semicolon) or XLSX, with headers in Spanish or English.

Only the file is checked here: what each cell holds, and what the rows say about each other (a DNI or an
e-mail twice). What the database knows (an e-mail that belongs to another person, who is new, who
changed, who left) is the import service's part. Row numbers are the spreadsheet's: the header is row 1.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError
from stdnum.pe import cui

MAX_ROWS = 50_000
MAX_CELL = 200

# The columns a roster has, each with the header names it may carry (compared without case, accents, spaces
# or underscores), and whether a roster may leave it out.
COLUMNS = {
    "dni": (("DNI",), True),
    "given_names": (("Nombres", "given_names"), True),
    "surnames": (("Apellidos", "surnames"), True),
    "email": (("Correo", "Correo electrónico", "email", "e-mail"), True),
    "position": (("Cargo", "position"), False),
    "unit": (("Unidad", "unit"), False),
    "regime": (("Régimen", "regime"), True),
    "hire_date": (("Fecha de ingreso", "hire_date"), True),
    "end_date": (("Fecha de cese", "end_date"), False),
}
# The headers of the downloadable template, in each language.
TEMPLATE_HEADERS = {
    "es": ("DNI", "Nombres", "Apellidos", "Correo", "Cargo", "Unidad", "Régimen", "Fecha de ingreso", "Fecha de cese"),
    "en": ("DNI", "given_names", "surnames", "email", "position", "unit", "regime", "hire_date", "end_date"),
}

# Contract regimes: by the number of the law that governs them, however it is written ("D. Leg. N° 728",
# "DL 728", "728"), or by name.
REGIME_BY_LAW = {"1057": "cas", "276": "dleg_276", "728": "dleg_728", "30057": "ley_30057"}
REGIME_BY_NAME = {
    "cas": "cas",
    "serviciocivil": "ley_30057",
    "lsc": "ley_30057",
    "otro": "other",
    "otros": "other",
    "other": "other",
}
# How each regime is shown (keys as app.compliance.models.REGIMES).
REGIME_LABELS = {
    "cas": "CAS",
    "dleg_276": "D.Leg. 276",
    "dleg_728": "D.Leg. 728",
    "ley_30057": "Ley 30057",
    "other": _l("Other"),
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: *row* as the spreadsheet numbers it, *column* as the file names it (None for
    the file or the row as a whole)."""

    row: int | None
    column: str | None
    message: str


@dataclass(frozen=True)
class RosterRow:
    row: int
    dni: str
    given_names: str
    surnames: str
    email: str
    position: str
    unit: str
    regime: str
    hire_date: date
    end_date: date | None


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Each column's header as the file writes it, to name it in messages.
    column_names: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


class RosterFileError(ValueError):
    """The file cannot be read as a roster at all."""


def read_roster(data: bytes, filename: str = "") -> Roster:
    """The checked rows of a roster file, and every problem found, by row and column."""
    try:
        table = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
        return check_rows(table)
    except RosterFileError as error:
        return Roster(errors=[RowError(None, None, str(error))])


def check_rows(table: Iterable[list]) -> Roster:
    """Check a table whose first row is the header (cells as read from CSV or XLSX)."""
    rows = iter(table)
    header = next(rows, None)
    if header is None:
        raise RosterFileError(_l("The file is empty."))
    columns, roster = _columns(header)
    roster.column_names = {key: name for key, (_, name) in columns.items()}
    if not roster.is_valid:
        return roster
    seen_dni, seen_email = {}, {}
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise RosterFileError(
                ngettext(
                    "A roster has at most %(number)s row.",
                    "A roster has at most %(number)s rows.",
                    MAX_ROWS,
                    number=format_number(MAX_ROWS),
                )
            )
        values = {key: _text(cells[index] if index < len(cells) else None) for key, (index, _) in columns.items()}
        if not any(values.values()):
            continue  # a blank line, as spreadsheets leave at the end
        checked = _check_row(number, values, {key: name for key, (_, name) in columns.items()}, roster.errors)
        if checked is None:
            continue
        for seen, value, column in ((seen_dni, checked.dni, "dni"), (seen_email, checked.email, "email")):
            if value in seen:
                roster.errors.append(RowError(number, columns[column][1], _l("Also in row %(row)s.", row=seen[value])))
                checked = None
                break
            seen[value] = number
        if checked is not None:
            roster.rows.append(checked)
    return roster


def header_key(name: str) -> str:
    """A header as compared: no case, accents, spaces, underscores or hyphens ("Fecha de ingreso" → "fechadeingreso")."""
    return "".join(ch for ch in _plain(name) if ch.isalnum())


def _columns(header: list) -> tuple[dict[str, tuple[int, str]], Roster]:
    known = {header_key(name): key for key, (names, _) in COLUMNS.items() for name in names}
    columns, roster = {}, Roster()
    for index, cell in enumerate(header):
        name = _text(cell)
        key = known.get(header_key(name))
        if key is None:
            continue
        if key in columns:
            roster.errors.append(RowError(1, name, _l("This column appears twice.")))
        columns[key] = (index, name)
    for key, (names, required) in COLUMNS.items():
        if required and key not in columns:
            roster.errors.append(RowError(1, names[0], _l("This column is missing.")))
    return columns, roster


def _check_row(number: int, values: dict[str, str], names: dict[str, str], errors: list[RowError]) -> RosterRow | None:
    found = []

    def problem(column: str, message) -> None:
        found.append(RowError(number, names.get(column, column), message))

    for column in ("given_names", "surnames", "email", "regime", "hire_date"):
        if not values.get(column):
            problem(column, _l("This cell is empty."))
    for column, value in values.items():
        if isinstance(value, str) and len(value) > MAX_CELL:
            problem(
                column,
                ngettext(
                    "Use at most %(number)s character.",
                    "Use at most %(number)s characters.",
                    MAX_CELL,
                    number=format_number(MAX_CELL),
                ),
            )
    dni = _dni(values.get("dni", ""), problem)
    email = _email(values.get("email", ""), problem) if values.get("email") else ""
    regime = _regime(values.get("regime", ""), problem) if values.get("regime") else ""
    hire_date = _date(values.get("hire_date", ""), "hire_date", problem) if values.get("hire_date") else None
    end_date = _date(values.get("end_date", ""), "end_date", problem) if values.get("end_date") else None
    if hire_date and end_date and end_date < hire_date:
        problem("end_date", _l("The end date is before the hire date."))
    if found:
        errors.extend(found)
        return None
    return RosterRow(
        row=number,
        dni=dni,
        given_names=values["given_names"],
        surnames=values["surnames"],
        email=email,
        position=values.get("position", ""),
        unit=values.get("unit", ""),
        regime=regime,
        hire_date=hire_date,
        end_date=end_date,
    )


def _dni(value: str, problem) -> str:
    if not value:
        problem("dni", _l("This cell is empty."))
        return ""
    digits = cui.compact(value)
    # Spreadsheets drop the leading zeros of a number: 01234567 arrives as 1234567.
    if digits.isdigit() and len(digits) < 8:
        digits = digits.zfill(8)
    try:
        return cui.validate(digits)[:8]
    except ValidationError:
        problem("dni", _l("“%(value)s” is not a valid DNI: 8 digits, and its check digit if it has one.", value=value))
        return ""


def _email(value: str, problem) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problem("email", _l("“%(value)s” is not a valid e-mail address.", value=value))
        return ""


def _regime(value: str, problem) -> str:
    laws = {REGIME_BY_LAW[number] for number in re.findall(r"\d+", value) if number in REGIME_BY_LAW}
    regime = laws.pop() if len(laws) == 1 else REGIME_BY_NAME.get(header_key(value))
    if regime is None:
        problem(
            "regime",
            _l(
                "“%(value)s” is not a contract regime: use CAS, D.Leg. 276, D.Leg. 728, Ley 30057 or Otro.", value=value
            ),
        )
        return ""
    return regime


def _date(value, column: str, problem) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DAY_MONTH_YEAR.fullmatch(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO_DATE.fullmatch(text.split(" ")[0].split("T")[0])):
        parts = iso.groups()
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        problem(column, _l("“%(value)s” is not a date: write it as dd/mm/yyyy, like 31/12/2026.", value=text))
        return None


def _text(cell) -> str | date:
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        return cell  # kept as it is: _date reads it
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a DNI typed as a number comes back as 12345678.0
    return " ".join(str(cell).split())


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", str(text)).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_xlsx(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what Excel saves as "CSV" on a Spanish Windows
    if "\x00" in text:
        raise RosterFileError(_l("The file is not a CSV or XLSX roster."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return iter(list(csv.reader(io.StringIO(text), delimiter=delimiter)))


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook  # imported on first use: most requests never read a spreadsheet

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise RosterFileError(_l("The file is not a CSV or XLSX roster.")) from error
    try:
        sheet = workbook.worksheets[0]
        return iter([list(row) for row in sheet.iter_rows(values_only=True)])
    finally:
        workbook.close()


# The example row of the template: made up, and valid, so that a template read back is a roster of one.
_EXAMPLE = ("45678912", "Rosa", "Quispe Mamani", "rosa.quispe@entidad.gob.pe", "Asistente", "Logística", "CAS")


def template_csv(language: str) -> bytes:
    """The roster template as Excel opens it in Peru: semicolons, UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADERS[language])
    writer.writerow([*_EXAMPLE, "02/01/2027", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(language: str) -> bytes:
    """The roster template as a workbook, its dates as dates and the DNI as text (so no leading zero is lost)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Planilla" if language == "es" else "Roster"
    sheet.append(TEMPLATE_HEADERS[language])
    sheet.append([*_EXAMPLE, date(2027, 1, 2), None])
    sheet["A2"].number_format = "@"
    sheet["H2"].number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
