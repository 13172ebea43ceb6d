"""Unpack a downloaded .tar / .tar.gz / .zip archive safely (used by ``get_file(extract=True)``).

An archive from the internet is untrusted input, so kerlite writes it member by member by its
own rules instead of trusting ``extractall``:

* only regular files and folders are written. Symbolic links, devices and fifos are refused:
  a chain of links longer than PATH_MAX fools every ``os.path.realpath`` check, Python 3.11's
  ``filter="data"`` included (CVE-2025-4517). A tar hard link to a file written earlier from
  the same archive becomes a copy of that file; any other hard link is refused;
* a member name must be relative and free of "..": checked as text, and once its folders
  exist, on the real path;
* the whole archive is checked before anything is written; the number of members and the
  bytes written are bounded (tar and zip bombs) by the load limits ``max_archive_members``
  and ``max_archive_bytes`` (raise them with ``keras.config.set_load_limits``);
* everything goes into a fresh temporary folder next to the target, which is renamed into place
  only when every member was written: a refused or broken archive leaves nothing behind.

Keras 3.15 skips (with a warning) the members whose path or link leaves the folder and extracts
the rest, links included; kerlite refuses the whole archive and names the member and the problem.
"""

import os
import re
import shutil
import stat
import tempfile
from collections import namedtuple

from kerlite.safe_loading import limit_message, load_limit

_CHUNK_BYTES = 1 << 16

# kind: "dir", "file" (bytes from the archive) or "copy" (bytes of a file written earlier).
_Entry = namedtuple("_Entry", ["kind", "parts", "member", "copy_of"])


class UnsafeArchiveError(ValueError):
    """An archive member could land outside the target folder, or the archive is too large."""


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extract ``file_path`` into the folder ``path``; return True when an archive was unpacked.

    ``archive_format``: "auto" (try tar, then zip), "tar", "zip", a list of those, or None
    (do nothing). ``path`` is replaced as a whole by the archive's contents. The archive may
    hold at most ``max_archive_members`` members and ``max_archive_bytes`` bytes (load limits).
    An unsafe archive raises ``UnsafeArchiveError`` (a ``ValueError``), an unreadable one
    ``ValueError``; either way ``path`` is left as it was and no temporary folder remains.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    if isinstance(formats, str):
        formats = [formats]
    for fmt in formats:
        if fmt not in ("tar", "zip"):
            raise ValueError(f"`archive_format` must be 'auto', 'tar' or 'zip'. Received: {fmt!r}")
    file_path, path = os.fspath(file_path), os.fspath(path)
    _check_replaceable(path)
    limits = (load_limit("max_archive_bytes"), load_limit("max_archive_members"))
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
                    entries = _plan_tar(archive, file_path, *limits)
                    open_member = archive.extractfile
                else:
                    entries = _plan_zip(archive, file_path, *limits)
                    open_member = archive.open
                _write_entries(entries, open_member, staging, file_path, limits[0])
            _move_into_place(staging, path)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            unreadable = (tarfile.TarError, zipfile.BadZipFile, EOFError, RuntimeError,
                          NotImplementedError)
            if isinstance(error, unreadable) and not isinstance(error, UnsafeArchiveError):
                raise ValueError(f"Could not extract the archive {file_path}: {error}") from error
            raise
        return True
    return False


def _check_replaceable(path):
    """Refuse a target that holds the current folder: replacing it would delete the caller's work."""
    target = os.path.realpath(path)
    here = os.path.realpath(os.getcwd())
    if os.path.commonpath([target, here]) == target:
        raise ValueError(
            f"Cannot extract into {path!r}: the folder is replaced by the archive's contents and "
            f"it contains the current folder {here}. Pass a new folder to extract into."
        )


def _refuse(file_path, name, problem):
    return UnsafeArchiveError(
        f"Refusing to extract the archive {file_path}: member {name!r} {problem}. "
        "Nothing was extracted."
    )


def _too_big(file_path, limit_name, requested, what):
    """The refusal of an archive past the load limit ``limit_name`` (an archive bomb?)."""
    message = limit_message(limit_name, requested, f"to extract the archive {file_path} ({what})")
    return UnsafeArchiveError(f"{message} Nothing was extracted.")


def _safe_parts(name, file_path):
    """The folder names of a member's path, refusing absolute paths and "..". "" means the root."""
    text = name.replace("\\", "/")  # a Windows separator counts as one
    if text.startswith("/") or re.match(r"[A-Za-z]:", text):
        raise _refuse(file_path, name, "has an absolute path")
    if "\x00" in text:
        raise _refuse(file_path, name, "has a NUL character in its name")
    parts = tuple(part for part in text.split("/") if part not in ("", "."))
    if ".." in parts:
        raise _refuse(file_path, name, "has '..' in its path, which leads outside the target folder")
    return parts


