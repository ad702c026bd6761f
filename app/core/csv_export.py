"""CSV files for spreadsheets: RFC 4180 quoting, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable

from flask import Response

# A spreadsheet reads a text cell starting with one of these as a formula (SECURITY.md, row 15).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """*value* as a cell. Text that would start a formula gets a leading apostrophe, which spreadsheets
    take as "this is text". Numbers are written as they are: -0.25 is a number to the spreadsheet, not a
    formula, and quoting it would turn it into text nobody can sort or add up."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Iterable]) -> str:
    """The rows as CSV text, every cell made safe, lines ending in CRLF as RFC 4180 has them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(rows: Iterable[Iterable], filename: str) -> Response:
    """A download of the rows. The byte-order mark makes Excel read the file as UTF-8 (accents in
    Spanish text would come out garbled otherwise); *filename* must be plain ASCII chosen by the server."""
    return Response(
        "\ufeff" + to_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
