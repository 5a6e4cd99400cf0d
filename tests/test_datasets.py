"""Data loaders (the bundled table, .mat files, IDX files, COIL-20) and the data set registry."""

import gzip
import hashlib
import shutil

import numpy as np
import pytest
import scipy.io

from skhebb.datasets import (
    get_data_home,
    load_coil20,
    load_fashion_mnist,
    load_kmnist,
    load_lung,
    load_mnist,
    load_prostate_ge,
    load_scikit_feature,
    load_tox171,
    read_idx,
)
from skhebb.datasets._base import BUNDLED_DATA
from skhebb.datasets._registry import (
    DATASETS,
    EXPERIMENTS,
    dataset_names,
    get_dataset,
    load_split,
    load_table,
)

TOX171_SHA256 = "f52f57e61775b7830c84750456d7fadfd220d1cc8eed26419c3390eb9216cc84"


# ------------------------------------------------------------------ data home
def test_get_data_home_order(monkeypatch, tmp_path):
    monkeypatch.setenv("SKHEBB_DATA", str(tmp_path / "env"))
    assert get_data_home(tmp_path / "arg") == str(tmp_path / "arg")
    assert get_data_home() == str(tmp_path / "env")
    monkeypatch.delenv("SKHEBB_DATA")
    home = get_data_home()
    assert home.endswith("skhebb_data") and "~" not in home
    assert not (tmp_path / "env").exists()  # nothing is created


