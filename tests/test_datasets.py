"""Tests of skcourse.datasets: the MNIST reader and the XOR toy set."""

import gzip
import hashlib
import http.server
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skcourse import datasets
from skcourse.datasets import load_mnist, make_xor

# Sanity figures from shared/data/mnist/README.md.
TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_LABEL_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
MEAN_TRAIN_PIXEL = 33.318

FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


# --- helpers: a tiny MNIST written by the tests ----------------------------------


def write_idx(path, array, magic=None):
    """Write ``array`` as a gzipped IDX file of unsigned bytes."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = struct.pack(f">{1 + array.ndim}I", magic, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())


def write_tiny_mnist(folder, n_train=6, n_test=4):
    """Write the four MNIST files with a few recognisable images; return the folder.

    Image ``i`` of each subset has every pixel equal to ``i`` and label ``i % 10``,
    so tests can check the order and the content.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for subset, n in (("train", n_train), ("test", n_test)):
        images = np.arange(n).reshape(n, 1, 1) * np.ones((1, 28, 28))
        write_idx(folder / FILES[f"{subset}_images"], images)
        write_idx(folder / FILES[f"{subset}_labels"], np.arange(n) % 10)
    return folder


@pytest.fixture
def no_env(monkeypatch):
    """Run without SKCOURSE_MNIST_DIR, whatever the developer's shell sets."""
    monkeypatch.delenv(datasets.MNIST_DIR_ENV, raising=False)


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path_factory):
    """No test here reaches the internet: the mirrors point at a closed local
    port unless a test serves files itself, and scikit-learn's data home is an
    empty folder (never the developer's cache)."""
    monkeypatch.setattr(datasets, "MNIST_URLS", (f"http://127.0.0.1:{closed_port()}/",))
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path_factory.mktemp("data_home")))


@pytest.fixture
def tiny_mnist(tmp_path):
    return write_tiny_mnist(tmp_path / "mnist")


