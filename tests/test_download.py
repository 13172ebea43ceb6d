"""get_file and the dataset loaders, against a local HTTP server on 127.0.0.1 (never the internet).

The server serves in-memory files, counts requests per path, and can misbehave on purpose:
announce more bytes than it sends (an interrupted transfer) or answer 404.
"""

import hashlib
import http.server
import io
import os
import socket
import tarfile
import threading
import zipfile

import pytest

from kerlite.utils import get_file
from kerlite.utils.file_utils import DownloadError, hash_file, validate_file

PAYLOAD = b"kerlite test payload\n" * 500


class _Handler(http.server.BaseHTTPRequestHandler):
    files = {}
    truncated = {}
    hits = {}

    def do_GET(self):
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path in self.truncated:
            body = self.truncated[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.path not in self.files:
            self.send_error(404, "Not Found")
            return
        body = self.files[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalServer:
    def __init__(self):
        handler = type("Handler", (_Handler,), {"files": {}, "truncated": {}, "hits": {}})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def add(self, path, data, truncated=False):
        (self.handler.truncated if truncated else self.handler.files)[path] = data
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def hits(self, path):
        return self.handler.hits.get(path, 0)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def unreachable_url():
    """A URL on a local port where nobody listens (connection refused at once)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/missing.npz"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def folder_listing(root):
    """Every file and folder under ``root`` (relative paths), hidden temporary ones included."""
    found = []
    for base, dirs, files in os.walk(root):
        found += [os.path.relpath(os.path.join(base, name), root) for name in dirs + files]
    return sorted(found)


def test_good_checksum_downloads_once_then_uses_the_cache(server, tmp_path):
    url = server.add("/data.bin", PAYLOAD)
    path = get_file("data.bin", origin=url, file_hash=sha256(PAYLOAD), cache_dir=tmp_path)
    assert path == os.path.join(str(tmp_path), "datasets", "data.bin")
    with open(path, "rb") as file:
        assert file.read() == PAYLOAD
    again = get_file("data.bin", origin=url, file_hash=sha256(PAYLOAD), cache_dir=tmp_path)
    assert again == path
    assert server.hits("/data.bin") == 1
    assert folder_listing(tmp_path) == ["datasets", os.path.join("datasets", "data.bin")]


def test_md5_hash_is_detected_and_force_download_fetches_again(server, tmp_path):
    url = server.add("/data.bin", PAYLOAD)
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    path = get_file("data.bin", origin=url, file_hash=md5, cache_dir=tmp_path)
    assert validate_file(path, md5) and hash_file(path, "md5") == md5
    get_file("data.bin", origin=url, file_hash=md5, cache_dir=tmp_path, force_download=True)
    assert server.hits("/data.bin") == 2


def test_bad_checksum_raises_and_leaves_nothing(server, tmp_path):
    url = server.add("/data.bin", PAYLOAD)
    with pytest.raises(ValueError, match="hash"):
        get_file("data.bin", origin=url, file_hash="0" * 64, cache_dir=tmp_path)
    assert folder_listing(tmp_path / "datasets") == []


def test_interrupted_transfer_raises_and_leaves_nothing(server, tmp_path):
    url = server.add("/cut.bin", PAYLOAD, truncated=True)
    with pytest.raises(DownloadError, match="cut.bin"):
        get_file("cut.bin", origin=url, cache_dir=tmp_path)
    assert folder_listing(tmp_path / "datasets") == []


def test_http_error_raises_download_error(server, tmp_path):
    url = server.add("/present.bin", PAYLOAD).replace("present", "absent")
    with pytest.raises(DownloadError, match="404"):
        get_file("absent.bin", origin=url, cache_dir=tmp_path)
    assert folder_listing(tmp_path / "datasets") == []


def test_offline_raises_a_connection_error(unreachable_url, tmp_path):
    with pytest.raises(ConnectionError, match="URL fetch failure"):
        get_file("missing.npz", origin=unreachable_url, cache_dir=tmp_path)
    assert folder_listing(tmp_path / "datasets") == []


def test_corrupted_cache_file_is_downloaded_again(server, tmp_path):
    url = server.add("/data.bin", PAYLOAD)
    path = get_file("data.bin", origin=url, file_hash=sha256(PAYLOAD), cache_dir=tmp_path)
    with open(path, "wb") as file:
        file.write(b"half a file")
    get_file("data.bin", origin=url, file_hash=sha256(PAYLOAD), cache_dir=tmp_path)
    assert server.hits("/data.bin") == 2
    with open(path, "rb") as file:
        assert file.read() == PAYLOAD


def test_file_name_defaults_to_the_url_and_kerlite_home_is_the_default_cache(
    server, tmp_path, monkeypatch
):
    monkeypatch.setenv("KERLITE_HOME", str(tmp_path / "home"))
    url = server.add("/from_url.txt", PAYLOAD)
    path = get_file(origin=url, cache_subdir="downloads")
    assert path == os.path.join(str(tmp_path), "home", "downloads", "from_url.txt")


def test_large_download_reports_progress(server, tmp_path, capsys):
    big = bytes(range(256)) * 5000  # 1.28 MB
    url = server.add("/big.bin", big)
    get_file("big.bin", origin=url, file_hash=sha256(big), cache_dir=tmp_path)
    printed = capsys.readouterr().out
    assert "Downloading data from " + url in printed and "1.3 / 1.3 MB" in printed


def test_fname_must_not_be_a_path(tmp_path):
    with pytest.raises(ValueError, match="cache_dir"):
        get_file(os.path.join("sub", "x.bin"), origin="http://127.0.0.1/x", cache_dir=tmp_path)


def _tar_gz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_extract_tar_gz_into_named_folder(server, tmp_path):
    archive = _tar_gz({"inner/a.txt": b"alpha", "b.txt": b"beta"})
    url = server.add("/pack.tar.gz", archive)
    folder = get_file("pack.tar.gz", origin=url, file_hash=sha256(archive), extract=True,
                      cache_dir=tmp_path)
    assert folder == os.path.join(str(tmp_path), "datasets", "pack_extracted")
    with open(os.path.join(folder, "inner", "a.txt"), "rb") as file:
        assert file.read() == b"alpha"
    assert get_file("pack.tar.gz", origin=url, extract=True, cache_dir=tmp_path) == folder
    assert server.hits("/pack.tar.gz") == 1
    assert not any(".part" in name for name in folder_listing(tmp_path))


def test_extract_zip_with_a_dotless_name_uses_keras_layout(server, tmp_path):
    archive = _zip({"data/c.txt": b"gamma"})
    url = server.add("/bundle.zip", archive)
    folder = get_file("bundle-target", origin=url, extract=True, cache_dir=tmp_path)
    assert folder == os.path.join(str(tmp_path), "datasets", "bundle-target")
    assert os.path.exists(os.path.join(str(tmp_path), "datasets", "bundle-target_archive"))
    with open(os.path.join(folder, "data", "c.txt"), "rb") as file:
        assert file.read() == b"gamma"


def test_archive_escaping_its_folder_is_refused(server, tmp_path):
    archive = _tar_gz({"../escaped.txt": b"evil"})
    url = server.add("/evil.tar.gz", archive)
    with pytest.raises(ValueError, match="Refusing to extract.*member '../escaped.txt'"):
        get_file("evil.tar.gz", origin=url, extract=True, cache_dir=tmp_path)
    assert not os.path.exists(tmp_path / "escaped.txt")
    assert not os.path.exists(tmp_path / "datasets" / "evil_extracted")
    assert not any(".part" in name for name in folder_listing(tmp_path))


# --- The Keras datasets, served by the local server with small fake files -------------------

import gzip  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402

import numpy as np  # noqa: E402

from kerlite.datasets import (  # noqa: E402
    DatasetDownloadError,
    boston_housing,
    california_housing,
    cifar10,
    fashion_mnist,
    imdb,
    mnist,
)


def _npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _serve(server, monkeypatch, module, data, path, origin_attr="ORIGIN", hash_attr="FILE_HASH"):
    url = server.add(path, data)
    monkeypatch.setattr(module, origin_attr, url)
    monkeypatch.setattr(module, hash_attr, sha256(data))


def _fake_mnist():
    rng = np.random.default_rng(0)
    return _npz_bytes(
        x_train=rng.integers(0, 256, (6, 28, 28), dtype=np.uint8), y_train=np.arange(6, dtype=np.uint8),
        x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), y_test=np.arange(2, dtype=np.uint8),
    )


def test_mnist_downloads_checks_and_returns_keras_shapes(server, monkeypatch, tmp_path):
    _serve(server, monkeypatch, mnist, _fake_mnist(), "/mnist.npz")
    (x_train, y_train), (x_test, y_test) = mnist.load_data(cache_dir=tmp_path)
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8
    assert y_train.tolist() == list(range(6)) and x_test.shape == (2, 28, 28)
    mnist.load_data(cache_dir=tmp_path)
    assert server.hits("/mnist.npz") == 1


def test_mnist_uses_a_correct_cached_file_without_network(monkeypatch, unreachable_url, tmp_path):
    data = _fake_mnist()
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(data)
    monkeypatch.setattr(mnist, "ORIGIN", unreachable_url)
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(data))
    (x_train, _), _ = mnist.load_data(cache_dir=tmp_path)
    assert x_train.shape == (6, 28, 28)


def test_real_mnist_hash_rejects_other_bytes_and_offline_error_names_alternatives(
    monkeypatch, unreachable_url, tmp_path
):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "mnist.npz").write_bytes(_fake_mnist())  # not the real file
    monkeypatch.setattr(mnist, "ORIGIN", unreachable_url)
    with pytest.raises(DatasetDownloadError) as caught:
        mnist.load_data(cache_dir=tmp_path)
    message = str(caught.value)
    assert "kerlite.datasets.digits.load_data(size=28)" in message and "offline" in message
    assert isinstance(caught.value, ConnectionError)


def test_imdb_offline_error_names_text_alternatives(monkeypatch, unreachable_url, tmp_path):
    monkeypatch.setattr(imdb, "ORIGIN", unreachable_url)
    with pytest.raises(DatasetDownloadError, match="make_sentiment"):
        imdb.load_data(cache_dir=tmp_path)
    assert folder_listing(tmp_path / "datasets") == []


def _ragged(lists):
    out = np.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out


def _fake_imdb():
    rng = np.random.default_rng(1)
    reviews = [list(map(int, rng.integers(1, 30, rng.integers(3, 12)))) for _ in range(14)]
    return _npz_bytes(
        x_train=_ragged(reviews[:8]), y_train=rng.integers(0, 2, 8),
        x_test=_ragged(reviews[8:]), y_test=rng.integers(0, 2, 6),
    )


IMDB_OPTIONS = [
    {},
    {"num_words": 15, "skip_top": 4, "maxlen": 11},
    {"num_words": 20, "oov_char": None, "seed": 7},
    {"start_char": None, "index_from": 0},
]


@pytest.mark.parametrize("options", IMDB_OPTIONS)
def test_imdb_load_data_options(server, monkeypatch, tmp_path, options):
    data = _fake_imdb()
    _serve(server, monkeypatch, imdb, data, "/imdb.npz")
    (x_train, y_train), (x_test, y_test) = imdb.load_data(cache_dir=tmp_path, **options)
    assert x_train.dtype == object and x_train.ndim == 1
    assert all(isinstance(review, list) for review in x_train)
    limit = options.get("num_words") or max(max(r) for r in np.concatenate([x_train, x_test]))
    assert all(w <= limit for review in x_train for w in review)
    if options.get("maxlen"):
        assert all(len(review) < options["maxlen"] for review in x_train)
    assert set(np.unique(y_train)) <= {0, 1}


@pytest.mark.parity
@pytest.mark.parametrize("options", IMDB_OPTIONS)
def test_imdb_matches_keras(server, monkeypatch, tmp_path, options):
    _serve(server, monkeypatch, imdb, _fake_imdb(), "/imdb.npz")
    (x_train, y_train), (x_test, y_test) = imdb.load_data(cache_dir=tmp_path, **options)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras_imdb = pytest.importorskip("keras.src.datasets.imdb")
    local = os.path.join(str(tmp_path), "datasets", "imdb.npz")
    monkeypatch.setattr(keras_imdb, "get_file", lambda *args, **kwargs: local)
    (k_x_train, k_y_train), (k_x_test, k_y_test) = keras_imdb.load_data(**options)
    assert [list(r) for r in x_train] == [list(r) for r in k_x_train]
    assert [list(r) for r in x_test] == [list(r) for r in k_x_test]
    np.testing.assert_array_equal(y_train, k_y_train)
    np.testing.assert_array_equal(y_test, k_y_test)


def test_imdb_word_index(server, monkeypatch, tmp_path):
    data = json.dumps({"the": 1, "film": 19}).encode()
    url = server.add("/imdb_word_index.json", data)
    monkeypatch.setattr(imdb, "WORD_INDEX_ORIGIN", url)
    monkeypatch.setattr(imdb, "WORD_INDEX_HASH", hashlib.md5(data).hexdigest())
    assert imdb.get_word_index(cache_dir=tmp_path) == {"the": 1, "film": 19}


def test_pickled_code_in_a_dataset_file_is_refused(server, monkeypatch, tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo unsafe",))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "|O", "fortran_order": False, "shape": (1,)}
        )
        archive.writestr("x_train.npy", b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + pickle.dumps(Evil()))
    _serve(server, monkeypatch, imdb, buffer.getvalue(), "/imdb.npz")
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        imdb.load_data(cache_dir=tmp_path)


def _fake_table(rows, columns):
    rng = np.random.default_rng(2)
    return _npz_bytes(x=rng.normal(size=(rows, columns)), y=rng.uniform(5, 50, rows))


def test_boston_housing_split(server, monkeypatch, tmp_path):
    data = _fake_table(50, 13)
    _serve(server, monkeypatch, boston_housing, data, "/boston_housing.npz")
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(cache_dir=tmp_path)
    assert x_train.shape == (40, 13) and x_test.shape == (10, 13) and y_train.shape == (40,)
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=1.0, cache_dir=tmp_path)


@pytest.mark.parity
def test_boston_housing_split_matches_keras(server, monkeypatch, tmp_path):
    _serve(server, monkeypatch, boston_housing, _fake_table(50, 13), "/boston_housing.npz")
    (x_train, _), (_, y_test) = boston_housing.load_data(cache_dir=tmp_path)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras_boston = pytest.importorskip("keras.src.datasets.boston_housing")
    local = os.path.join(str(tmp_path), "datasets", "boston_housing.npz")
    monkeypatch.setattr(keras_boston, "get_file", lambda *args, **kwargs: local)
    (k_x_train, _), (_, k_y_test) = keras_boston.load_data(test_split=0.2, seed=113)
    np.testing.assert_array_equal(x_train, k_x_train)
    np.testing.assert_array_equal(y_test, k_y_test)


def test_california_housing_versions(server, monkeypatch, tmp_path):
    _serve(server, monkeypatch, california_housing, _fake_table(700, 8), "/california_housing.npz")
    (x_train, _), (x_test, _) = california_housing.load_data(version="small", cache_dir=tmp_path)
    assert (len(x_train), len(x_test)) == (480, 120) and x_train.shape[1] == 8
    (x_train, _), (x_test, _) = california_housing.load_data(test_split=0.1, cache_dir=tmp_path)
    assert (len(x_train), len(x_test)) == (630, 70)
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium", cache_dir=tmp_path)


def _idx_gz(header, payload):
    return gzip.compress(header + payload.tobytes(), mtime=0)


def test_fashion_mnist_reads_gzipped_idx_files(server, monkeypatch, tmp_path):
    rng = np.random.default_rng(3)
    images = {"train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
              "t10k": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)}
    labels = {"train": np.arange(5, dtype=np.uint8), "t10k": np.arange(3, dtype=np.uint8)}
    hashes = {}
    for part in ("train", "t10k"):
        files = {f"{part}-labels-idx1-ubyte.gz": _idx_gz(b"L" * 8, labels[part]),
                 f"{part}-images-idx3-ubyte.gz": _idx_gz(b"I" * 16, images[part])}
        for name, data in files.items():
            base = server.add("/fashion/" + name, data)[: -len(name)]
            hashes[name] = hashlib.md5(data).hexdigest()
    monkeypatch.setattr(fashion_mnist, "BASE_URL", base)
    monkeypatch.setattr(fashion_mnist, "FILE_HASHES", hashes)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(cache_dir=tmp_path)
    np.testing.assert_array_equal(x_train, images["train"])
    np.testing.assert_array_equal(y_test, labels["t10k"])
    assert x_test.dtype == np.uint8 and x_test.shape == (3, 28, 28)
    assert os.path.isdir(tmp_path / "datasets" / "fashion-mnist")


def test_cifar10_extracts_and_reads_pickled_batches(server, monkeypatch, tmp_path):
    rng = np.random.default_rng(4)
    batches = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batches[name] = {b"data": rng.integers(0, 256, (2, 3072), dtype=np.uint8),
                         b"labels": [int(v) for v in rng.integers(0, 10, 2)]}
    archive = _tar_gz({f"cifar-10-batches-py/{name}": pickle.dumps(batch, protocol=3)
                       for name, batch in batches.items()})
    _serve(server, monkeypatch, cifar10, archive, "/cifar-10-python.tar.gz")
    (x_train, y_train), (x_test, y_test) = cifar10.load_data(cache_dir=tmp_path)
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (10, 1) and y_test.shape == (2, 1) and y_test.dtype == np.uint8
    first = batches["data_batch_1"][b"data"][0].reshape(3, 32, 32).transpose(1, 2, 0)
    np.testing.assert_array_equal(x_train[0], first)
    assert y_test[:, 0].tolist() == batches["test_batch"][b"labels"]
