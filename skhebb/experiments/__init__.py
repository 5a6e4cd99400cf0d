"""Reproductions of the papers' experiments, as tidy pandas tables, and the ``skhebb`` command.

Every experiment is fully seeded and runs its repetitions and grid points as
independent :class:`joblib.Parallel` tasks: ``n_jobs`` uses local processes, and
the same code runs on a Dask cluster under
``joblib.parallel_config(backend="dask")`` with a :class:`distributed.Client`.
The results are pandas DataFrames: install the ``experiments`` extra
(``pip install "skhebb[experiments]"``: pandas, tqdm for the progress bars,
matplotlib for the figures). Without tqdm the experiments run without a bar.
"""

import importlib

_EXPORTS = {
    "hebbset_learning_curves": "skhebb.experiments._learning_curves",
    "hebbset_topology": "skhebb.experiments._topology",
    "summarize_table2": "skhebb.experiments._learning_curves",
    "format_table2": "skhebb.experiments._learning_curves",
    "load_hebbset_data": "skhebb.experiments._hebbset_runs",
    "lateral_inhibition_accuracy": "skhebb.experiments._selectors",
    "summarize_selectors": "skhebb.experiments._selectors",
    "sample_efficiency": "skhebb.experiments._sample_efficiency",
    "summarize_sample_efficiency": "skhebb.experiments._sample_efficiency",
    "labeled_mask": "skhebb.experiments._sample_efficiency",
    "low_shot": "skhebb.experiments._low_shot",
    "summarize_low_shot": "skhebb.experiments._low_shot",
    "first_per_class": "skhebb.experiments._low_shot",
    "summarize_topology": "skhebb.experiments._topology",
    "tabular_baselines": "skhebb.experiments._tabular",
    "summarize_tabular": "skhebb.experiments._tabular",
    "feature_selection": "skhebb.experiments._tabular",
    "summarize_feature_selection": "skhebb.experiments._tabular",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'skhebb.experiments' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
