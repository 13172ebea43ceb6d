"""``get_file``: download a file once, check it, keep it in a cache (as ``keras.utils.get_file``).

The rules that keep a cache trustworthy:

* a file is written under a temporary name in the cache folder and renamed into place
  (``os.replace``, atomic) only after the whole transfer arrived and its hash matched, so an
  interrupted or corrupted download never leaves a file that looks finished;
* a cached file whose hash does not match is deleted (with the folder unpacked from it) before
  it is downloaded again, so a failed re-download leaves nothing that a later call trusts;
* an archive is checked member by member (``archive_utils``) and extracted into a temporary
  folder that is renamed when extraction is complete; a refused archive is deleted.

The cache root is ``$KERLITE_HOME`` (default ``~/.kerlite``), or ``cache_dir=``.
The network modules (``urllib.request``, ``tarfile``, ``zipfile``) are imported only when needed,
so ``import kerlite`` stays light.
"""

import hashlib
import os
import tempfile

_CHUNK_BYTES = 1 << 16
_TIMEOUT_SECONDS = 30


class DownloadError(ConnectionError):
    """A file could not be fetched (no network, server error, transfer cut short).

    A ``ConnectionError`` (so an ``OSError``): ``except Exception`` code written for Keras,
    which raises a plain ``Exception`` here, catches it too.
    """


def kerlite_home():
    """The cache root: ``$KERLITE_HOME`` if set, else ``~/.kerlite``."""
    return os.path.expanduser(os.environ.get("KERLITE_HOME", os.path.join("~", ".kerlite")))


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK_BYTES):
    """Hex digest of a file's bytes; ``algorithm`` is "sha256" or "md5"."""
    hasher = hashlib.md5() if algorithm == "md5" else hashlib.sha256()
    with open(fpath, "rb") as file:
        for chunk in iter(lambda: file.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _resolve_algorithm(algorithm, file_hash):
    """"auto" means sha256 for a 64-character hash and md5 otherwise (as Keras)."""
    if algorithm not in ("auto", "sha256", "md5"):
        raise ValueError(
            f"`hash_algorithm` must be 'auto', 'sha256' or 'md5'. Received: hash_algorithm={algorithm!r}"
        )
    if algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    return algorithm


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK_BYTES):
    """True when the file's sha256 (or md5) digest equals ``file_hash``."""
    algorithm = _resolve_algorithm(algorithm, str(file_hash))
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash).lower()


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Download ``origin`` into ``<cache_dir>/<cache_subdir>/<fname>`` unless already cached.

    Arguments are Keras's: ``fname`` (defaults to the last part of the URL), ``file_hash``
    (sha256 or md5 hex digest, checked after download and on every cache hit),
    ``extract=True`` to unpack a .tar/.tar.gz/.zip archive (returns the folder it was unpacked
    into), ``cache_dir`` (default ``$KERLITE_HOME`` or ``~/.kerlite``), ``force_download``.
    ``untar`` and ``md5_hash`` are Keras's deprecated spellings of ``extract``/``file_hash``.

    Returns the path of the file (or of the extraction folder). Raises ``DownloadError`` when
    the transfer fails and ``ValueError`` when the downloaded bytes do not match ``file_hash``;
    in both cases nothing is left in the cache.
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if file_hash is not None:
        hash_algorithm = _resolve_algorithm(hash_algorithm, str(file_hash))
    datadir = _make_cache_folder(cache_dir, cache_subdir)
    download_target, extraction_dir = _cache_paths(datadir, fname, origin, extract or untar)

    needs_download = force_download or not os.path.exists(download_target)
    if not needs_download and file_hash is not None:
        if not validate_file(download_target, file_hash, hash_algorithm):
            print(
                f"A cached file at {download_target} does not match its {hash_algorithm} hash "
                f"{file_hash}: deleting it and downloading it again."
            )
            _forget(download_target, extraction_dir)
            needs_download = True
    if needs_download:
        _download_verified(origin, download_target, file_hash, hash_algorithm)

    if not (extract or untar):
        return download_target
    if needs_download or not os.path.isdir(extraction_dir):
        from kerlite.utils.archive_utils import UnsafeArchiveError, extract_archive

        try:
            extract_archive(download_target, extraction_dir, "tar" if untar else archive_format)
        except UnsafeArchiveError:
            _forget(download_target, None)  # a hostile archive is not worth keeping
            raise
    return extraction_dir


def _forget(download_target, extraction_dir):
    """Delete a cached file that cannot be trusted, and the folder unpacked from it."""
    import shutil

    if os.path.lexists(download_target):
        os.remove(download_target)
    if extraction_dir is not None and os.path.islink(extraction_dir):
        os.remove(extraction_dir)  # the link only, never what it points to
    elif extraction_dir is not None and os.path.isdir(extraction_dir):
        shutil.rmtree(extraction_dir)


