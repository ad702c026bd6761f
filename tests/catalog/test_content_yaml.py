"""The line-aware YAML loader: every key and list item knows its line."""

import datetime

from app.catalog.content.yaml_lines import LineDict, LineList, load_yaml
from tests.catalog import no_database  # noqa: F401


def load(text, first_line=1):
    reported = []
    data = load_yaml(text, lambda line, message: reported.append((line, message)), first_line=first_line)
    return data, reported


def test_mappings_and_sequences_remember_their_lines():
    data, reported = load("title:\n  es: Hola\n  en: Hello\nitems:\n  - a\n\n  - {b: 1}\n")
    assert reported == []
    assert isinstance(data, LineDict) and isinstance(data["items"], LineList)
    assert data.line == 1
    assert data.lines == {"title": 1, "items": 4}
    assert data["title"].line == 2 and data["title"].lines == {"es": 2, "en": 3}
    assert data["items"].lines == [5, 7]
    assert data["items"][1].lines == {"b": 7}


def test_first_line_offsets_every_line():
    data, _ = load("title: Hola\nminutes: 5\n", first_line=2)
    assert data.lines == {"title": 2, "minutes": 3}


def test_syntax_error_is_one_report_at_pyyaml_line():
    data, reported = load("a: 1\nb: [1, 2\nc: 3\n", first_line=2)
    assert data is None
    assert len(reported) == 1 and reported[0][0] == 4 and reported[0][1].startswith("YAML syntax error:")


def test_duplicate_keys_are_reported_and_the_last_one_kept():
    data, reported = load("a: 1\nb: 2\na: 3\n")
    assert data["a"] == 3
    assert reported == [(3, "duplicate key 'a'")]


def test_anchors_and_merge_keys_still_work():
    data, reported = load("base: &base {x: 1}\nother:\n  <<: *base\n  y: 2\n")
    assert reported == []
    assert data["other"] == {"x": 1, "y": 2}


def test_dates_load_as_dates_and_impossible_dates_stay_text():
    data, reported = load("good: 2026-11-26\nbad: 2026-13-45\n")
    assert reported == []
    assert data["good"] == datetime.date(2026, 11, 26)
    assert data["bad"] == "2026-13-45"


def test_python_tags_are_refused_as_a_syntax_problem():
    data, reported = load("a: !!python/object:os.system {}\n")
    assert data is None
    assert reported[0][0] == 1
