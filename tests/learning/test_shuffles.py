"""Shuffle keys: drawn with secrets, stored, and the only thing an order depends on besides the question."""

from app.learning import shuffles
from app.learning.shuffles import MATCHING_ANSWERS, OPTIONS, ORDERING_ITEMS, Shuffle

ITEMS = list(range(8))  # 8! orders: two keys agree on one by chance once in 40,320 tries


def test_every_new_key_is_a_fresh_256_bit_secret():
    keys = {shuffles.new_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(key) == shuffles.KEY_LENGTH and int(key, 16) >= 0 for key in keys)


def test_the_same_key_gives_the_same_order_every_time():
    key = shuffles.new_key()
    assert Shuffle(key).order(ITEMS, "q01", ORDERING_ITEMS) == Shuffle(key).order(ITEMS, "q01", ORDERING_ITEMS)
    assert sorted(Shuffle(key).order(ITEMS, "q01", ORDERING_ITEMS)) == ITEMS


def test_the_order_follows_the_key_not_the_question_alone():
    orders = {tuple(Shuffle(shuffles.new_key()).order(ITEMS, "q01", ORDERING_ITEMS)) for _ in range(20)}
    assert len(orders) > 1


def test_each_question_part_and_scope_has_a_seed_of_its_own():
    key = shuffles.new_key()
    seeds = {
        Shuffle(key).seed("q01", ORDERING_ITEMS),
        Shuffle(key).seed("q02", ORDERING_ITEMS),
        Shuffle(key).seed("q01", MATCHING_ANSWERS),
        Shuffle(key).seed("q01", OPTIONS),
        Shuffle(key, scope="check-a").seed("q01", ORDERING_ITEMS),
        Shuffle(key, scope="check-b").seed("q01", ORDERING_ITEMS),
    }
    assert len(seeds) == 6


def test_a_shuffle_never_shows_its_key():
    key = shuffles.new_key()
    assert key not in repr(Shuffle(key)) and key not in repr(Shuffle(key, scope="check-a"))
