"""Serials: 128 random bits, Crockford base32 with a check symbol, forgiving of typing slips only."""

import itertools
import secrets

import pytest

from app.certificates import serials


def test_a_new_serial_is_27_symbols_of_the_crockford_alphabet_with_a_valid_check_symbol():
    serial = serials.new_serial()
    assert len(serial) == 27
    assert set(serial[:26]) <= set(serials.ALPHABET)
    assert serials.normalise(serial) == serial


def test_serials_carry_at_least_128_random_bits_and_are_never_sequential():
    assert 32**serials.BODY_LENGTH >= 2**128
    drawn = [serials.new_serial() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    numbers = sorted(int("".join(str(serials.ALPHABET.index(c)).zfill(2) for c in s[:26])) for s in drawn)
    assert all(b - a > 1 for a, b in itertools.pairwise(numbers))


def test_the_top_bits_are_used_so_the_whole_128_bit_range_is_reachable():
    assert serials.encode(2**128 - 1)[:26] != serials.encode(0)[:26]
    assert serials.normalise(serials.encode(2**128 - 1)) is not None


def test_display_groups_symbols_by_four():
    serial = serials.encode(123456789)
    shown = serials.display(serial)
    assert shown.replace("-", "") == serial
    assert [len(group) for group in shown.split("-")] == [4, 4, 4, 4, 4, 4, 3]


def test_case_separators_and_look_alike_letters_are_forgiven():
    serial = serials.new_serial()
    typed = serials.display(serial).lower().replace("-", " ")
    assert serials.normalise(typed) == serial
    assert serials.normalise(f"  {serials.display(serial)}  ") == serial
    with_zero = "0" + serial[1:]
    canonical = serials.encode(int(_value(with_zero[:26])))
    assert serials.normalise(canonical.replace("0", "O").replace("1", "I")) == canonical
    assert serials.normalise(canonical.replace("1", "l")) == canonical


@pytest.mark.parametrize("position", [0, 5, 13, 25])
def test_one_wrong_symbol_is_caught_by_the_check_symbol(position):
    serial = serials.new_serial()
    replacement = next(c for c in serials.ALPHABET if c != serial[position])
    mistyped = serial[:position] + replacement + serial[position + 1 :]
    assert serials.normalise(mistyped) is None


def test_two_swapped_neighbours_are_caught():
    caught = 0
    for _ in range(200):
        serial = serials.new_serial()
        i = secrets.randbelow(25)
        if serial[i] == serial[i + 1]:
            continue
        swapped = serial[:i] + serial[i + 1] + serial[i] + serial[i + 2 :]
        caught += serials.normalise(swapped) is None
    assert caught >= 150


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ABCD",
        "A" * 10_000,
        "1' OR '1'='1",
        "<script>alert(1)</script>",
        "АВСD-EFGH-JKMN-PQRS-TVWX-YZ01-234",  # Cyrillic look-alikes
        "ＡＢＣＤ",
        None,
        ["ABCD"],
    ],
)
def test_anything_that_cannot_be_a_serial_normalises_to_none(text):
    assert serials.normalise(text) is None


def _value(body):
    value = 0
    for symbol in body:
        value = value * 32 + serials.ALPHABET.index(symbol)
    return value
