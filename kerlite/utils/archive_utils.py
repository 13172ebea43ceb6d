"""Unpack a downloaded .tar / .tar.gz / .zip archive safely (used by ``get_file(extract=True)``).

Safe means: no member may land outside the target folder (no "../" or absolute paths, no links
pointing out), and a half-finished extraction never looks finished: members go into a temporary
folder that is renamed to the target only when everything was written.
"""

import os
import shutil
import tempfile


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extract ``file_path`` into the folder ``path``; return True when an archive was unpacked.

    ``archive_format``: "auto" (try tar, then zip), "tar", "zip", a list of those, or None
    (do nothing). An unreadable archive raises ``ValueError`` and leaves ``path`` untouched.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    if isinstance(formats, str):
        formats = [formats]
    for fmt in formats:
        if fmt not in ("tar", "zip"):
            raise ValueError(f"`archive_format` must be 'auto', 'tar' or 'zip'. Received: {fmt!r}")
    import tarfile
    import zipfile

    openers = {"tar": (tarfile.is_tarfile, tarfile.open), "zip": (zipfile.is_zipfile, zipfile.ZipFile)}
    for fmt in formats:
        is_archive, open_archive = openers[fmt]
        if not is_archive(file_path):
            continue
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".part", dir=parent)
        try:
            with open_archive(file_path) as archive:
                if fmt == "tar":
                    _extract_tar(archive, staging)
                else:
                    _extract_zip(archive, staging)
            os.chmod(staging, 0o755)  # mkdtemp makes it private
            if os.path.isdir(path):
                shutil.rmtree(path)
            os.replace(staging, path)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, (tarfile.TarError, zipfile.BadZipFile, EOFError)):
                raise ValueError(f"Could not extract the archive {file_path}: {error}") from error
            raise
        return True
    return False


def _inside(base, name):
    """True when ``name`` (relative) resolves to a place inside the folder ``base``."""
    base = os.path.realpath(base)
    target = os.path.realpath(os.path.join(base, name))
    return os.path.commonpath([base, target]) == base


def _extract_tar(archive, folder):
    safe = []
    for member in archive.getmembers():
        if not _inside(folder, member.name):
            raise ValueError(f"Unsafe path in archive (outside the target folder): {member.name}")
        if member.issym() or member.islnk():
            link_base = os.path.dirname(member.name) if member.issym() else ""
            if not _inside(folder, os.path.join(link_base, member.linkname)):
                raise ValueError(f"Unsafe link in archive: {member.name} -> {member.linkname}")
        if member.isdev():
            continue
        safe.append(member)
    try:
        archive.extractall(folder, members=safe, filter="data")
    except TypeError:  # Python without extraction filters
        archive.extractall(folder, members=safe)


def _extract_zip(archive, folder):
    for name in archive.namelist():
        if not _inside(folder, name):
            raise ValueError(f"Unsafe path in archive (outside the target folder): {name}")
    archive.extractall(folder)
