"""The ``skhebb`` command, end to end on tiny settings, called in-process."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from skhebb.experiments._cli import REPRODUCTIONS, _build_parser, main, write
from skhebb.experiments._reproductions import Output

pytest.importorskip("skhebb.neural_network._hebbset")

TINY = [
    "--epochs", "2", "--hidden", "8", "--seeds", "2", "--lambdas", "0,0.01", "--quiet",
    "--threads", "1",
]


def test_reproduce_hebbset_end_to_end(tmp_path, capsys):
    out = tmp_path / "results"
    code = main(["reproduce", "hebbset", *TINY, "--out", str(out)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "HebbSET vs SET on tox171" in stdout
    assert "accuracy %" in stdout and "paper %" in stdout
    assert "Published" in stdout and "79 ± 3.8 %" in stdout  # Lung, lambda0 = 0.01, epoch 50
    curves = pd.read_csv(out / "hebbset_tox171_curves.csv")
    assert set(curves["seed"]) == {0, 1} and set(curves["lambda0"]) == {0.0, 0.01}
    assert set(curves["epoch"]) == {0, 1}
    table = pd.read_csv(out / "hebbset_tox171_table2.csv")
    assert len(table) == 2 and (table["n_runs"] == 2).all()
    settings = json.loads((out / "hebbset_tox171_settings.json").read_text())
    assert settings["hidden_layer_sizes"] == [8] and settings["seeds"] == [0, 1]
    pytest.importorskip("matplotlib")
    png = out / "hebbset_tox171_curves.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_plot_and_seed_list(tmp_path, capsys):
    code = main(
        ["reproduce", "hebbset", *TINY[:4], "--seeds", "5,7", "--lambdas", "0.01",
         "--no-plot", "--batch-size", "64", "--out", str(tmp_path)]
    )
    assert code == 0
    assert "HebbSET tox171" in capsys.readouterr().err  # the progress bar
    assert not (tmp_path / "hebbset_tox171_curves.png").exists()
    curves = pd.read_csv(tmp_path / "hebbset_tox171_curves.csv")
    assert set(curves["seed"]) == {5, 7} and set(curves["method"]) == {"HebbSET"}
    settings = json.loads((tmp_path / "hebbset_tox171_settings.json").read_text())
    assert settings["batch_size"] == 64


def test_missing_data_file_exit_code(tmp_path, capsys):
    code = main(["reproduce", "hebbset", "--dataset", "lung", "--data-home", str(tmp_path),
                 *TINY, "--out", str(tmp_path / "o")])
    assert code == 1
    err = capsys.readouterr().err
    assert "lung.mat was not found" in err and "scikit-feature" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["reproduce", "hebbset", "--seeds", "x"], "seeds must be"),
        (["reproduce", "hebbset", "--lambdas", "-1"], "nonnegative"),
        (["reproduce", "hebbset", "--hidden", "0"], "positive layer sizes"),
        (["reproduce", "hebbset", "--epochs", "0"], "positive integer"),
        (["reproduce", "hebbset", "--threads", "0"], "positive integer"),
        (["reproduce", "hebbset", "--dataset", "cifar"], "invalid choice"),
        (["reproduce", "nothing"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_help_lists_reproductions(capsys):
    with pytest.raises(SystemExit) as info:
        main(["reproduce", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for name in REPRODUCTIONS:
        assert name in out


def test_python_dash_m_skhebb():
    proc = subprocess.run(
        [sys.executable, "-m", "skhebb", "reproduce", "hebbset", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "--scheduler" in proc.stdout and "--data-home" in proc.stdout


def test_scheduler_runs_on_the_cluster(tmp_path, capsys):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        code = main(["reproduce", "hebbset", *TINY, "--no-plot", "--out", str(tmp_path / "d"),
                     "--scheduler", cluster.scheduler_address])
    assert code == 0
    assert "Dask cluster" in capsys.readouterr().out
    code = main(["reproduce", "hebbset", *TINY, "--no-plot", "--out", str(tmp_path / "s")])
    assert code == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "d" / "hebbset_tox171_curves.csv"),
        pd.read_csv(tmp_path / "s" / "hebbset_tox171_curves.csv"),
    )


# ------------------------------------------------------------------ topology, selectors,
# sample efficiency, low shot
def _png(path):
    pytest.importorskip("matplotlib")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reproduce_topology_end_to_end(tmp_path, capsys):
    code = main(["reproduce", "topology", "--epochs", "3", "--hidden", "8", "--seeds", "1",
                 "--checkpoints", "3", "--threads", "1", "--quiet", "--out", str(tmp_path)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "SET/HebbSET topology on tox171" in stdout
    assert "paper_positive_percent" in stdout and "54.300" in stdout  # Table III, HebbSET
    assert "top10_share" in stdout and "fraction_in_final" in stdout
    layers = pd.read_csv(tmp_path / "topology_tox171_layers.csv")
    assert set(layers["epoch"]) == {0, 1, 2} and set(layers["lambda0"]) == {0.0, 0.01}
    inputs = pd.read_csv(tmp_path / "topology_tox171_inputs.csv.gz")
    assert inputs["feature"].max() == 5747
    weights = pd.read_csv(tmp_path / "topology_tox171_weights.csv")
    assert len(weights) == 4  # 2 methods x 2 layers
    for name in ("stability", "concentration"):
        assert (tmp_path / f"topology_tox171_{name}.csv").exists()
    _png(tmp_path / "topology_tox171.png")


def test_reproduce_selectors_end_to_end(tmp_path, capsys, data_home):
    code = main(["reproduce", "selectors", "--n-train", "300", "--n-test", "500",
                 "--inhibitions", "1,10", "--epochs", "1", "--n-jobs", "1", "--quiet",
                 "--data-home", str(data_home), "--out", str(tmp_path)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "Lateral-inhibition selectors on mnist" in stdout
    assert "79.32" in stdout and "paper_delta" in stdout
    res = pd.read_csv(tmp_path / "selectors_mnist.csv")
    acc = res[res["metric"] == "test_accuracy"]
    assert set(acc["inhibition"]) == {1.0, 10.0} and set(acc["readout"]) == {"logistic", "delta"}
    table = pd.read_csv(tmp_path / "selectors_mnist_table.csv")
    assert len(table) == 4
    _png(tmp_path / "selectors_mnist.png")


def test_reproduce_sample_efficiency_end_to_end(tmp_path, capsys):
    code = main(["reproduce", "sample-efficiency", "--methods", "PCA,HebbianPCA",
                 "--n-components", "4", "--seeds", "1", "--fractions", "0.1,1", "--n-jobs", "1",
                 "--quiet", "--out", str(tmp_path)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "Sample efficiency on tox171" in stdout
    assert "10 % mean" in stdout and "41.88" in stdout and "fit s" in stdout
    res = pd.read_csv(tmp_path / "sample_efficiency_tox171.csv")
    assert set(res["method"]) == {"PCA", "HebbianPCA"}
    table = pd.read_csv(tmp_path / "sample_efficiency_tox171_table.csv")
    assert list(table["method"]) == ["HebbianPCA", "PCA"]
    assert set(table["readout"]) == {"logistic"}
    _png(tmp_path / "sample_efficiency_tox171.png")


def test_reproduce_low_shot_end_to_end(tmp_path, capsys, data_home):
    code = main(["reproduce", "low-shot", "--shots", "1,2", "--rules", "oja,threshold",
                 "--no-references", "--n-test", "500", "--quiet", "--no-plot",
                 "--data-home", str(data_home), "--out", str(tmp_path)])
    assert code == 0
    stdout = capsys.readouterr().out
    assert "Low shot on mnist" in stdout and "published (Qumsieh)" in stdout
    assert "47.62" in stdout
    res = pd.read_csv(tmp_path / "low_shot_mnist.csv")
    assert set(res["method"]) == {"SupervisedHebbClassifier"}
    assert set(res["shots"]) == {1, 2} and set(res["rule"]) == {"oja", "threshold"}
    assert not (tmp_path / "low_shot_mnist.png").exists()
    table = pd.read_csv(tmp_path / "low_shot_mnist_table.csv", index_col=0)
    assert table.loc["published (Qumsieh)", "2"] == 47.62


@pytest.mark.parametrize(
    "argv, message",
    [
        (["reproduce", "sample-efficiency", "--fractions", "0"], "fractions must lie in"),
        (["reproduce", "sample-efficiency", "--methods", "ICA"], "unknown methods"),
        (["reproduce", "sample-efficiency", "--readouts", "svm"], "unknown readouts"),
        (["reproduce", "low-shot", "--rules", "hebb"], "unknown rules"),
        (["reproduce", "selectors", "--inhibitions", "0.5"], "inhibitions must be >= 1"),
    ],
)
def test_new_reproductions_reject_bad_values(argv, message, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_missing_mnist_exit_code(tmp_path, capsys):
    code = main(["reproduce", "low-shot", "--data-home", str(tmp_path), "--quiet",
                 "--out", str(tmp_path / "o")])
    assert code == 1
    assert "skhebb:" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["topology", "selectors", "sample-efficiency", "low-shot"])
def test_new_reproductions_help(name, capsys):
    with pytest.raises(SystemExit) as info:
        main(["reproduce", name, "--help"])
    assert info.value.code == 0
    assert "--data-home" in capsys.readouterr().out


def test_reproduce_help_lists_every_reproduction(capsys):
    with pytest.raises(SystemExit):
        main(["reproduce", "--help"])
    out = capsys.readouterr().out
    assert "0.5-100 % labeled" in out and "{'option_strings'" not in out
    for name in REPRODUCTIONS:
        assert name in out


# ------------------------------------------------------------------ a plain install, the writer
def test_runs_without_tqdm(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    code = main(["reproduce", "hebbset", *TINY[:-3], "--threads", "1", "--seeds", "1",
                 "--no-plot", "--out", str(tmp_path)])
    assert code == 0
    assert "HebbSET tox171" not in capsys.readouterr().err  # no bar, no error
    assert (tmp_path / "hebbset_tox171_curves.csv").exists()


def test_missing_pandas_names_the_extra(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "pandas", None)
    code = main(["reproduce", "hebbset", *TINY, "--out", str(tmp_path / "o")])
    assert code == 1
    assert 'pip install "skhebb[experiments]"' in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_missing_matplotlib_writes_the_tables(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code = main(["reproduce", "hebbset", *TINY, "--seeds", "1", "--out", str(tmp_path)])
    assert code == 0
    assert 'no plot; pip install "skhebb[experiments]"' in capsys.readouterr().out
    assert not (tmp_path / "hebbset_tox171_curves.png").exists()
    assert (tmp_path / "hebbset_tox171_table2.csv").exists()


def test_help_needs_no_extra(monkeypatch, capsys):
    for name in ("pandas", "tqdm", "tqdm.auto", "matplotlib"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(SystemExit) as info:
        main(["reproduce", "sample-efficiency", "--help"])
    assert info.value.code == 0
    assert "coil20" in capsys.readouterr().out


def test_dataset_choices_come_from_the_registry(monkeypatch, capsys):
    from skhebb.datasets._registry import DATASETS, Dataset, dataset_names

    parser = _build_parser()
    for command, experiment in [("hebbset", "hebbset"), ("topology", "hebbset"),
                                ("selectors", "selectors"), ("low-shot", "low_shot"),
                                ("sample-efficiency", "sample_efficiency")]:
        for name in dataset_names(experiment):
            assert parser.parse_args(["reproduce", command, "--dataset", name]).dataset == name
    # one registry entry makes a new data set a choice
    toy = Dataset("toy", kind="table", loader="load_tox171", experiments=("hebbset",),
                  hidden=(8,), batch_size=16, published="Lung")
    monkeypatch.setitem(DATASETS, "toy", toy)
    assert parser.parse_args(["reproduce", "hebbset", "--dataset", "toy"]).dataset == "toy"
    with pytest.raises(SystemExit):
        parser.parse_args(["reproduce", "selectors", "--dataset", "toy"])
    assert "invalid choice: 'toy'" in capsys.readouterr().err


def test_write_tables_json_and_index(tmp_path, capsys):
    frame = pd.DataFrame({"a": [1, 2]})
    wide = pd.DataFrame({"b": [3.0]}, index=pd.Index(["x"], name="row"))
    assert write(tmp_path / "w", Output({"t.csv": frame, "w.csv": wide, "s.json": {"k": [1]}}),
                 plot=True) == 0
    assert (tmp_path / "w" / "t.csv").read_text().splitlines()[0] == "a"
    assert (tmp_path / "w" / "w.csv").read_text().splitlines()[0] == "row,b"
    assert json.loads((tmp_path / "w" / "s.json").read_text()) == {"k": [1]}
    assert "Wrote" in capsys.readouterr().out
