"""export_archive and extract_archive: a faithful round trip, and every unsafe archive refused."""

import io
import stat
import warnings
import zipfile

import pytest

from app.catalog.content import ArchiveLimits, UnsafeArchive, content_hash, export_archive, extract_archive
from tests.catalog import M1, demo_package, edit, no_database, package_files, write  # noqa: F401

SLUG = "demo-course"


def make_zip(entries: dict, *, tweak=None) -> bytes:
    """A zip of name -> bytes|str; *tweak(info)* may change an entry's ZipInfo before it is written."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests need
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in entries:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                if tweak:
                    tweak(info)
                archive.writestr(info, content)
    return buffer.getvalue()


def valid_entries(prefix=SLUG):
    return [(f"{prefix}/{relative}", content) for relative, content in package_files().items()]


def refused(tmp_path, data, fragment, **kwargs):
    destination = tmp_path / "incoming"
    destination.mkdir(exist_ok=True)
    with pytest.raises(UnsafeArchive) as raised:
        extract_archive(data, destination, **kwargs)
    assert fragment in str(raised.value)
    assert list(destination.iterdir()) == [], "a refused archive must leave nothing behind"
    return str(raised.value)


def test_export_puts_every_file_under_the_slug(package):
    names = zipfile.ZipFile(io.BytesIO(export_archive(package))).namelist()
    assert names == sorted(names)
    assert all(name.startswith(f"{SLUG}/") for name in names)
    assert f"{SLUG}/course.yaml" in names and f"{SLUG}/media/map.png" in names


def test_export_is_deterministic_and_leaves_junk_out(package):
    first = export_archive(package)
    write(package, ".DS_Store", b"\x00")
    write(package, f"{M1}/01-welcome.es.md~", "backup")
    assert export_archive(package) == first


def test_export_refuses_a_folder_that_is_not_a_package(tmp_path):
    with pytest.raises(FileNotFoundError):
        export_archive(tmp_path)


def test_round_trip_keeps_the_content_hash(package, tmp_path):
    folder = extract_archive(export_archive(package), tmp_path / "incoming")
    assert folder == tmp_path / "incoming" / SLUG
    assert content_hash(folder) == content_hash(package)
    assert [p.name for p in (tmp_path / "incoming").iterdir()] == [SLUG]


def test_hand_made_zip_with_folder_entries_and_mac_leftovers(tmp_path):
    entries = [(f"{SLUG}/", b""), ("__MACOSX/", b""), (f"__MACOSX/{SLUG}/._course.yaml", b"\x00")]
    entries += [*valid_entries(), (f"{SLUG}/.DS_Store", b"\x00")]
    folder = extract_archive(make_zip(entries), tmp_path)
    assert (folder / "course.yaml").is_file()
    assert not (folder / ".DS_Store").exists() and not (tmp_path / "__MACOSX").exists()


def test_an_archive_with_ordinary_problems_still_extracts(tmp_path):
    entries = [
        (name, b"title: {es: x}\n" if name.endswith("module.yaml") else content) for name, content in valid_entries()
    ]
    assert (extract_archive(make_zip(entries), tmp_path) / "course.yaml").is_file()


def test_existing_target_is_never_overwritten(package, tmp_path):
    (tmp_path / "incoming" / SLUG).mkdir(parents=True)
    with pytest.raises(FileExistsError):
        extract_archive(export_archive(package), tmp_path / "incoming")
    assert [p.name for p in (tmp_path / "incoming").iterdir()] == [SLUG]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        (f"{SLUG}/../evil.txt", "tries to leave its folder"),
        ("../evil.txt", "tries to leave its folder"),
        (f"{SLUG}/media/../../evil.txt", "tries to leave its folder"),
        ("/etc/evil.txt", "is an absolute path"),
        ("C:/evil.txt", "is an absolute path"),
        ("c:evil.txt", "is an absolute path"),
        (f"{SLUG}\\..\\evil.txt", "uses backslashes"),
        (f"{SLUG}/media\\evil.txt", "uses backslashes"),
        (f"{SLUG}//evil.txt", "empty path segments"),
        (f"{SLUG}/./evil.txt", "tries to leave its folder"),
    ],
)
def test_path_traversal_is_refused(tmp_path, name, fragment):
    refused(tmp_path, make_zip([*valid_entries(), (name, b"x")]), fragment)


@pytest.mark.parametrize(
    "name", [f"{SLUG}/media/a\x01b.png", f"{SLUG}/media/line\nbreak.png", f"{SLUG}/media/\x7f.png"]
)
def test_control_characters_in_names_are_refused(tmp_path, name):
    refused(tmp_path, make_zip([*valid_entries(), (name, b"x")]), "control characters")


def test_nul_byte_in_a_name_is_refused(tmp_path):
    marker = f"{SLUG}/media/xx.png"
    data = make_zip([*valid_entries(), (marker, b"x")])
    # zipfile cannot write a NUL in a name, so patch one into both headers of the finished archive.
    data = data.replace(marker.encode(), f"{SLUG}/media/x\x00.png".encode())
    refused(tmp_path, data, "control characters")


def test_symlink_entries_are_refused(tmp_path):
    def as_link(info):
        if info.filename.endswith("map.png"):
            info.external_attr = (stat.S_IFLNK | 0o777) << 16

    refused(tmp_path, make_zip(valid_entries(), tweak=as_link), "is a symbolic link")


def test_device_entries_are_refused(tmp_path):
    def as_fifo(info):
        if info.filename.endswith("map.png"):
            info.external_attr = (stat.S_IFIFO | 0o644) << 16

    refused(tmp_path, make_zip(valid_entries(), tweak=as_fifo), "not a plain file or folder")


def test_two_top_level_folders_are_refused(tmp_path):
    refused(tmp_path, make_zip([*valid_entries(), ("other/file.txt", b"x")]), "exactly one top-level folder")


def test_a_file_beside_the_package_folder_is_refused(tmp_path):
    refused(tmp_path, make_zip([*valid_entries(), ("README.txt", b"x")]), "is outside the package folder")


def test_a_package_folder_with_an_unsafe_name_is_refused(tmp_path):
    refused(tmp_path, make_zip(valid_entries("Demo Course")), "must be named with lower-case letters")


def test_duplicate_names_are_refused(tmp_path):
    refused(tmp_path, make_zip([*valid_entries(), (f"{SLUG}/course.yaml", b"slug: evil\n")]), "twice")


def test_names_that_differ_only_in_case_are_refused(tmp_path):
    refused(tmp_path, make_zip([*valid_entries(), (f"{SLUG}/Course.yaml", b"x")]), "twice")


def test_a_name_that_is_both_file_and_folder_is_refused(tmp_path):
    entries = [*valid_entries(), (f"{SLUG}/media/map.png/inner.png", b"x")]
    refused(tmp_path, make_zip(entries), "is both a file and a folder")


def test_too_many_files_are_refused(tmp_path):
    refused(tmp_path, make_zip(valid_entries()), "more than 5 files", limits=ArchiveLimits(max_files=5))


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    entries = [*valid_entries(), (f"{SLUG}/media/big.bin", b"\x00" * 5000)]
    refused(tmp_path, make_zip(entries), "larger than 4096 bytes", limits=ArchiveLimits(max_file_bytes=4096))


def test_total_over_the_size_limit_is_refused(tmp_path):
    entries = [*valid_entries(), *[(f"{SLUG}/media/part{n}.bin", b"\x00" * 3000) for n in range(4)]]
    refused(
        tmp_path, make_zip(entries), "unpacks to more than 10000 bytes", limits=ArchiveLimits(max_total_bytes=10000)
    )


def test_a_zip_bomb_that_lies_about_its_size_is_refused(tmp_path):
    bomb = f"{SLUG}/media/bomb.bin"
    data = make_zip([*valid_entries(), (bomb, b"\x00" * 2_000_000)])
    data = patch_header(data, bomb, local_offset=22, central_offset=24, value=(100).to_bytes(4, "little"))
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(bomb).file_size == 100
    refused(tmp_path, data, "bomb.bin", limits=ArchiveLimits(max_file_bytes=100_000))


def test_bytes_are_counted_while_inflating(tmp_path, monkeypatch):
    # CPython's zipfile stops at the declared size and then fails the CRC; a reader that did not would
    # still be caught by our own count, which this test exercises by handing out too many bytes.
    bomb = f"{SLUG}/media/bomb.bin"
    data = make_zip([*valid_entries(), (bomb, b"\x00" * 100)])
    real_open = zipfile.ZipFile.open

    def generous_open(self, name, *args, **kwargs):
        if getattr(name, "filename", name) == bomb:
            return io.BytesIO(b"\x00" * 1_000_000)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", generous_open)
    refused(tmp_path, data, "'demo-course/media/bomb.bin' inflates beyond its declared size")


def test_encrypted_entries_are_refused(tmp_path):
    name = f"{SLUG}/media/map.png"
    data = patch_header(
        make_zip(valid_entries()), name, local_offset=6, central_offset=8, value=(1).to_bytes(2, "little")
    )
    refused(tmp_path, data, "is encrypted")


def patch_header(data: bytes, name: str, *, local_offset: int, central_offset: int, value: bytes) -> bytes:
    """Overwrite a field of *name*'s local and central directory headers: what zipfile will not write."""
    patched = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset
    patched[local + local_offset : local + local_offset + len(value)] = value
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    patched[central + central_offset : central + central_offset + len(value)] = value
    return bytes(patched)


def test_missing_course_yaml_is_refused(tmp_path):
    entries = [(name, content) for name, content in valid_entries() if not name.endswith("course.yaml")]
    refused(tmp_path, make_zip(entries), f"has no {SLUG}/course.yaml")


def test_raw_html_in_a_lesson_is_refused(tmp_path):
    entries = [
        (name, content.replace("Text.", "<script>alert(1)</script>") if name.endswith("01-welcome.en.md") else content)
        for name, content in valid_entries()
    ]
    message = refused(tmp_path, make_zip(entries), "raw HTML")
    assert f"{SLUG}/{M1}/01-welcome.en.md:8: raw HTML is not allowed (found '<script')" in message


def test_javascript_link_in_a_lesson_is_refused(tmp_path):
    entries = [
        (
            name,
            content.replace("(https://example.org)", "(javascript:alert(1))") if name.endswith(".es.md") else content,
        )
        for name, content in valid_entries()
    ]
    refused(tmp_path, make_zip(entries), "unsafe link")


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_data_that_is_not_a_zip_is_refused(tmp_path, data):
    refused(tmp_path, data, "not a readable zip archive")


def test_an_empty_zip_is_refused(tmp_path):
    refused(tmp_path, make_zip([]), "The archive is empty")