def closed_port():
    """A port of 127.0.0.1 on which nothing listens: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the real MNIST --------------------------------------------------------------


def test_mnist_train_shapes_and_dtypes(mnist_train):
    assert mnist_train.data.shape == (60000, 784)
    assert mnist_train.data.dtype == np.uint8
    assert mnist_train.images.shape == (60000, 28, 28)
    assert mnist_train.target.shape == (60000,)
    assert mnist_train.target.dtype == np.int64
    np.testing.assert_array_equal(mnist_train.target_names, np.arange(10))
    assert "MNIST" in mnist_train.DESCR


def test_mnist_images_are_the_rows_of_data(mnist_train):
    np.testing.assert_array_equal(mnist_train.images[7].ravel(), mnist_train.data[7])
    assert np.shares_memory(mnist_train.images, mnist_train.data)


def test_mnist_label_counts_match_the_readme(mnist_train, mnist_test):
    assert np.bincount(mnist_train.target).tolist() == TRAIN_LABEL_COUNTS
    assert np.bincount(mnist_test.target).tolist() == TEST_LABEL_COUNTS


def test_mnist_mean_training_pixel_matches_the_readme(mnist_train):
    assert mnist_train.data.mean() == pytest.approx(MEAN_TRAIN_PIXEL, abs=5e-4)
    assert mnist_train.data.min() == 0
    assert mnist_train.data.max() == 255


def test_mnist_test_subset_shapes(mnist_test):
    assert mnist_test.data.shape == (10000, 784)
    assert mnist_test.images.shape == (10000, 28, 28)
    assert mnist_test.target.shape == (10000,)


def test_mnist_data_is_writable(mnist_test):
    # Arrays made by np.frombuffer are read-only; users expect to edit theirs.
    assert mnist_test.data.flags.writeable


# --- reading and checking the files (tiny data written by the tests) -------------


def test_data_home_and_subsets(tiny_mnist):
    train = load_mnist("train", data_home=tiny_mnist)
    test = load_mnist("test", data_home=str(tiny_mnist))
    both = load_mnist("all", data_home=tiny_mnist)

    np.testing.assert_array_equal(train.data[:, 0], np.arange(6))
    np.testing.assert_array_equal(train.target, np.arange(6))
    np.testing.assert_array_equal(test.target, np.arange(4))
    # "all" is the training images followed by the test images.
    np.testing.assert_array_equal(both.data, np.vstack([train.data, test.data]))
    np.testing.assert_array_equal(both.target, np.r_[train.target, test.target])
    assert both.images.shape == (10, 28, 28)


def test_return_X_y(tiny_mnist):
    X, y = load_mnist(data_home=tiny_mnist, return_X_y=True)
    bunch = load_mnist(data_home=tiny_mnist)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_environment_variable_gives_the_folder(tiny_mnist, monkeypatch):
    monkeypatch.setenv(datasets.MNIST_DIR_ENV, str(tiny_mnist))
    assert load_mnist().data.shape == (6, 784)


def test_data_home_wins_over_environment_variable(tiny_mnist, tmp_path, monkeypatch):
    other = write_tiny_mnist(tmp_path / "other", n_train=3)
    monkeypatch.setenv(datasets.MNIST_DIR_ENV, str(other))
    assert load_mnist(data_home=tiny_mnist).data.shape == (6, 784)


def test_missing_environment_folder_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.MNIST_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=datasets.MNIST_DIR_ENV):
        load_mnist()


def test_nothing_on_disk_without_download_says_where_and_what_to_do(tmp_path, no_env):
    with pytest.raises(FileNotFoundError) as exc:
        load_mnist(data_home=tmp_path, download_if_missing=False)
    message = str(exc.value)
    assert str(tmp_path / "mnist") in message
    assert "download_if_missing" in message
    assert datasets.MNIST_DIR_ENV in message


def test_cache_in_data_home_is_read(tmp_path, no_env):
    write_tiny_mnist(tmp_path / "mnist", n_train=5)
    assert load_mnist(data_home=tmp_path).data.shape == (5, 784)


def test_default_data_home_is_scikit_learns(tmp_path, monkeypatch, no_env):
    # SCIKIT_LEARN_DATA moves scikit-learn's data home, and the MNIST cache with it.
    write_tiny_mnist(tmp_path / "mnist", n_train=3)
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path))
    assert load_mnist().data.shape == (3, 784)


def test_environment_mirror_is_read_before_the_cache(tmp_path, monkeypatch):
    write_tiny_mnist(tmp_path / "home" / "mnist", n_train=3)
    mirror = write_tiny_mnist(tmp_path / "mirror", n_train=5)
    monkeypatch.setenv(datasets.MNIST_DIR_ENV, str(mirror))
    assert load_mnist(data_home=tmp_path / "home").data.shape == (5, 784)


# --- downloading, from a server on 127.0.0.1 started by the tests ---------------


class Mirror(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 serving ``files`` (name -> bytes).

    ``faults`` (name -> kind) makes a file misbehave: "404"; "wrong" (other
    bytes than published); "truncated" (the first half, sent as a whole file);
    "gone" (announces the whole file, sends half, closes the connection).
    ``requests`` lists the paths asked for.
    """

    def __init__(self, files, faults=None):
        self.files, self.faults, self.requests = files, faults or {}, []
        super().__init__(("127.0.0.1", 0), MirrorHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/mnist/"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class MirrorHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        self.server.requests.append(name)
        fault = self.server.faults.get(name)
        if name not in self.server.files or fault == "404":
            self.send_error(404)
            return
        body = self.server.files[name]
        sent = {"wrong": body[::-1], "truncated": body[: len(body) // 2]}.get(
            fault, body
        )
        self.send_response(200)
        self.send_header("Content-Length", str(len(sent)))
        self.end_headers()
        if fault == "gone":
            sent = sent[: len(sent) // 2]
            self.close_connection = True
        self.wfile.write(sent)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def mirror(tmp_path, monkeypatch, no_env):
    """Serve a tiny MNIST whose published checksums are its own; yield a
    function that starts a server with the given faults and points
    ``load_mnist`` at it (a list of servers: tried in order)."""
    source = write_tiny_mnist(tmp_path / "source")
    files = {path.name: path.read_bytes() for path in source.iterdir()}
    sha256 = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    monkeypatch.setattr(datasets, "MNIST_SHA256", sha256)
    servers = []

    def start(*faults):
        servers.extend(Mirror(files, fault) for fault in faults)
        monkeypatch.setattr(datasets, "MNIST_URLS", tuple(s.url for s in servers))
        return servers

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_download_fills_the_cache_and_is_read_again_offline(mirror, tmp_path):
    (server,) = mirror({})
    home = tmp_path / "home"
    bunch = load_mnist("train", data_home=home)
    np.testing.assert_array_equal(bunch.target, np.arange(6))
    assert sorted(server.requests) == sorted(
        [FILES["train_images"], FILES["train_labels"]]
    )
    # Only the subset's files, nothing half-written beside them.
    assert sorted(p.name for p in (home / "mnist").iterdir()) == sorted(server.requests)

    server.shutdown()  # the cache is read: no second download
    server.server_close()
    np.testing.assert_array_equal(load_mnist("train", data_home=home).data, bunch.data)
    assert len(server.requests) == 2


def test_download_goes_to_scikit_learns_data_home(mirror, tmp_path, monkeypatch):
    mirror({})
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "skl"))
    assert load_mnist("test").data.shape == (4, 784)
    assert (tmp_path / "skl" / "mnist" / FILES["test_images"]).is_file()


def test_only_missing_files_are_downloaded(mirror, tmp_path):
    (server,) = mirror({})
    home = tmp_path / "home"
    write_tiny_mnist(home / "mnist")
    (home / "mnist" / FILES["test_labels"]).unlink()
    assert load_mnist("all", data_home=home).data.shape == (10, 784)
    assert server.requests == [FILES["test_labels"]]


def test_local_mirror_means_no_download(mirror, tmp_path, monkeypatch):
    (server,) = mirror({})
    monkeypatch.setenv(datasets.MNIST_DIR_ENV, str(write_tiny_mnist(tmp_path / "m")))
    load_mnist("all", data_home=tmp_path / "home")
    assert server.requests == []
    assert not (tmp_path / "home").exists()


def test_download_if_missing_false_asks_no_server(mirror, tmp_path):
    (server,) = mirror({})
    with pytest.raises(FileNotFoundError, match="download_if_missing is False"):
        load_mnist(data_home=tmp_path, download_if_missing=False)
    assert server.requests == []


def test_next_mirror_is_tried_when_one_fails(mirror, tmp_path):
    first, second = mirror({FILES["train_images"]: "404"}, {})
    assert load_mnist(data_home=tmp_path).data.shape == (6, 784)
    assert first.requests == [FILES["train_images"], FILES["train_labels"]]
    assert second.requests == [FILES["train_images"]]


@pytest.mark.parametrize(
    "fault, reason",
    [
        ("wrong", "SHA-256 is [0-9a-f]{64}, expected"),
        ("truncated", "SHA-256 is [0-9a-f]{64}, expected"),
        ("404", "HTTP error 404"),
        ("gone", "connection closed"),
    ],
)
def test_failed_download_says_which_url_and_leaves_nothing(
    mirror, tmp_path, fault, reason
):
    (server,) = mirror({FILES["train_labels"]: fault})
    with pytest.raises(OSError, match=reason) as exc:
        load_mnist(data_home=tmp_path)
    message = str(exc.value)
    assert server.url + FILES["train_labels"] in message
    assert "offline" in message and datasets.MNIST_DIR_ENV in message
    # The good file was kept; of the bad one, nothing (no partial file either).
    assert [p.name for p in (tmp_path / "mnist").iterdir()] == [FILES["train_images"]]


def test_offline_machine_gets_a_clear_error(tmp_path, no_env):
    # The autouse fixture points the mirrors at a closed port.
    with pytest.raises(OSError, match="no connection") as exc:
        load_mnist(data_home=tmp_path)
    assert "offline" in str(exc.value)
    assert list((tmp_path / "mnist").iterdir()) == []


def test_unknown_subset_is_rejected(tiny_mnist):
    with pytest.raises(ValueError, match="subset must be one of"):
        load_mnist("validation", data_home=tiny_mnist)


def test_test_subset_needs_only_the_test_files(tiny_mnist, no_env):
    (tiny_mnist / FILES["train_images"]).unlink()
    assert load_mnist("test", data_home=tiny_mnist).data.shape == (4, 784)
    with pytest.raises(FileNotFoundError, match=FILES["train_images"]):
        load_mnist("all", data_home=tiny_mnist, download_if_missing=False)


def test_bad_magic_number_is_rejected(tiny_mnist):
    # A labels file (magic 0x801) where the images file should be.
    write_idx(tiny_mnist / FILES["train_images"], np.zeros(6), magic=0x00000801)
    with pytest.raises(
        ValueError, match="magic number is 0x00000801, expected 0x00000803"
    ):
        load_mnist(data_home=tiny_mnist)


def test_truncated_file_is_rejected(tiny_mnist):
    path = tiny_mnist / FILES["train_labels"]
    header = struct.pack(">2I", 0x801, 6)
    with gzip.open(path, "wb") as f:
        f.write(header + bytes(5))  # one label short
    with pytest.raises(ValueError, match="truncated or corrupt"):
        load_mnist(data_home=tiny_mnist)


def test_file_shorter_than_its_header_is_rejected(tiny_mnist):
    with gzip.open(tiny_mnist / FILES["test_images"], "wb") as f:
        f.write(struct.pack(">2I", 0x803, 4))  # the sizes of 2 dimensions missing
    with pytest.raises(ValueError, match="too short"):
        load_mnist("test", data_home=tiny_mnist)


def test_empty_file_is_rejected(tiny_mnist):
    with gzip.open(tiny_mnist / FILES["test_labels"], "wb") as f:
        f.write(b"")
    with pytest.raises(ValueError, match="magic number is none"):
        load_mnist("test", data_home=tiny_mnist)


def test_file_that_is_not_gzip_is_rejected(tiny_mnist):
    (tiny_mnist / FILES["train_images"]).write_bytes(b"not a gzip stream")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        load_mnist(data_home=tiny_mnist)


def test_images_and_labels_of_different_lengths_are_rejected(tiny_mnist):
    write_idx(tiny_mnist / FILES["train_labels"], np.arange(5))
    with pytest.raises(ValueError, match="6 images but .* 5 labels"):
        load_mnist(data_home=tiny_mnist)


def test_images_of_the_wrong_size_are_rejected(tiny_mnist):
    write_idx(tiny_mnist / FILES["train_images"], np.zeros((6, 8, 8)))
    with pytest.raises(ValueError, match=r"shape \(8, 8\), expected \(28, 28\)"):
        load_mnist(data_home=tiny_mnist)


def test_labels_outside_0_9_are_rejected(tiny_mnist):
    write_idx(tiny_mnist / FILES["train_labels"], [0, 1, 2, 3, 4, 10])
    with pytest.raises(ValueError, match="label 10"):
        load_mnist(data_home=tiny_mnist)


# --- make_xor --------------------------------------------------------------------


def course_relu_network(X):
    """The lecture's XOR network: h = ReLU(W1 x + b1), y = <w2, h> + b2."""
    W1, b1 = np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2)
    w2, b2 = np.array([1.0, 1.0]), 0.0
    h = np.maximum(X @ W1.T + b1, 0.0)
    return h @ w2 + b2


