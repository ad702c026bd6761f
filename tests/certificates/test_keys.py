import multiprocessing
import re
import stat

import base58
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey

from app.certificates.signing.keys import KeyRing, KeyRingError


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _start_together(directory, ready, start, results):
    ready.put(True)
    start.wait(timeout=60)
    results.put(KeyRing.load_or_create(directory).active.kid)


def test_first_run_creates_a_private_directory_and_one_key(tmp_path):
    directory = tmp_path / "keys"
    ring = KeyRing.load_or_create(directory)

    key = ring.active
    assert _mode(directory) == 0o700
    assert _mode(directory / f"{key.kid}.pem") == 0o600
    assert (directory / "active").read_text().strip() == key.kid
    assert [k.kid for k in ring.keys] == [key.kid]
    assert key.created_at.utcoffset().total_seconds() == 0


def test_key_id_is_safe_in_a_url_fragment(tmp_path):
    kid = KeyRing.load_or_create(tmp_path / "keys").active.kid
    assert re.fullmatch(r"key-\d{8}-\d{6}-[0-9a-f]{6}", kid)


def test_public_key_is_multikey_encoded(tmp_path):
    key = KeyRing.load_or_create(tmp_path / "keys").active

    assert len(key.public_bytes) == 32
    assert key.public_multibase.startswith("z6Mk")
    assert base58.b58decode(key.public_multibase[1:]) == b"\xed\x01" + key.public_bytes


def test_loading_again_finds_the_same_key(tmp_path):
    first = KeyRing.load_or_create(tmp_path / "keys").active
    again = KeyRing.load_or_create(tmp_path / "keys").active

    assert again == first
    assert again.public_bytes == first.public_bytes


def test_processes_starting_together_on_an_empty_directory_agree_on_one_key(tmp_path):
    directory = tmp_path / "keys"
    context = multiprocessing.get_context("spawn")
    ready, start, results = context.Queue(), context.Event(), context.Queue()
    workers = [context.Process(target=_start_together, args=(directory, ready, start, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=60)
    start.set()  # all four are waiting: they create the directory and look for a key at the same moment
    kids = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert all(worker.exitcode == 0 for worker in workers)
    assert len(set(kids)) == 1
    assert [path.name for path in directory.glob("*.pem")] == [f"{kids[0]}.pem"]


def test_rotation_activates_a_new_key_and_keeps_the_old_one(tmp_path):
    ring = KeyRing.load_or_create(tmp_path / "keys")
    old = ring.active

    new = ring.rotate()

    assert ring.active == new != old
    assert ring.get(old.kid).public_bytes == old.public_bytes
    reloaded = KeyRing.load_or_create(tmp_path / "keys")
    assert reloaded.active == new
    assert {key.kid for key in reloaded.keys} == {old.kid, new.kid}
    assert reloaded.keys[0].created_at <= reloaded.keys[-1].created_at


def test_rotation_by_another_process_is_seen_without_reloading(tmp_path):
    worker_ring = KeyRing.load_or_create(tmp_path / "keys")
    cli_ring = KeyRing.load_or_create(tmp_path / "keys")

    new = cli_ring.rotate()

    assert worker_ring.active == new
    assert worker_ring.get(new.kid) is not None


def test_unknown_kid_is_none(tmp_path):
    ring = KeyRing.load_or_create(tmp_path / "keys")
    assert ring.get("key-20000101-000000-abcdef") is None
    assert ring.get(None) is None


def test_corrupt_key_file_is_an_error_naming_it(tmp_path):
    ring = KeyRing.load_or_create(tmp_path / "keys")
    path = tmp_path / "keys" / f"{ring.active.kid}.pem"
    path.write_bytes(b"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")

    with pytest.raises(KeyRingError, match=re.escape(str(path))):
        KeyRing.load_or_create(tmp_path / "keys")


def test_foreign_file_in_the_directory_is_an_error_naming_it(tmp_path):
    KeyRing.load_or_create(tmp_path / "keys")
    foreign = tmp_path / "keys" / "notes.txt"
    foreign.write_text("backup of the old key")

    with pytest.raises(KeyRingError, match=re.escape(str(foreign))):
        KeyRing.load_or_create(tmp_path / "keys")


def test_key_of_another_algorithm_is_an_error(tmp_path):
    KeyRing.load_or_create(tmp_path / "keys")
    path = tmp_path / "keys" / "key-20200101-000000-abcdef.pem"
    pem = Ed448PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem)
    path.chmod(0o600)

    with pytest.raises(KeyRingError, match="not an Ed25519 key"):
        KeyRing.load_or_create(tmp_path / "keys")


def test_key_readable_by_other_users_is_refused(tmp_path):
    ring = KeyRing.load_or_create(tmp_path / "keys")
    (tmp_path / "keys" / f"{ring.active.kid}.pem").chmod(0o644)

    with pytest.raises(KeyRingError, match="chmod 600"):
        KeyRing.load_or_create(tmp_path / "keys")


def test_active_file_naming_a_missing_key_is_an_error(tmp_path):
    KeyRing.load_or_create(tmp_path / "keys")
    (tmp_path / "keys" / "active").write_text("key-20200101-000000-abcdef\n")

    with pytest.raises(KeyRingError, match="active"):
        KeyRing.load_or_create(tmp_path / "keys")


def test_keys_without_an_active_file_are_not_silently_replaced(tmp_path):
    KeyRing.load_or_create(tmp_path / "keys")
    (tmp_path / "keys" / "active").unlink()

    with pytest.raises(KeyRingError, match="missing"):
        KeyRing.load_or_create(tmp_path / "keys")