def _make_cache_folder(cache_dir, cache_subdir):
    """Create and return ``<cache root>/<cache_subdir>``; an unwritable root falls back to /tmp."""
    base = os.path.expanduser(cache_dir) if cache_dir is not None else kerlite_home()
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = _private_temp_cache()
    datadir = os.path.join(base, cache_subdir) if cache_subdir else base
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _private_temp_cache():
    """The fallback cache ``<tmp>/.kerlite-<uid>``, made private to this user.

    Keras falls back to ``/tmp/.keras``, shared by every user of the machine: another user
    could create it first and plant links or files there. This folder is per user, created
    with mode 0700, and refused if it is a link or belongs to someone else.
    """
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = os.path.join(tempfile.gettempdir(), ".kerlite" if uid is None else f".kerlite-{uid}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        info = os.lstat(folder)
        if os.path.islink(folder) or (uid is not None and info.st_uid != uid):
            raise PermissionError(
                f"The fallback cache folder {folder} is a link or belongs to another user, so "
                "it cannot be trusted. Pass a writable `cache_dir`, or set $KERLITE_HOME."
            ) from None
    return folder


def _cache_paths(datadir, fname, origin, extract):
    """Where the downloaded file goes and, for an archive, the folder it unpacks into.

    Keras's naming: "data.tar.gz" unpacks into "data_extracted"; a name without a dot, like
    "cifar-10-batches-py-target", is the folder and the archive is stored as "<name>_archive".
    """
    if fname is None or str(fname) == "":
        from urllib.parse import urlsplit

        name = os.path.basename(urlsplit(origin).path)
        if not name or name in (".", ".."):
            raise ValueError(
                f"Can't parse the file name from the origin provided: '{origin}'. "
                "Please specify the `fname` argument."
            )
        given = False
    else:
        name = os.fspath(fname)
        if os.sep in name or (os.altsep and os.altsep in name) or name in (".", ".."):
            raise ValueError(
                "`fname` must be a file name, not a path. To choose the folder, use the "
                f"`cache_dir` (and `cache_subdir`) arguments. Received: fname={name}"
            )
        given = True
    if not extract:
        return os.path.join(datadir, name), None
    if given and "." in name:
        stem = name[: name.find(".")]
        return os.path.join(datadir, name), os.path.join(datadir, f"{stem}_extracted")
    return os.path.join(datadir, f"{name}_archive"), os.path.join(datadir, name)


def _download_verified(origin, target, file_hash, hash_algorithm):
    """Fetch ``origin`` into a temporary file next to ``target``; check; rename into place."""
    folder = os.path.dirname(target)
    handle, partial_path = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".part", dir=folder
    )
    try:
        with os.fdopen(handle, "wb") as partial:
            _stream_to(origin, partial)
        if file_hash is not None and not validate_file(partial_path, file_hash, hash_algorithm):
            actual = hash_file(partial_path, hash_algorithm)
            raise ValueError(
                f"Incomplete or corrupted file detected for {origin}: its {hash_algorithm} hash is "
                f"{actual} but {file_hash} was expected. Nothing was saved; try again later, or "
                "check the `file_hash` you passed."
            )
        os.chmod(partial_path, 0o644)  # mkstemp makes it private; a cache is for everyone
        os.replace(partial_path, target)
    except BaseException:
        if os.path.exists(partial_path):
            os.remove(partial_path)
        raise


def _stream_to(origin, out_file):
    """Copy the bytes at ``origin`` into ``out_file``; every transport failure -> DownloadError."""
    import http.client
    import urllib.error
    import urllib.request

    print(f"Downloading data from {origin}")
    try:
        with urllib.request.urlopen(origin, timeout=_TIMEOUT_SECONDS) as response:
            expected = response.headers.get("Content-Length") if hasattr(response, "headers") else None
            progress = _Progress(int(expected) if expected else None)
            received = 0
            for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                out_file.write(chunk)
                received += len(chunk)
                progress.update(received)
            progress.done(received)
    except urllib.error.HTTPError as error:
        raise DownloadError(f"URL fetch failure on {origin}: {error.code} -- {error.reason}") from error
    except urllib.error.URLError as error:
        raise DownloadError(f"URL fetch failure on {origin}: {error.reason}") from error
    except (OSError, http.client.HTTPException) as error:
        raise DownloadError(f"URL fetch failure on {origin}: {error!r}") from error
    if expected is not None and received != int(expected):
        raise DownloadError(
            f"URL fetch failure on {origin}: the transfer stopped after {received} of "
            f"{int(expected)} bytes. Nothing was saved; try again."
        )


class _Progress:
    """Prints "12.3 / 52.4 MB" in place every tenth of a large download (quiet below 1 MB)."""

    def __init__(self, total_bytes):
        self.total = total_bytes
        self.shown = self.total is not None and self.total >= 1_000_000
        self.next_fraction = 0.1

    def update(self, received):
        if self.shown and received >= self.next_fraction * self.total:
            print(f"\r{received / 1e6:8.1f} / {self.total / 1e6:.1f} MB", end="", flush=True)
            self.next_fraction = int(received / self.total * 10 + 1) / 10

    def done(self, received):
        if self.shown:
            print(f"\r{received / 1e6:8.1f} / {self.total / 1e6:.1f} MB")
