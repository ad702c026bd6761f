"""TOTP secrets at rest: the keys (a file under instance/ or TOTP_ENCRYPTION_KEYS) and their rotation."""

import stat
import time

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken

from app.accounts import mfa, totp_keys
from app.extensions import db
from tests import factories
from tests.settings import TEST_CONFIG

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def key_file(app, tmp_path, monkeypatch):
    """Keys kept in a file of this test's own, as in production without TOTP_ENCRYPTION_KEYS."""
    path = tmp_path / "instance" / "totp-keys"
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", "")
    monkeypatch.setitem(app.config, "TOTP_KEY_FILE", str(path))
    return path


def _keys_in(path):
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def _user_with_totp(app, secret=SECRET):
    user = factories.make_user()
    with app.test_request_context():
        mfa.enable_totp(user, secret, pyotp.TOTP(secret).now())
    return user


def test_the_key_file_is_created_readable_by_its_owner_only_on_first_use(app, key_file):
    assert not key_file.exists()
    with app.app_context():
        token = totp_keys.encrypt(SECRET)
        assert totp_keys.decrypt(token) == SECRET
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(_keys_in(key_file)) == 1
    assert token.startswith("gAAAAA") and SECRET not in token


def test_keys_from_totp_encryption_keys_are_used_instead_of_a_key_file(app, key_file, monkeypatch):
    new, old = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", f"{new.decode()}, {old.decode()}")
    with app.app_context():
        token = totp_keys.encrypt(SECRET)
        from_old_key = totp_keys.decrypt(Fernet(old).encrypt(SECRET.encode()).decode())
    assert Fernet(new).decrypt(token.encode()).decode() == SECRET
    assert from_old_key == SECRET
    assert not key_file.exists()


def test_a_secret_that_no_key_opens_is_an_error_not_a_wrong_code(app):
    foreign = Fernet(Fernet.generate_key()).encrypt(SECRET.encode()).decode()
    with app.app_context(), pytest.raises(totp_keys.TotpKeyError, match="none of the TOTP encryption keys"):
        totp_keys.decrypt(foreign)


def test_a_plain_secret_left_in_the_column_is_an_error_that_asks_for_the_migration(app):
    with app.app_context(), pytest.raises(totp_keys.TotpKeyError, match="flask db upgrade"):
        totp_keys.decrypt(SECRET)


def test_a_malformed_key_is_named_by_its_place_without_showing_it(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", f"{TEST_CONFIG['TOTP_ENCRYPTION_KEYS']},not-a-key")
    with app.app_context(), pytest.raises(totp_keys.TotpKeyError, match="TOTP_ENCRYPTION_KEYS, key 2,") as error:
        totp_keys.encrypt(SECRET)
    assert "not-a-key" not in str(error.value)


def test_an_emptied_key_file_is_an_error_rather_than_a_fresh_key(app, key_file):
    with app.app_context():
        totp_keys.encrypt(SECRET)
        key_file.write_text("")
        with pytest.raises(totp_keys.TotpKeyError, match="holds no key"):
            totp_keys.encrypt(SECRET)


def test_a_key_file_readable_by_other_users_is_refused(app, key_file):
    with app.app_context():
        totp_keys.encrypt(SECRET)
        key_file.chmod(0o644)
        with pytest.raises(totp_keys.TotpKeyError, match="chmod 600"):
            totp_keys.encrypt(SECRET)


def test_rotating_puts_a_new_key_first_and_re_encrypts_every_secret_under_it(app, runner, key_file):
    user = _user_with_totp(app)
    [old_key] = _keys_in(key_file)
    result = runner.invoke(args=["users", "rotate-totp-key"])
    assert result.exit_code == 0, result.output
    assert "TOTP secrets re-encrypted under the newest key: 1" in result.output
    new_key, kept_key = _keys_in(key_file)
    assert kept_key == old_key
    assert Fernet(new_key).decrypt(user.totp_secret.encode()).decode() == SECRET
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(user.totp_secret.encode())


def test_rotating_with_drop_old_keeps_only_the_new_key_and_codes_still_verify(app, runner, key_file):
    user = _user_with_totp(app)
    [old_key] = _keys_in(key_file)
    result = runner.invoke(args=["users", "rotate-totp-key", "--drop-old"])
    assert result.exit_code == 0, result.output
    assert "Old keys removed from" in result.output
    assert old_key not in _keys_in(key_file)
    assert len(_keys_in(key_file)) == 1
    with app.test_request_context():
        next_code = pyotp.TOTP(SECRET).at(int(time.time()) + 30)  # enabling used up the current one
        assert mfa.verify_second_factor(user, next_code) == "totp"


def test_rotating_keys_from_the_environment_re_encrypts_under_the_first_one(app, runner, monkeypatch):
    user = factories.make_user(second_factor=True)  # under TEST_CONFIG's single key
    secret = factories.totp_secret(user)
    new_key = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEYS", f"{new_key},{TEST_CONFIG['TOTP_ENCRYPTION_KEYS']}")
    result = runner.invoke(args=["users", "rotate-totp-key", "--drop-old"])
    assert result.exit_code == 0, result.output
    assert "remove the old keys from TOTP_ENCRYPTION_KEYS" in result.output
    assert Fernet(new_key).decrypt(user.totp_secret.encode()).decode() == secret


def test_rotating_a_single_key_from_the_environment_asks_for_a_new_one_first(app, runner):
    user = factories.make_user(second_factor=True)
    stored = user.totp_secret
    result = runner.invoke(args=["users", "rotate-totp-key"])
    assert result.exit_code != 0
    assert "Prepend a new one" in result.output
    assert user.totp_secret == stored


def test_rotation_changes_nothing_when_a_secret_opens_with_no_key(app, runner, key_file):
    user = _user_with_totp(app)
    stranger = factories.make_user(totp_secret=Fernet(Fernet.generate_key()).encrypt(SECRET.encode()).decode())
    stored = user.totp_secret
    result = runner.invoke(args=["users", "rotate-totp-key"])
    assert result.exit_code != 0
    assert f"user {stranger.id}" in result.output and "no secret was changed" in result.output
    db.session.refresh(user)
    assert user.totp_secret == stored