# ------------------------------------------------------------------ .mat tables
def test_bundled_tox171_without_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("SKHEBB_DATA", str(tmp_path))  # an empty data home
    bunch = load_tox171()
    assert bunch.filename == str(BUNDLED_DATA / "TOX-171.mat")
    assert bunch.data.shape == (171, 5748) and bunch.data.dtype == np.float64
    assert bunch.target.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(bunch.target)[1:], [45, 45, 39, 42])
    assert "bundled" in bunch.DESCR and "Computing Surveys" in bunch.DESCR
    X, y = load_tox171(return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_bundled_file_is_the_published_one():
    digest = hashlib.sha256((BUNDLED_DATA / "TOX-171.mat").read_bytes()).hexdigest()
    assert digest == TOX171_SHA256
    assert (BUNDLED_DATA / "TOX-171.txt").is_file()


def test_tox171_prefers_data_home(data_home):
    bunch = load_tox171(data_home=data_home)
    assert bunch.filename == str(data_home / "TOX-171.mat")
    np.testing.assert_array_equal(bunch.data, load_tox171(data_home="/nonexistent").data)


def test_mat_path_against_scipy(data_home):
    for name, loader, shape, classes in [
        ("TOX-171", load_tox171, (171, 5748), [1, 2, 3, 4]),
        ("Prostate-GE", load_prostate_ge, (102, 5966), [1, 2]),
    ]:
        raw = scipy.io.loadmat(data_home / f"{name}.mat")
        X, y = loader(data_home=data_home, return_X_y=True)
        assert X.shape == shape
        np.testing.assert_array_equal(X, raw["X"])
        np.testing.assert_array_equal(y, raw["Y"].ravel())
        assert sorted(set(y.tolist())) == classes
        bunch = load_scikit_feature(name + ".mat", data_home=str(data_home))
        np.testing.assert_array_equal(bunch.target, y)
        np.testing.assert_array_equal(bunch.target_names, classes)


def test_scikit_feature_any_table(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    scipy.io.savemat(tmp_path / "lung.mat", {"X": X, "Y": np.array([[1], [2], [3], [1], [2], [5]])})
    bunch = load_lung(data_home=tmp_path)
    np.testing.assert_allclose(bunch.data, X)
    np.testing.assert_array_equal(bunch.target, [1, 2, 3, 1, 2, 5])
    assert "Bhattacharjee" in bunch.DESCR


def test_missing_lung_says_where_and_whence(tmp_path):
    with pytest.raises(FileNotFoundError, match="lung.mat was not found") as info:
        load_lung(data_home=tmp_path)
    msg = str(info.value)
    assert str(tmp_path) in msg and "SKHEBB_DATA" in msg
    assert "scikit-feature" in msg and "Arizona State University" in msg
    assert "Computing Surveys 50(6):94, 2018" in msg
    assert "Bhattacharjee" in msg and "PNAS 98(24):13790" in msg


def test_missing_prostate(tmp_path):
    with pytest.raises(FileNotFoundError, match="Prostate-GE.mat.*scikit-feature"):
        load_prostate_ge(data_home=tmp_path)


def test_bad_mat_layout(tmp_path):
    scipy.io.savemat(tmp_path / "odd.mat", {"data": np.ones((2, 2))})
    with pytest.raises(ValueError, match="keys 'X'"):
        load_scikit_feature("odd", data_home=tmp_path)
    scipy.io.savemat(tmp_path / "odd.mat", {"X": np.ones((3, 2)), "Y": np.ones((2, 1))})
    with pytest.raises(ValueError, match="Y has shape"):
        load_scikit_feature("odd", data_home=tmp_path)
    (tmp_path / "junk.mat").write_bytes(b"not a matlab file at all")
    with pytest.raises(ValueError, match="not a readable MATLAB file"):
        load_scikit_feature("junk", data_home=tmp_path)


# ------------------------------------------------------------------ IDX files
def _write_idx(path, array, compress):
    header = bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    payload = header + np.ascontiguousarray(array, np.uint8).tobytes()
    if compress:
        with gzip.open(path.with_name(path.name + ".gz"), "wb") as f:
            f.write(payload)
    else:
        path.write_bytes(payload)


def _fake_set(folder, n_train, n_test, compress, seed=0):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    sets = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        _write_idx(folder / f"{prefix}-images-idx3-ubyte", images, compress)
        _write_idx(folder / f"{prefix}-labels-idx1-ubyte", labels, compress)
        sets[prefix] = images, labels
    return sets


@pytest.mark.parametrize("compress", [True, False], ids=["gz", "raw"])
@pytest.mark.parametrize(
    "loader, folder", [(load_fashion_mnist, "fashion-mnist"), (load_kmnist, "kmnist")]
)
def test_idx_loaders_on_written_files(tmp_path, compress, loader, folder):
    sets = _fake_set(tmp_path / folder, 7, 3, compress)
    bunch = loader(data_home=tmp_path)
    np.testing.assert_array_equal(bunch.images, sets["train"][0])
    np.testing.assert_array_equal(bunch.target, sets["train"][1])
    assert bunch.data.shape == (7, 784) and bunch.data.dtype == np.uint8
    np.testing.assert_array_equal(bunch.data[2], sets["train"][0][2].ravel())
    assert len(bunch.target_names) == 10 and bunch.feature_names[29] == "pixel_1_1"
    X, y = loader(subset="all", data_home=tmp_path, return_X_y=True)
    assert X.shape == (10, 784) and y.dtype == np.int64
    np.testing.assert_array_equal(y[7:], sets["t10k"][1])


def test_mnist_real_files(data_home):
    train = load_mnist(data_home=data_home)
    assert train.data.shape == (60000, 784) and train.data.dtype == np.uint8
    assert train.images.shape == (60000, 28, 28)
    np.testing.assert_array_equal(
        np.bincount(train.target), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    )
    X, y = load_mnist(subset="test", data_home=data_home, return_X_y=True)
    assert X.shape == (10000, 784) and y.dtype == np.int64
    np.testing.assert_array_equal(
        np.bincount(y), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    )
    assert X.max() == 255 and X.min() == 0
    assert "LeCun" in train.DESCR


def test_read_idx_other_types(tmp_path):
    array = np.arange(12, dtype=">i4").reshape(3, 4)
    path = tmp_path / "ints-idx2"
    path.write_bytes(bytes([0, 0, 0x0C, 2]) + np.asarray([3, 4], ">u4").tobytes() + array.tobytes())
    out = read_idx(path)
    np.testing.assert_array_equal(out, np.arange(12).reshape(3, 4))
    assert out.dtype == np.dtype("int32") and out.dtype.isnative


def test_read_idx_rejects_bad_files(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x01\x02\x08\x01" + b"\x00" * 8)
    with pytest.raises(ValueError, match="bad magic number"):
        read_idx(bad)
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 1]) + np.asarray([10], ">u4").tobytes() + b"\x00" * 3)
    with pytest.raises(ValueError, match="header announces shape"):
        read_idx(short)
    notgz = tmp_path / "x.gz"
    notgz.write_bytes(b"plain bytes")
    with pytest.raises(ValueError, match="cannot be read"):
        read_idx(notgz)


