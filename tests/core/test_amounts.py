"""Durations, shares and moments worded for the reader, in Spanish and English."""

from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.core import amounts

NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM
NBSP = "\xa0"  # and a no-break space before the Spanish per cent sign


@pytest.fixture
def in_language(app):
    """Run the helpers as a request in *language* would."""

    def run(language, function, *args, **kwargs):
        with app.test_request_context(), force_locale(language):
            return function(*args, **kwargs)

    return run


@pytest.mark.parametrize(
    ("unit", "es", "en"),
    [
        ("hour", ("0 horas", "1 hora", "2 horas"), ("0 hours", "1 hour", "2 hours")),
        ("minute", ("0 minutos", "1 minuto", "2 minutos"), ("0 minutes", "1 minute", "2 minutes")),
        ("month", ("0 meses", "1 mes", "2 meses"), ("0 months", "1 month", "2 months")),
    ],
)
def test_a_duration_takes_the_plural_of_its_number_at_0_1_and_2(in_language, unit, es, en):
    assert tuple(in_language("es", amounts.duration, n, unit) for n in (0, 1, 2)) == es
    assert tuple(in_language("en", amounts.duration, n, unit) for n in (0, 1, 2)) == en


@pytest.mark.parametrize(
    ("hours", "es", "en"),
    [
        (0, "0 minutos", "0 minutes"),
        (1, "1 hora", "1 hour"),
        (2, "2 horas", "2 hours"),
        (0.5, "30 minutos", "30 minutes"),
        (0.25, "15 minutos", "15 minutes"),
        (1.0, "1 hora", "1 hour"),
        (2.0, "2 horas", "2 hours"),
        (1.5, "1,5 horas", "1.5 hours"),
        (4.5, "4,5 horas", "4.5 hours"),
        (1.26, "1,3 horas", "1.3 hours"),
        (59.9 / 60, "1 hora", "1 hour"),  # 59.9 minutes round to 60: an hour, not "60 minutos"
        (1200, "1.200 horas", "1,200 hours"),
    ],
)
def test_time_needed_reads_minutes_under_an_hour_and_hours_to_a_tenth_above(in_language, hours, es, en):
    assert in_language("es", amounts.time_needed, hours) == es
    assert in_language("en", amounts.time_needed, hours) == en


@pytest.mark.parametrize(
    ("share", "es", "en"),
    [
        (0, "0 %", "0%"),
        (1, "1 %", "1%"),
        (2, "2 %", "2%"),
        (70, "70 %", "70%"),
        (69.5, "69,5 %", "69.5%"),
        (100.0, "100 %", "100%"),
        (200 / 3, "66,7 %", "66.7%"),
    ],
)
def test_a_share_out_of_100_keeps_its_tenth_and_is_never_rounded_up_to_a_pass(in_language, share, es, en):
    assert in_language("es", amounts.percent, share) == es.replace(" ", NBSP)
    assert in_language("en", amounts.percent, share) == en


def test_a_moment_is_in_lima_with_its_zone_in_words_never_an_offset(in_language):
    signed = datetime(2026, 12, 7, 15, 15, tzinfo=UTC)
    assert in_language("es", amounts.moment, signed) == "7 de diciembre de 2026, 10:15 (hora de Perú)"
    assert in_language("en", amounts.moment, signed) == f"December 7, 2026, 10:15{NNBSP}AM (Peru Time)"


def test_templates_have_the_helpers_as_filters(app):
    template = (
        "{{ 0.5|hours }} | {{ 90|minutes }} | {{ 24|duration('month') }} | {{ 69.5|percent }} | {{ signed|moment }}"
    )
    signed = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)  # still 4 January in Lima
    with app.test_request_context(), force_locale("es"):
        assert render_template_string(template, signed=signed) == (
            f"30 minutos | 1,5 horas | 24 meses | 69,5{NBSP}% | 4 de enero de 2026, 19:30 (hora de Perú)"
        )
