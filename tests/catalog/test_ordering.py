"""Titles in the order a reader expects: Spanish collation for Spanish, dictionary order for English."""

import pytest

from app.catalog.ordering import title_sort_key


def _sorted(titles, language="es"):
    return sorted(titles, key=lambda title: title_sort_key(title, language))


@pytest.mark.parametrize(
    "expected",
    [
        ["Empresa", "Ética", "Fraude"],
        ["Nube", "Ñandú", "Obra"],
        ["nazca", "Nube", "ñandú", "Ñu", "obra"],
        ["Anzuelo", "Año"],  # n, then z, comes before ñ
        ["abeja", "Árbol", "azul"],
        ["Cómo usar la Academia", "Compras públicas", "Conflicto de intereses"],
        ["Sanos", "São", "Sapo"],  # only the ñ's tilde counts: ã is an a
    ],
)
def test_spanish_titles_ignore_accents_and_case_and_put_n_tilde_after_n(expected):
    assert _sorted(reversed(expected)) == expected
    assert _sorted(sorted(expected)) == expected


def test_in_english_n_tilde_is_an_n():
    assert _sorted(["Obra", "Nube", "Ñandú"], "en") == ["Ñandú", "Nube", "Obra"]


def test_titles_equal_but_for_accents_put_the_plain_one_first_whatever_order_they_came_in():
    assert _sorted(["Ética", "Etica"]) == _sorted(["Etica", "Ética"]) == ["Etica", "Ética"]
