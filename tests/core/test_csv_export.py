"""CSV exports: cells a spreadsheet would run as formulas are defused; quoting follows RFC 4180."""

import csv
import io

import pytest

from app.core.csv_export import safe_cell, to_csv


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_text_that_would_start_a_formula_gets_a_leading_apostrophe(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous


def test_ordinary_text_and_numbers_are_written_as_they_are():
    assert [safe_cell(v) for v in ("¿Qué hace?", "a=b", -0.25, 12, None)] == ["¿Qué hace?", "a=b", "-0.25", "12", ""]


def test_cells_are_quoted_per_rfc_4180_and_read_back_unchanged():
    text = to_csv([["id", "prompt"], ["q1", 'Dice "sí", luego\nno'], ["q2", "=1+1"]])
    assert text.endswith("\r\n")
    assert '"Dice ""sí"", luego\nno"' in text
    assert list(csv.reader(io.StringIO(text))) == [["id", "prompt"], ["q1", 'Dice "sí", luego\nno'], ["q2", "'=1+1"]]