def test_make_xor_without_noise_gives_balanced_corners():
    X, y = make_xor(n_samples=100, random_state=0)
    assert X.shape == (100, 2) and X.dtype == np.float64
    assert y.shape == (100,) and y.dtype == np.int64
    corners, counts = np.unique(X, axis=0, return_counts=True)
    np.testing.assert_array_equal(corners, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    assert counts.tolist() == [25, 25, 25, 25]


@pytest.mark.parametrize("noise", [0.0, 0.3, 2.0])
def test_make_xor_labels_are_the_xor_of_the_signs(noise):
    X, y = make_xor(n_samples=500, noise=noise, random_state=0)
    np.testing.assert_array_equal(y, np.logical_xor(X[:, 0] > 0, X[:, 1] > 0))


def test_make_xor_is_reproducible_and_random():
    X1, y1 = make_xor(n_samples=50, noise=0.1, random_state=3)
    X2, y2 = make_xor(n_samples=50, noise=0.1, random_state=3)
    X3, _ = make_xor(n_samples=50, noise=0.1, random_state=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("noise", [0.0, 0.2])
def test_a_linear_model_cannot_separate_xor(noise):
    X, y = make_xor(n_samples=400, noise=noise, random_state=0)
    accuracy = LogisticRegression().fit(X, y).score(X, y)
    assert accuracy <= 0.75


def test_the_course_relu_network_separates_xor():
    X, y = make_xor(n_samples=400, random_state=0)
    output = course_relu_network(X)
    # y = |x1 - x2|: 0 on the corners of label 0, 2 on those of label 1.
    np.testing.assert_array_equal(output, 2 * y)
    assert np.mean((output > 1) == y) == 1.0


def test_the_course_relu_network_on_the_classic_0_1_corners():
    X01 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(course_relu_network(X01), [0, 1, 1, 0])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_samples": 0}, ValueError, "n_samples must be at least 1"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an int"),
        ({"noise": -0.1}, ValueError, "noise must be a non-negative number"),
        ({"noise": float("nan")}, ValueError, "noise must be a non-negative number"),
    ],
)
def test_make_xor_rejects_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_xor(**kwargs)