def _plan_tar(archive, file_path, max_bytes, max_members):
    """Check every tar member before anything is written; return what to write, in order."""
    entries, files, declared = [], set(), 0
    for count, member in enumerate(archive, start=1):
        if count > max_members:
            raise _too_big(file_path, "max_archive_members", count,
                           f"at least {count:,} members")
        parts = _safe_parts(member.name, file_path)
        if member.isdir():
            if parts:
                entries.append(_Entry("dir", parts, None, None))
            continue
        if not parts:
            raise _refuse(file_path, member.name, "has no file name")
        if member.isreg():
            declared += member.size
            entries.append(_Entry("file", parts, member, None))
        elif member.islnk():
            try:
                source = _safe_parts(member.linkname, file_path)
            except UnsafeArchiveError:
                raise _refuse(
                    file_path, member.name,
                    f"is a hard link to {member.linkname!r}, outside the target folder",
                ) from None
            if source not in files:
                raise _refuse(
                    file_path, member.name,
                    f"is a hard link to {member.linkname!r}, which is not a file extracted earlier "
                    "from this archive",
                )
            declared += member.size
            entries.append(_Entry("copy", parts, None, source))
        elif member.issym():
            raise _refuse(
                file_path, member.name,
                f"is a symbolic link (to {member.linkname!r}); kerlite extracts only files and "
                "folders, because links can lead outside the target folder (CVE-2025-4517)",
            )
        else:
            raise _refuse(file_path, member.name, "is a device, fifo or other special file")
        files.add(parts)
        if declared > max_bytes:
            raise _too_big(file_path, "max_archive_bytes", declared,
                           f"at least {declared:,} bytes of content")
    return entries


def _plan_zip(archive, file_path, max_bytes, max_members):
    """Check every zip member before anything is written; return what to write, in order."""
    infos = archive.infolist()
    if len(infos) > max_members:
        raise _too_big(file_path, "max_archive_members", len(infos), f"{len(infos):,} members")
    entries, declared = [], 0
    for info in infos:
        parts = _safe_parts(info.filename, file_path)
        mode = info.external_attr >> 16  # the Unix mode, when the archive was made on Unix
        if stat.S_ISLNK(mode):
            raise _refuse(
                file_path, info.filename,
                "is a symbolic link; kerlite extracts only files and folders, because links can "
                "lead outside the target folder",
            )
        if info.is_dir() or stat.S_ISDIR(mode):
            if parts:
                entries.append(_Entry("dir", parts, None, None))
            continue
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise _refuse(file_path, info.filename, "is a device, fifo or other special file")
        if not parts:
            raise _refuse(file_path, info.filename, "has no file name")
        declared += info.file_size
        if declared > max_bytes:
            raise _too_big(file_path, "max_archive_bytes", declared,
                           f"at least {declared:,} bytes of content")
        entries.append(_Entry("file", parts, info, None))
    return entries


def _write_entries(entries, open_member, staging, file_path, max_bytes):
    """Write the checked entries under ``staging``, counting the bytes actually written."""
    root = os.path.realpath(staging)
    written = 0
    for entry in entries:
        destination = os.path.join(root, *entry.parts)
        folder = destination if entry.kind == "dir" else os.path.dirname(destination)
        os.makedirs(folder, exist_ok=True)
        real_folder = os.path.realpath(folder)
        if os.path.commonpath([root, real_folder]) != root:  # cannot happen without links; checked
            raise _refuse(file_path, "/".join(entry.parts), "resolves outside the target folder")
        if entry.kind == "dir":
            continue
        if entry.kind == "copy":
            source = open(os.path.join(root, *entry.copy_of), "rb")
        else:
            source = open_member(entry.member)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with source, os.fdopen(os.open(destination, flags, 0o644), "wb") as out:
            for chunk in iter(lambda: source.read(_CHUNK_BYTES), b""):
                written += len(chunk)
                if written > max_bytes:  # the sizes an archive declares can lie
                    raise _too_big(file_path, "max_archive_bytes", written,
                                   f"more than {max_bytes:,} bytes of content, although it "
                                   "declares fewer")
                out.write(chunk)


def _move_into_place(staging, path):
    """Replace ``path`` by the finished ``staging`` folder."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
    os.replace(staging, path)
