"""What every figure of :mod:`skhebb.plotting` shares: matplotlib, the axes, the checks."""


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "skhebb.plotting needs matplotlib; install the experiments extra: "
            'pip install "skhebb[experiments]"'
        ) from exc


def _new_axes(ax, figsize=(6, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _one_dataset(frame):
    """The one dataset of ``frame``; ValueError when it holds several."""
    datasets = frame["dataset"].unique()
    if len(datasets) > 1:
        raise ValueError(f"results hold several datasets ({sorted(datasets)}); pass one.")
    return datasets[0]
