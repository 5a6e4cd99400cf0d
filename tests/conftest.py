"""Shared fixtures: seeds, dtypes and the location of the real data sets."""

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# The first example of a property test includes JIT compilation.
settings.register_profile("skhebb", deadline=None, max_examples=25)
settings.load_profile("skhebb")

_REPO = Path(__file__).resolve().parents[1]


def _data_home():
    env = os.environ.get("SKHEBB_DATA")
    return Path(env) if env else _REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_home():
    """Folder with MNIST and the gene-expression tables (``../shared/data`` or $SKHEBB_DATA)."""
    home = _data_home()
    if not (home / "TOX-171.mat").exists():
        msg = f"real data not found in {home}; set SKHEBB_DATA to the shared data folder"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return home


@pytest.fixture(params=[0, 1, 42])
def seed(request):
    """A few seeds for tests whose result must hold for any seed."""
    return request.param


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def dtype(request):
    """Both floating dtypes that the kernels are compiled for."""
    return request.param


def rtol_for(dtype):
    """Relative tolerance for comparing a kernel with its float64 NumPy reference."""
    return 1e-4 if np.dtype(dtype) == np.float32 else 1e-10
