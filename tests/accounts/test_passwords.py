import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type

from app import config as production_config
from app.accounts import passwords
from app.accounts.services import password_problems


def test_production_hashing_is_argon2id_with_at_least_t2_and_19_mib():
    assert production_config.ARGON2_TIME_COST >= 2
    assert production_config.ARGON2_MEMORY_COST_KIB >= 19 * 1024
    hasher = PasswordHasher(
        time_cost=production_config.ARGON2_TIME_COST,
        memory_cost=production_config.ARGON2_MEMORY_COST_KIB,
        parallelism=production_config.ARGON2_PARALLELISM,
    )
    assert hasher.type is Type.ID


def test_stored_hashes_are_argon2id(app):
    with app.app_context():
        stored = passwords.hash_password("una frase larga y segura")
    assert stored.startswith("$argon2id$")


def test_verify_accepts_the_right_password_and_refuses_others(app):
    with app.app_context():
        stored = passwords.hash_password("una frase larga y segura")
        assert passwords.verify_password(stored, "una frase larga y segura")
        assert not passwords.verify_password(stored, "otra frase larga y segura")
        assert not passwords.verify_password(None, "una frase larga y segura")
        assert not passwords.verify_password("not-a-hash", "x")


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "password123", "contraseña123", "Iloveyou123"])
def test_common_passwords_are_refused(app, password):
    with app.test_request_context():
        assert password_problems(password)


def test_length_rules_and_no_composition_rules(app):
    with app.test_request_context():
        assert password_problems("corta")
        assert password_problems("x" * 129)
        assert password_problems("todo en minusculas sin numeros") == []
        assert password_problems("ñandú en la puna de junín " * 2) == []  # long sentences, any letters
        assert password_problems("a" * 64 + "b") == []


def test_the_email_address_itself_is_refused_as_password(app):
    with app.test_request_context():
        assert password_problems("ana.rojas@example.pe", email="ana.rojas@example.pe")