def test_missing_mnist_says_where_and_whence(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte") as info:
        load_mnist(data_home=tmp_path)
    msg = str(info.value)
    assert str(tmp_path / "mnist") in msg and "LeCun" in msg and "SKHEBB_DATA" in msg
    with pytest.raises(FileNotFoundError, match="zalandoresearch"):
        load_fashion_mnist(data_home=tmp_path)
    with pytest.raises(FileNotFoundError, match="rois-codh"):
        load_kmnist(subset="test", data_home=tmp_path)


def test_missing_label_file(tmp_path, data_home):
    (tmp_path / "mnist").mkdir()
    shutil.copy(data_home / "mnist" / "t10k-images-idx3-ubyte.gz", tmp_path / "mnist")
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte"):
        load_mnist(subset="test", data_home=tmp_path)


def test_bad_subset():
    with pytest.raises(ValueError, match="subset must be"):
        load_mnist(subset="validation")


# ------------------------------------------------------------------ COIL-20
def test_coil20_images_upright_and_split(data_home):
    raw = scipy.io.loadmat(data_home / "COIL20.mat")
    bunch = load_coil20(data_home=data_home)
    assert bunch.data.shape == (1440, 1024) and bunch.images.shape == (1440, 32, 32)
    np.testing.assert_array_equal(np.bincount(bunch.target)[1:], np.full(20, 72))
    # the file stores each image column by column: the loader returns rows first
    np.testing.assert_array_equal(bunch.images[5], raw["X"][5].reshape(32, 32).T)
    np.testing.assert_array_equal(bunch.data[5], bunch.images[5].ravel())
    assert 0.0 <= bunch.data.min() and bunch.data.max() <= 1.0
    X_tr, y_tr = load_coil20(subset="train", data_home=data_home, return_X_y=True)
    test = load_coil20(subset="test", data_home=data_home)
    assert X_tr.shape == (1080, 1024) and test.data.shape == (360, 1024)
    np.testing.assert_array_equal(np.bincount(test.target)[1:], np.full(20, 18))
    np.testing.assert_array_equal(np.unique(test.view), np.arange(3, 72, 4))
    # train and test are the whole set, each image once
    both = np.concatenate([X_tr, test.data])
    assert np.unique(both, axis=0).shape[0] == np.unique(bunch.data, axis=0).shape[0]
    assert "Subset: test" in test.DESCR and "COIL-20" in test.DESCR


def test_coil20_missing_and_bad_subset(tmp_path):
    with pytest.raises(FileNotFoundError, match="COIL20.mat was not found"):
        load_coil20(data_home=tmp_path)
    with pytest.raises(ValueError, match="subset must be"):
        load_coil20(subset="validation", data_home=tmp_path)


def test_coil20_rejects_another_layout(tmp_path):
    scipy.io.savemat(tmp_path / "COIL20.mat", {"X": np.zeros((10, 1024)), "Y": np.ones((10, 1))})
    with pytest.raises(ValueError, match="72 views each"):
        load_coil20(data_home=tmp_path)


# ------------------------------------------------------------------ the registry
def test_registry_entries_are_consistent():
    import skhebb.datasets as datasets

    for name, spec in DATASETS.items():
        assert spec.name == name and spec.kind in ("table", "images")
        assert callable(getattr(datasets, spec.loader))
        assert spec.experiments and set(spec.experiments) <= set(EXPERIMENTS)
        if "hebbset" in spec.experiments:  # the paper's network is needed
            assert spec.hidden and spec.batch_size and spec.published
        if "low_shot" in spec.experiments or "selectors" in spec.experiments:
            assert spec.kind == "images"
    assert DATASETS["mnist2400"].hidden == (1000, 1000, 1000)
    assert DATASETS["mnist2400"].batch_size == 200 and DATASETS["mnist2400"].n_rows == 2400
    for name in ("tox171", "lung", "prostate_ge"):
        assert DATASETS[name].hidden == (2000, 2000, 2000) and DATASETS[name].batch_size == 30
    assert dataset_names("hebbset") == ["tox171", "prostate_ge", "lung", "mnist2400"]
    assert "coil20" in dataset_names("selectors") and "coil20" not in dataset_names("low_shot")


def test_registry_errors():
    with pytest.raises(ValueError, match=r"dataset must be one of \['coil20'"):
        get_dataset("cifar10", "selectors")
    with pytest.raises(ValueError, match="experiment must be one of"):
        dataset_names("clustering")
    with pytest.raises(ValueError, match="not one table"):
        load_table("coil20")
    with pytest.raises(ValueError, match="not an image set"):
        load_split("tox171")


def test_registry_loads_tables_and_images(data_home):
    X, y = load_table("tox171")
    np.testing.assert_array_equal(X, load_tox171(return_X_y=True)[0])
    X_tr, y_tr, X_te, y_te = load_split("coil20", data_home=data_home)
    assert X_tr.dtype == np.float32 and X_tr.shape == (1080, 1024) and X_te.shape == (360, 1024)
    np.testing.assert_allclose(X_te, load_coil20(subset="test", data_home=data_home).data,
                               rtol=1e-6)
    X_tr, y_tr, X_te, y_te = load_split("mnist", data_home=data_home, dtype=np.float64)
    raw = load_mnist(subset="test", data_home=data_home, return_X_y=True)[0]
    np.testing.assert_allclose(X_te, raw / 255.0)
    assert X_tr.shape == (60000, 784) and y_te.shape == (10000,)
