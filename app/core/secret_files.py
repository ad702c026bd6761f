"""Small private files that hold secrets (signing keys, TOTP keys): written whole or not at all, by one
process at a time."""

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Temporary files start so, next to the file they become: readers listing the folder skip them.
TEMP_PREFIX = ".tmp-"


def write_atomically(path: Path, content: bytes) -> None:
    """Write a private (0600) temporary file, flush it to disk, rename it into place, and make the rename
    itself durable: a reader sees the old file or the new one, never half of one, even after a crash."""
    fd, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)


@contextmanager
def locked(lock_file: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold an advisory lock on *lock_file* (created 0600) across processes; writers take it exclusive."""
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
