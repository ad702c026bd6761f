"""Amounts and moments worded for the reader: '30 minutos', '1,5 horas', '69,5 %',
'7 de diciembre de 2026, 10:15 (hora de Perú)'.

Babel's CLDR data does the wording, so the plural ('1 hora', '2 horas'), the decimal sign and the
time zone's name follow the reader's language. A message that counts things ('3 preguntas') is an
ngettext of its own, with the number formatted by format_number.
"""

from datetime import datetime
from decimal import Decimal

from babel.dates import get_timezone_location
from babel.numbers import format_percent
from babel.units import format_unit
from flask_babel import format_date, format_time, get_locale, get_timezone
from flask_babel import gettext as _

# At most one decimal: "1,5 horas", and "2 horas" rather than "2,0 horas".
ONE_DECIMAL = "#,##0.#"


def duration(amount: float, unit: str) -> str:
    """*amount* of a time unit ("minute", "hour", "day", "month"): '1 hora', '24 meses'."""
    return format_unit(amount, f"duration-{unit}", format=ONE_DECIMAL, locale=get_locale())


def time_needed(hours: float) -> str:
    """An estimate of time given in hours: whole minutes under an hour ('30 minutos'), else hours to a
    tenth ('1 hora', '4,5 horas')."""
    minutes = round(hours * 60)
    if minutes < 60:
        return duration(minutes, "minute")
    return duration(round(minutes / 60, 1), "hour")


def percent(share: float) -> str:
    """A share given out of 100 (a score, a pass mark), to a tenth: '70 %', '69,5 %' ('69.5%' in English).

    A score is never rounded up to the pass mark: 69,5 % reads as 69,5 %, not 70 %."""
    return format_percent(Decimal(str(round(share, 1))) / 100, locale=get_locale(), decimal_quantization=False)


def moment(when: datetime) -> str:
    """A moment in the reader's time zone, the zone named in words: '7 de diciembre de 2026, 10:15 (hora de
    Perú)', never an offset like -0500."""
    return _(
        "%(date)s, %(time)s (%(zone)s)",
        date=format_date(when, "long"),
        time=format_time(when, "short"),
        zone=get_timezone_location(get_timezone(), locale=get_locale()),
    )


# The template filters: {{ version.meta.estimated_hours|hours }}, {{ lesson.minutes|minutes }}, {{ score|percent }}…
TEMPLATE_FILTERS = {
    "duration": duration,
    "hours": time_needed,
    "minutes": lambda minutes: time_needed(minutes / 60),
    "percent": percent,
    "moment": moment,
}
