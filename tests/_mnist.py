"""A few lines of NumPy that read the gzipped MNIST IDX files (for tests and benchmarks)."""

import gzip

import numpy as np


def load_mnist(data_home, kind="train", n=None):
    """Images as float64 in [0, 1], shape (n, 784), and integer labels."""
    prefix = "train" if kind == "train" else "t10k"
    folder = data_home / "mnist"
    with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    if n is not None:
        images, labels = images[:n], labels[:n]
    return images / 255.0, labels
