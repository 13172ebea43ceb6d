"""Reading a ``.keras`` zip as untrusted input: every size is checked before it is read.

A zip declares, for each member, its stored and its uncompressed size. A "zip bomb"
stores a few bytes that unpack to gigabytes; another file lists millions of members.
Here the member count is read from the zip's end record before Python's ``zipfile``
parses the directory, and each member's declared sizes are compared with the load
limits (``kerlite.safe_loading.LOAD_LIMITS``) before the member is read (``zipfile``
never returns more bytes than a member declares, so the check bounds the read).
"""

import os
import stat
import struct
import zipfile

from kerlite.safe_loading import check_limit, load_limit

_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"
_LARGEST_CENTRAL_ENTRY = 4096  # bytes one directory entry may take, name included
_CHUNK = 2**20
# Smaller members may compress as they like; only larger ones are checked for their ratio.
_RATIO_CHECK_FLOOR_BYTES = 2**20


def _declared_directory(handle):
    """``(members, directory_bytes)`` as the zip's end record states them, or None."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_start = max(0, size - (22 + 65535))
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < 22:
        return None
    members, directory_bytes = struct.unpack("<HI", tail[at + 10:at + 16])
    locator = at - 20
    if (members == 0xFFFF or directory_bytes == 0xFFFFFFFF) and locator >= 0 \
            and tail[locator:locator + 4] == _ZIP64_LOCATOR:
        (record_offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        handle.seek(record_offset)
        record = handle.read(56)
        if len(record) == 56 and record[:4] == _ZIP64_END_RECORD:
            members, directory_bytes = struct.unpack("<QQ", record[32:48])
    return members, directory_bytes


def open_archive(filepath):
    """Open ``filepath`` as a zip after checking how many members it declares."""
    with open(filepath, "rb") as handle:
        declared = _declared_directory(handle)
    if declared is not None:
        members, directory_bytes = declared
        what = f"the zip {os.fspath(filepath)!r}"
        check_limit("max_zip_members", members, f"{what} ({members:,} members)")
        check_limit("max_zip_members", directory_bytes // _LARGEST_CENTRAL_ENTRY,
                    f"{what} (a {directory_bytes:,}-byte member directory)")
    archive = zipfile.ZipFile(filepath, "r")
    count = len(archive.infolist())
    if count > load_limit("max_zip_members"):
        archive.close()
        check_limit("max_zip_members", count, f"the zip {os.fspath(filepath)!r}")
    return archive


def check_member(info, limit="max_zip_member_bytes"):
    """Refuse a member whose declared size or compression ratio is past the limits."""
    what = f"the zip member {info.filename!r}"
    check_limit(limit, info.file_size, f"{what} ({info.file_size:,} bytes unpacked)")
    if limit != "max_zip_member_bytes":
        check_limit("max_zip_member_bytes", info.file_size, what)
    if info.file_size > _RATIO_CHECK_FLOOR_BYTES:
        ratio = info.file_size // max(info.compress_size, 1)
        check_limit("max_zip_compression_ratio", ratio,
                    f"{what} ({info.file_size:,} bytes unpacked from "
                    f"{info.compress_size:,} stored: a compression ratio of {ratio:,})")


def read_member(archive, name, limit="max_zip_member_bytes"):
    """The bytes of member ``name``, after ``check_member``."""
    info = archive.getinfo(name)
    check_member(info, limit)
    with archive.open(info, "r") as member:
        return member.read(info.file_size + 1)[:info.file_size]


def is_link(info):
    """Whether a member is stored as a symbolic link (Unix mode in its attributes)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def extract_folder(archive, prefix, target):
    """Unpack the members under ``prefix`` (e.g. ``"assets/"``) into the existing,
    empty folder ``target``, refusing any name that could land outside it.

    Returns the number of files written. Refused: absolute names, ``..``, backslashes,
    drive letters, links, duplicates, and more than ``max_assets_bytes`` in all.
    """
    target = os.path.realpath(target)
    infos = [info for info in archive.infolist() if info.filename.startswith(prefix)]
    total = 0
    for info in infos:
        check_member(info)
        total += info.file_size
    check_limit("max_assets_bytes", total, f"the {len(infos)} files under {prefix!r}")
    written, seen = 0, set()
    for info in infos:
        relative = _checked_relative_name(info, prefix)
        if relative is None:
            continue  # a folder entry
        if relative in seen:
            raise ValueError(f"The archive holds {info.filename!r} twice; refusing it.")
        seen.add(relative)
        destination = os.path.join(target, *relative.split("/"))
        folder = os.path.dirname(destination)
        os.makedirs(folder, exist_ok=True)
        if os.path.commonpath([os.path.realpath(folder), target]) != target:
            raise ValueError(f"Archive member {info.filename!r} escapes its folder.")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with archive.open(info, "r") as member, os.fdopen(os.open(destination, flags, 0o600),
                                                          "wb") as out:
            left = info.file_size
            while left > 0:
                chunk = member.read(min(_CHUNK, left))
                if not chunk:
                    break
                out.write(chunk)
                left -= len(chunk)
        written += 1
    return written


def _checked_relative_name(info, prefix):
    """The member's name below ``prefix``, or a ValueError if it is unsafe."""
    name = info.filename
    relative = name[len(prefix):]
    parts = relative.split("/")
    unsafe = ("\\" in name or name.startswith("/") or ":" in name or "\x00" in name
              or any(part in ("..", ".") for part in parts) or is_link(info))
    if unsafe:
        raise ValueError(
            f"Refusing the archive member {name!r}: its name or type could write outside "
            f"the {prefix!r} folder (absolute path, '..', a link or a drive letter).")
    if info.is_dir() or not relative:
        return None
    if any(part == "" for part in parts):
        raise ValueError(f"Refusing the archive member {name!r}: empty path component.")
    return relative
