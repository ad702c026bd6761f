"""Which files make up a package, how they are read, and the package's content hash."""

import hashlib
from collections.abc import Iterator
from pathlib import Path


def is_junk(name: str) -> bool:
    """Editor and system leftovers (.DS_Store, .swp, backup~) that are never part of a package."""
    return name.startswith(".") or name.endswith("~")


def package_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file of the package as (relative POSIX path, path), sorted by relative path.

    Junk files and folders are skipped, and so are symbolic links: following one could pull a file
    from outside the package into a hash or an export. The validator reports them instead.
    """
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(is_junk(part) for part in relative.parts) or _crosses_link(folder, relative):
            continue
        if path.is_file():
            found.append((relative.as_posix(), path))
    yield from sorted(found)


def symlinks(folder: Path) -> list[str]:
    """Relative paths of the symbolic links inside the package (not inside junk folders)."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_symlink() and not any(is_junk(part) for part in path.relative_to(folder).parts)
    )


def content_hash(folder: Path) -> str:
    """sha256 hex over every package file's relative path and bytes, in sorted order.

    Each path and each file's length are framed so that moving bytes from one file to the next, or
    renaming a file, always changes the hash.
    """
    digest = hashlib.sha256()
    for relative, path in package_files(folder):
        data = path.read_bytes()
        name = relative.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def read_text(path: Path) -> tuple[str | None, int]:
    """The file's text with universal newlines, or (None, line of the first byte that is not UTF-8)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, data.count(b"\n", 0, exc.start) + 1
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), 0


def _crosses_link(folder: Path, relative: Path) -> bool:
    current = folder
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return True
    return False
