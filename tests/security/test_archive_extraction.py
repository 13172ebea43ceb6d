"""``get_file(..., extract=True)`` against hostile archives (issue 14, item 6; CVE-2025-4517).

Each test builds its archive at run time in ``tmp_path/served`` and fetches it through a
``file://`` origin (``get_file`` reads those with ``urllib``, as Keras does: no network). The
cache is ``tmp_path/cache``; ``tmp_path/outside`` plays the rest of the disk (an IPython startup
folder, ``/etc``). After a refusal: the error is an ``UnsafeArchiveError`` (a ``ValueError``)
naming the member and the problem, nothing changed anywhere under ``tmp_path``, and the cache
holds neither an extracted folder nor a temporary one nor the hostile archive.

Keras 3.15 skips unsafe members with a warning and extracts the rest; kerlite refuses the whole
archive, which is stricter and says why.
"""

import io
import os
import stat
import tarfile
import warnings
import zipfile

import pytest

import kerlite as keras
from kerlite.utils import archive_utils, get_file
from kerlite.utils.archive_utils import UnsafeArchiveError, extract_archive


def _add(tar, name, kind=tarfile.REGTYPE, data=b"", linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def _write_tar(path, members, mode="w"):
    """``members``: (name, kind, data, linkname) tuples, written in order."""
    with tarfile.open(path, mode) as tar:
        for name, kind, data, linkname in members:
            _add(tar, name, kind, data, linkname)
    return path


def _write_zip(path, members):
    """``members``: ZipInfo objects or names, with their bytes."""
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members:
            archive.writestr(info, data)
    return path


@pytest.fixture
def place(tmp_path):
    """The three folders of every test, and a snapshot of everything under ``tmp_path``."""

    class Place:
        served = tmp_path / "served"
        cache = tmp_path / "cache"
        outside = tmp_path / "outside"
        secret = tmp_path / "outside" / "passwd"

        def snapshot(self):
            found = {}
            for folder, dirs, files in os.walk(tmp_path):
                for name in dirs + files:
                    full = os.path.join(folder, name)
                    found[full] = os.lstat(full).st_size if name in files else "dir"
            return found

        def datasets(self):
            return sorted(os.listdir(self.cache / "datasets"))

    for folder in (Place.served, Place.cache / "datasets", Place.outside):
        folder.mkdir(parents=True)
    Place.secret.write_bytes(b"root:x:0:0\n")
    return Place()


def _refused(place, archive_path, member=None, problem=""):
    """Fetch and extract ``archive_path``; check the refusal and that nothing changed."""
    before = place.snapshot()
    with pytest.raises(UnsafeArchiveError) as caught:
        get_file(archive_path.name, origin=archive_path.as_uri(), extract=True,
                 cache_dir=str(place.cache))
    message = str(caught.value)
    assert (member is None or repr(member) in message) and problem in message, message
    assert isinstance(caught.value, ValueError)
    assert place.snapshot() == before
    assert place.datasets() == []  # no extracted folder, no ".part" folder, no archive
    assert place.secret.read_bytes() == b"root:x:0:0\n"
    assert list(place.outside.iterdir()) == [place.secret]
    return message


def test_tar_member_with_dotdot_is_refused(place):
    archive = _write_tar(place.served / "evil.tar.gz", [
        ("fine.txt", tarfile.REGTYPE, b"ok", ""),
        ("../../outside/marker", tarfile.REGTYPE, b"pwned", ""),
    ], mode="w:gz")
    _refused(place, archive, "../../outside/marker", "'..'")


def test_tar_member_with_an_absolute_name_is_refused(place):
    target = str(place.outside / "marker")
    archive = _write_tar(place.served / "abs.tar", [(target, tarfile.REGTYPE, b"pwned", "")])
    _refused(place, archive, target, "absolute path")


def test_tar_symlink_then_a_file_through_it_is_refused(place):
    archive = _write_tar(place.served / "link.tar", [
        ("door", tarfile.SYMTYPE, b"", "../../../outside"),
        ("door/marker", tarfile.REGTYPE, b"pwned", ""),
    ])
    _refused(place, archive, "door", "symbolic link")


def test_tar_symlink_pointing_inside_is_refused_too(place):
    """Even a harmless-looking link is refused: links are how CVE-2025-4517 escapes."""
    archive = _write_tar(place.served / "inner.tar", [
        ("data/a.txt", tarfile.REGTYPE, b"alpha", ""),
        ("alias", tarfile.SYMTYPE, b"", "data/a.txt"),
    ])
    _refused(place, archive, "alias", "symbolic link")


@pytest.mark.parametrize("relative", [False, True])
def test_tar_hard_link_to_a_file_outside_is_refused(place, relative):
    """A hard link to a secret outside the cache would expose (or, written through, change) it."""
    linkname = "../../outside/passwd" if relative else str(place.secret)
    archive = _write_tar(place.served / "hard.tar", [
        ("passwd", tarfile.LNKTYPE, b"", linkname),
        ("passwd", tarfile.REGTYPE, b"overwritten", ""),
    ])
    _refused(place, archive, "passwd", "hard link to")


def test_tar_hard_link_to_a_name_not_in_the_archive_is_refused(place):
    archive = _write_tar(place.served / "hard2.tar", [("copy", tarfile.LNKTYPE, b"", "elsewhere")])
    _refused(place, archive, "copy", "not a file extracted earlier")


def test_tar_hard_link_to_an_earlier_member_is_extracted_as_a_copy(place):
    archive = _write_tar(place.served / "dup.tar", [
        ("data/a.txt", tarfile.REGTYPE, b"alpha", ""),
        ("data/b.txt", tarfile.LNKTYPE, b"", "data/a.txt"),
    ])
    folder = get_file("dup.tar", origin=archive.as_uri(), extract=True, cache_dir=str(place.cache))
    copy = os.path.join(folder, "data", "b.txt")
    assert open(copy, "rb").read() == b"alpha"
    assert not os.path.islink(copy) and os.stat(copy).st_nlink == 1


@pytest.mark.parametrize("kind", [tarfile.FIFOTYPE, tarfile.CHRTYPE, tarfile.BLKTYPE])
def test_tar_devices_and_fifos_are_refused(place, kind):
    archive = _write_tar(place.served / "dev.tar", [("null", kind, b"", "")])
    _refused(place, archive, "null", "special file")


def _cve_2025_4517_tar(path):
    """The published PATH_MAX symlink chain: ``realpath`` stops resolving once the path grows past
    PATH_MAX, so a check built on it sees ``escape`` inside the folder while the kernel follows it
    to ``tmp_path/outside``, and ``escape/marker`` lands there."""
    component = "d" * 247
    steps = "abcdefghijklmnop"
    members, prefix = [], ""
    for step in steps:
        members.append((os.path.join(prefix, component), tarfile.DIRTYPE, b"", ""))
        members.append((os.path.join(prefix, step), tarfile.SYMTYPE, b"", component))
        prefix = os.path.join(prefix, component)
    chain = os.path.join(*steps)
    members.append((chain, tarfile.SYMTYPE, b"", "../" * len(steps)))
    members.append(("escape", tarfile.SYMTYPE, b"", chain + "/../../../outside"))
    members.append(("escape/marker", tarfile.REGTYPE, b"pwned", ""))
    return _write_tar(path, members)


def test_cve_2025_4517_symlink_chain_is_refused(place):
    archive = _cve_2025_4517_tar(place.served / "chain.tar")
    _refused(place, archive, "a", "symbolic link")


def test_zip_member_with_dotdot_is_refused(place):
    archive = _write_zip(place.served / "evil.zip", [
        ("ok.txt", b"ok"), ("../../outside/marker", b"pwned"),
    ])
    _refused(place, archive, "../../outside/marker", "'..'")


@pytest.mark.parametrize("name", ["..\\..\\outside\\marker", "/etc/marker", "C:/marker"])
def test_zip_windows_and_absolute_names_are_refused(place, name):
    archive = _write_zip(place.served / "win.zip", [(name, b"pwned")])
    _refused(place, archive, name, "'..'" if ".." in name else "absolute path")


def test_zip_symlink_entry_is_refused(place):
    link = zipfile.ZipInfo("door")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = _write_zip(place.served / "link.zip", [(link, b"../../outside")])
    _refused(place, archive, "door", "symbolic link")


def test_tar_bomb_is_refused_with_the_limit_and_how_to_raise_it(place):
    keras.config.set_load_limits(max_archive_bytes=1 << 20)
    archive = _write_tar(place.served / "bomb.tar.gz", [
        (f"zeros{i}", tarfile.REGTYPE, bytes(600_000), "") for i in range(2)
    ], mode="w:gz")
    assert archive.stat().st_size < 20_000  # a few KB that unpack to more than the limit
    message = _refused(place, archive)
    assert "max_archive_bytes=1048576" in message and "trust" in message
    assert "keras.config.set_load_limits(max_archive_bytes=" in message

    keras.config.set_load_limits(max_archive_bytes=4 << 20)
    folder = get_file("bomb.tar.gz", origin=archive.as_uri(), extract=True,
                      cache_dir=str(place.cache))
    assert sorted(os.listdir(folder)) == ["zeros0", "zeros1"]


def test_zip_bomb_counts_the_bytes_written_not_the_sizes_declared(place, monkeypatch):
    """A zip's central directory can understate a member's size; the bytes written are counted."""
    staging = place.served / "staging"
    staging.mkdir()
    lying = archive_utils._Entry("file", ("zeros",), "declared as 10 bytes", None)
    with pytest.raises(UnsafeArchiveError, match="max_archive_bytes"):
        archive_utils._write_entries(
            [lying], lambda member: io.BytesIO(bytes(300_000)), str(staging), "liar.zip", 100_000,
        )
    assert os.path.getsize(staging / "zeros") <= 100_000


def test_member_count_bomb_is_refused(place):
    keras.config.set_load_limits(max_archive_members=50)
    archive = _write_zip(place.served / "many.zip", [(f"f{i}", b"") for i in range(51)])
    message = _refused(place, archive)
    assert "max_archive_members=50" in message and "51 members" in message
    assert "keras.config.set_load_limits(max_archive_members=" in message


def test_a_refused_archive_leaves_an_earlier_extraction_intact(place):
    good = _write_tar(place.served / "pack.tar", [("a.txt", tarfile.REGTYPE, b"alpha", "")])
    folder = get_file("pack.tar", origin=good.as_uri(), extract=True, cache_dir=str(place.cache))
    extract_bad = _write_tar(place.served / "bad.tar", [("../x", tarfile.REGTYPE, b"", "")])
    with pytest.raises(UnsafeArchiveError):
        extract_archive(str(extract_bad), folder)
    assert os.listdir(folder) == ["a.txt"]
    assert sorted(place.datasets()) == ["pack.tar", "pack_extracted"]


def test_extract_archive_refuses_to_replace_the_current_folder(place, monkeypatch):
    good = _write_tar(place.served / "pack.tar", [("a.txt", tarfile.REGTYPE, b"alpha", "")])
    monkeypatch.chdir(place.outside)
    with pytest.raises(ValueError, match="contains the current folder"):
        extract_archive(str(good), ".")
    with pytest.raises(ValueError, match="contains the current folder"):
        extract_archive(str(good), str(place.outside.parent))
    assert place.secret.exists()


@pytest.mark.parametrize("fname, origin_tail", [("..", "pack.tar"), (None, "sub/..")])
def test_dot_dot_as_the_file_name_is_refused(place, fname, origin_tail):
    """Otherwise the cache folder itself would be the extraction folder, replaced wholesale."""
    _write_tar(place.served / "pack.tar", [("a.txt", tarfile.REGTYPE, b"alpha", "")])
    (place.cache / "keep.txt").write_bytes(b"keep")
    origin = place.served.as_uri() + "/" + origin_tail
    with pytest.raises(ValueError):
        get_file(fname, origin=origin, extract=True, cache_dir=str(place.cache))
    assert (place.cache / "keep.txt").read_bytes() == b"keep"


def test_cached_file_failing_its_hash_is_deleted_when_the_download_fails(place):
    archive = _write_tar(place.served / "pack.tar", [("a.txt", tarfile.REGTYPE, b"alpha", "")])
    folder = get_file("pack.tar", origin=archive.as_uri(), extract=True, cache_dir=str(place.cache))
    cached = place.cache / "datasets" / "pack.tar"
    cached.write_bytes(b"tampered")
    archive.unlink()  # the re-download will fail
    with pytest.raises(OSError):
        get_file("pack.tar", origin=archive.as_uri(), file_hash="0" * 64, extract=True,
                 cache_dir=str(place.cache))
    assert not cached.exists() and not os.path.exists(folder)
    assert place.datasets() == []


@pytest.mark.parity
def test_keras_also_keeps_dotdot_and_link_members_inside(place):
    """Keras 3.15 skips (warns about) the escaping members and extracts the others; kerlite
    refuses the whole archive. Both leave ``outside`` untouched."""
    from _keras_reference import import_keras

    keras = import_keras()
    archive = _write_tar(place.served / "mixed.tar", [
        ("fine.txt", tarfile.REGTYPE, b"ok", ""),
        ("../../outside/marker", tarfile.REGTYPE, b"pwned", ""),
        ("door", tarfile.SYMTYPE, b"", "../../../outside"),
        ("door/marker2", tarfile.REGTYPE, b"pwned", ""),
    ])
    keras_cache = place.served / "keras_cache"
    keras_cache.mkdir()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            keras.utils.get_file("mixed.tar", origin=archive.as_uri(), extract=True,
                                 cache_dir=str(keras_cache))
        except OSError:
            pass  # Keras's tarfile may stop at the skipped link's child; nothing escaped
    assert any("Skipping invalid path" in str(w.message) for w in caught)
    assert list(place.outside.iterdir()) == [place.secret]
    _refused(place, archive, "../../outside/marker", "'..'")
