"""Zip export and safe zip import of one package."""

import io
import lzma
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from app.catalog.content.check_markdown import is_unsafe_markup
from app.catalog.content.files import is_junk, package_files
from app.catalog.content.reader import validate_package
from app.catalog.content.rules import COURSE_FILE, SLUG

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip epoch: the same package always exports to the same bytes
_CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_MAC_RESOURCES = "__MACOSX"  # Finder's "Compress" adds this folder beside the real one
# What zipfile and its decompressors raise for corrupt or unsupported data, as seen by fuzzing exports.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


@dataclass(frozen=True)
class ArchiveLimits:
    """Ceilings for one import; the defaults leave ample room for a course with video."""

    max_files: int = 2000
    max_file_bytes: int = 20 * 1024**2
    max_total_bytes: int = 200 * 1024**2


class UnsafeArchive(Exception):
    """The archive was refused; the message is a sentence that can be shown to the person importing it."""


def export_archive(folder: Path) -> bytes:
    """A deterministic zip of the package, every path under ``<slug>/``; junk and symlinks left out."""
    if not (folder / COURSE_FILE).is_file():
        raise FileNotFoundError(f"{folder} is not a course package: it has no {COURSE_FILE}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, path in package_files(folder):
            info = zipfile.ZipInfo(f"{folder.name}/{relative}", date_time=_FIXED_TIME)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def extract_archive(data: bytes, destination: Path, *, limits: ArchiveLimits = ArchiveLimits()) -> Path:
    """Unpack a package zip into ``destination/<slug>/`` and return that folder.

    Every entry is vetted before a byte is written, sizes are counted again while inflating (a zip
    bomb lies about them), and the package is unpacked in a scratch folder that is only moved into
    place once the lessons are known to hold no raw HTML. On any refusal nothing is left behind.
    Raises UnsafeArchive, or FileExistsError if ``destination/<slug>`` already exists.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGED as exc:
        raise UnsafeArchive("The file is not a readable zip archive.") from exc
    with archive:
        slug, members = _plan(archive.infolist(), limits)
        destination.mkdir(parents=True, exist_ok=True)
        target = destination / slug
        if target.exists():
            raise FileExistsError(f"{target} already exists; import into an empty folder.")
        scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=destination))
        try:
            _unpack(archive, members, scratch, limits)
            _refuse_unsafe_markup(scratch / slug)
            (scratch / slug).rename(target)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def _plan(infos: list[zipfile.ZipInfo], limits: ArchiveLimits) -> tuple[str, list[tuple[zipfile.ZipInfo, list[str]]]]:
    """Vet every entry's name, type and declared size; return the slug and the files to write.

    Junk (.DS_Store, Finder's __MACOSX) is vetted and counted like any entry, then left unwritten.
    """
    if not infos:
        raise UnsafeArchive("The archive is empty.")
    tops, seen, members, files, total = set(), set(), [], 0, 0
    for info in infos:
        parts = _safe_parts(info)
        key = "/".join(parts).casefold()  # case-insensitive disks would merge names differing in case
        if key in seen:
            raise UnsafeArchive(f"The archive contains {info.orig_filename!r} twice.")
        seen.add(key)
        if not info.is_dir():
            files, total = files + 1, total + info.file_size
            _check_declared_size(info, files, total, limits)
        if parts[0] == _MAC_RESOURCES:
            continue
        tops.add(parts[0])
        if info.is_dir():
            continue
        if len(parts) == 1:
            raise UnsafeArchive(f"{info.orig_filename!r} is outside the package folder; put everything in one folder.")
        if not any(is_junk(part) for part in parts):
            members.append((info, parts))
    slug = _single_top(tops)
    _check_layout(slug, members)
    return slug, members


def _safe_parts(info: zipfile.ZipInfo) -> list[str]:
    # orig_filename: zipfile cuts ZipInfo.filename at a NUL byte, which would hide it from us.
    name = info.orig_filename
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in name):
        raise UnsafeArchive(f"The entry {name!r} has control characters in its name.")
    if "\\" in name:
        raise UnsafeArchive(f"The entry {name!r} uses backslashes; paths in a zip must use '/'.")
    if name.startswith("/") or _DRIVE.match(name):
        raise UnsafeArchive(f"The entry {name!r} is an absolute path.")
    parts = name.removesuffix("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafeArchive(f"The entry {name!r} tries to leave its folder ('..' or empty path segments).")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeArchive(f"The entry {name!r} is a symbolic link; packages may only contain plain files.")
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchive(f"The entry {name!r} is not a plain file or folder.")
    if info.flag_bits & 0x1:
        raise UnsafeArchive(f"The entry {name!r} is encrypted.")
    return parts


def _check_declared_size(info: zipfile.ZipInfo, count: int, total: int, limits: ArchiveLimits) -> None:
    if count > limits.max_files:
        raise UnsafeArchive(f"The archive has more than {limits.max_files} files.")
    if info.file_size > limits.max_file_bytes:
        raise UnsafeArchive(f"{info.orig_filename!r} is larger than {limits.max_file_bytes} bytes.")
    if total > limits.max_total_bytes:
        raise UnsafeArchive(f"The archive unpacks to more than {limits.max_total_bytes} bytes.")


def _single_top(tops: set[str]) -> str:
    if len(tops) != 1:
        raise UnsafeArchive(
            "The archive must contain exactly one top-level folder, the package, and nothing beside it."
        )
    slug = next(iter(tops))
    if not SLUG.match(slug):
        raise UnsafeArchive(f"The package folder {slug!r} must be named with lower-case letters, digits and hyphens.")
    return slug


def _check_layout(slug: str, members: list[tuple[zipfile.ZipInfo, list[str]]]) -> None:
    files = {"/".join(parts) for _, parts in members}
    if f"{slug}/{COURSE_FILE}" not in files:
        raise UnsafeArchive(f"The archive has no {slug}/{COURSE_FILE}, so it is not a course package.")
    folders = {"/".join(parts[:end]) for _, parts in members for end in range(1, len(parts))}
    if clash := sorted(files & folders):
        raise UnsafeArchive(f"{clash[0]!r} is both a file and a folder in the archive.")


def _unpack(archive: zipfile.ZipFile, members: list, scratch: Path, limits: ArchiveLimits) -> None:
    total = 0
    for info, parts in members:
        path = scratch.joinpath(*parts)
        if not path.resolve().is_relative_to(scratch.resolve()):
            raise UnsafeArchive(f"The entry {info.orig_filename!r} would be written outside the package folder.")
        path.parent.mkdir(parents=True, exist_ok=True)
        total += _copy_counted(archive, info, path, limits, total)


def _copy_counted(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: ArchiveLimits, before: int
) -> int:
    """Inflate one entry, stopping as soon as it outgrows its declared size or any limit."""
    written = 0
    with _open_entry(archive, info) as source, path.open("xb") as sink:
        while chunk := _read_chunk(source, info):
            written += len(chunk)
            if written > info.file_size or written > limits.max_file_bytes:
                raise UnsafeArchive(f"{info.orig_filename!r} inflates beyond its declared size.")
            if before + written > limits.max_total_bytes:
                raise UnsafeArchive(f"The archive unpacks to more than {limits.max_total_bytes} bytes.")
            sink.write(chunk)
    return written


def _open_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    try:
        return archive.open(info)
    except _DAMAGED as exc:
        raise _damaged(info) from exc


def _read_chunk(source, info: zipfile.ZipInfo) -> bytes:
    # Only decoding happens here (the archive is in memory), so an OSError is a corrupt stream, not a disk.
    try:
        return source.read(_CHUNK)
    except _DAMAGED as exc:
        raise _damaged(info) from exc


def _damaged(info: zipfile.ZipInfo) -> UnsafeArchive:
    return UnsafeArchive(f"{info.orig_filename!r} is damaged or uses an unsupported compression.")


def _refuse_unsafe_markup(folder: Path) -> None:
    unsafe = [problem for problem in validate_package(folder) if is_unsafe_markup(problem)]
    if unsafe:
        more = f" (and {len(unsafe) - 1} more)" if len(unsafe) > 1 else ""
        raise UnsafeArchive(
            f"The lessons contain raw HTML or script links, which are never imported: {unsafe[0]}{more}."
        )
