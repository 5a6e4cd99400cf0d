"""The HebbSET reproductions of ``skhebb reproduce``: ``hebbset`` and ``topology``.
"""

from skhebb._core.losses import LOSSES
from skhebb.experiments import _reproductions as rp

#: The default `skhebb reproduce hebbset`: bundled TOX-171, SET vs HebbSET (lambda0 = 0.01),
#: a short run: the paper's epochs, fewer seeds and values of lambda0.
HEBBSET_DEFAULTS = dict(
    dataset="tox171", lambdas=[0.0, 0.01], seeds=[0, 1, 2], epochs=250, hidden=None
)


def _protocol_options(defaults, *, lambdas_note, hidden_note=""):
    """The options of a reproduction that runs the HebbSET protocol (``defaults``: its own).

    Data set, epochs per run, values of lambda0 (``lambdas_note`` follows their
    default in the help) and hidden layers (``hidden_note`` follows the default).
    """
    lambdas = ",".join(f"{v:g}" for v in defaults["lambdas"])
    return [
        rp._dataset_option("hebbset", defaults["dataset"], "workload"),
        rp.arg("--epochs", type=rp._positive_int, default=None, metavar="E",
               help=f"epochs per run (default: {defaults['epochs']}; the paper: 250)"),
        rp.arg("--lambdas", type=rp._floats, default=None, metavar="L0,L1,...",
               help=f"values of lambda0; 0 is SET (default: {lambdas}; {lambdas_note})"),
        rp.arg("--hidden", type=rp._sizes, default=None, metavar="H1,H2,...",
               help=f"hidden layer sizes (default: the paper's network for the dataset"
               f"{hidden_note})"),
    ]


@rp.reproduction(
    "hebbset",
    help="HebbSET vs SET test accuracy per epoch (Table II of the HebbSET paper)",
    arguments=[
        *_protocol_options(
            HEBBSET_DEFAULTS, lambdas_note="the paper: 0,0.005,0.01,0.025",
            hidden_note=", 2000,2000,2000 for the gene-expression tables, 1000,1000,1000 "
            "for MNIST",
        ),
        rp.arg("--batch-size", type=rp._positive_int, default=None, metavar="B",
            help="mini-batch size (default: the paper's, 30 for tables, 200 for MNIST)"),
        rp.arg("--loss", choices=sorted(LOSSES), default="set_mse",
            help="output loss (default: set_mse, the squared error of the reference code; "
            "log_loss: softmax and cross-entropy)"),
        rp.arg("--learning-rate", type=float, default=0.02, metavar="ALPHA",
            help="SGD step alpha (default: 0.02, the paper's)"),
    ],
)
def _reproduce_hebbset(args):
    """HebbSET vs SET: test accuracy per epoch on a Lung-like table or MNIST-2400.

    The protocol of the HebbSET paper (Table II): a stratified 75/25 split per
    seed, each sample scaled to [0, 1], a sparse MLP trained with SET
    (alpha = 0.02, zeta = 0.3, epsilon = 20) with and without the Hebbian term.
    Without options it runs the bundled TOX-171 table, SET vs HebbSET with
    lambda0 = 0.01, 3 seeds, the paper's 250 epochs of its network; pass
    --dataset mnist2400 --epochs 250 --seeds 10 --lambdas 0,0.005,0.01,0.025
    for the paper's MNIST experiment.
    """
    from skhebb.experiments import format_table2, hebbset_learning_curves, summarize_table2
    from skhebb.experiments._published import HEBBSET_TABLE2, PAPER
    from skhebb.plotting import plot_learning_curves

    seeds = args.seeds or HEBBSET_DEFAULTS["seeds"]
    lambdas = args.lambdas or HEBBSET_DEFAULTS["lambdas"]
    epochs = args.epochs or HEBBSET_DEFAULTS["epochs"]
    n_runs = len(seeds) * len(lambdas)
    print(f"HebbSET vs SET on {args.dataset}: lambda0 in {lambdas}, {len(seeds)} seed(s), "
          f"{epochs} epochs, loss {args.loss}, alpha {args.learning_rate:g}, {n_runs} runs",
          flush=True)
    results, elapsed = rp._timed(
        hebbset_learning_curves, args.dataset, lambdas=lambdas, seeds=seeds, epochs=epochs,
        hidden_layer_sizes=args.hidden or HEBBSET_DEFAULTS["hidden"],
        batch_size=args.batch_size, loss=args.loss, learning_rate=args.learning_rate,
        n_threads=args.threads, **rp._common_kwargs(args, n_runs),
    )
    table = summarize_table2(results)
    print(f"\nTest accuracy (mean ± std over {len(seeds)} seed(s)), {elapsed:.0f} s:")
    print(format_table2(table))
    paper_ds = table["paper_dataset"].iloc[0]
    published = [r for r in HEBBSET_TABLE2 if r["dataset"] == paper_ds and r["lambda0"] in lambdas]
    if published:
        print(f"\nPublished ({PAPER}, {paper_ds}, 10 runs, 250 epochs):")
        for r in published:
            name = r["method"] if r["lambda0"] == 0 else f"{r['method']} λ0={r['lambda0']:g}"
            print(f"  {name:<16} epoch {r['epoch']:>3}: "
                  f"{r['accuracy_mean']:g} ± {r['accuracy_std']:g} %")
    settings = dict(results.attrs["settings"], seeds=seeds, lambdas=lambdas)
    settings["hidden_layer_sizes"] = list(settings["hidden_layer_sizes"])
    stem = f"hebbset_{args.dataset}"
    return rp.Output(
        {f"{stem}_curves.csv": results, f"{stem}_table2.csv": table,
         f"{stem}_settings.json": dict(settings, elapsed_s=round(elapsed, 1))},
        rp.Figure(f"{stem}_curves.png", plot_learning_curves, (results,)),
    )


TOPOLOGY_DEFAULTS = dict(dataset="tox171", lambdas=[0.0, 0.01], seeds=[0, 1], epochs=30)


@rp.reproduction(
    "topology",
    help="the evolving sparse topology of SET vs HebbSET (Fig. 5-7, Table III of HebbSET)",
    arguments=[
        *_protocol_options(TOPOLOGY_DEFAULTS, lambdas_note="as in the paper's figures"),
        rp.arg("--checkpoints", type=rp._positive_int, default=10, metavar="N",
            help="about N evenly spaced checkpoints, plus the first and last epoch "
            "(default: 10)"),
    ],
)
def _reproduce_topology(args):
    """SET vs HebbSET topology: connections per input, stability, weight signs.

    Runs the HebbSET protocol (as `skhebb reproduce hebbset`) and records the
    network's connections at checkpoints: the connections of each input feature
    (the paper's Fig. 5: under HebbSET they concentrate on informative inputs),
    the fraction of connections kept between checkpoints (Fig. 6) and present
    at the end (Fig. 7), and the weight-sign statistics of Table III. Without
    options: bundled TOX-171, SET vs HebbSET (lambda0 = 0.01), 2 seeds, 30
    epochs of the paper's network. Table III was measured on MNIST after 250
    epochs; pass --dataset mnist2400 --epochs 250 for that setting.
    """
    from skhebb.experiments import hebbset_topology, summarize_topology
    from skhebb.plotting import plot_topology

    seeds = args.seeds or TOPOLOGY_DEFAULTS["seeds"]
    lambdas = args.lambdas or TOPOLOGY_DEFAULTS["lambdas"]
    epochs = args.epochs or TOPOLOGY_DEFAULTS["epochs"]
    step = max(1, epochs // args.checkpoints)
    checkpoints = sorted({0, *range(step - 1, epochs, step), epochs - 1})
    n_runs = len(seeds) * len(lambdas)
    print(f"SET/HebbSET topology on {args.dataset}: lambda0 in {lambdas}, {len(seeds)} "
          f"seed(s), {epochs} epochs, checkpoints {checkpoints}, {n_runs} runs", flush=True)
    topo, elapsed = rp._timed(
        hebbset_topology, args.dataset, lambdas=lambdas, seeds=seeds, epochs=epochs,
        checkpoints=checkpoints, hidden_layer_sizes=args.hidden, n_threads=args.threads,
        **rp._common_kwargs(args, n_runs),
    )
    summary = summarize_topology(topo)
    print(f"\nWeight signs at epoch {checkpoints[-1]} (mean over seeds), {elapsed:.0f} s; "
          "paper: Table III, MNIST, 250 epochs, HebbSET lambda0 = 0.01:")
    print(rp._pd_text(summary.weights.drop(columns=["dataset"]), "{:.3f}"))
    print("\nInput connectivity: share of the input layer's connections on the 10 % most "
          "connected inputs (0.1 = uniform) and Gini coefficient:")
    print(rp._pd_text(summary.inputs.drop(columns=["dataset"]), "{:.3f}"))
    stability = summary.stability
    print("\nInput layer: fraction of connections kept since the previous checkpoint "
          "(Fig. 6) and present at the end (Fig. 7):")
    print(rp._pd_text(stability[stability["layer"] == 1].drop(columns=["dataset", "layer"]),
                      "{:.3f}"))
    stem = f"topology_{args.dataset}"
    return rp.Output(
        {f"{stem}_layers.csv": topo.layers, f"{stem}_inputs.csv.gz": topo.inputs,
         f"{stem}_weights.csv": summary.weights, f"{stem}_stability.csv": stability,
         f"{stem}_concentration.csv": summary.inputs},
        rp.Figure(f"{stem}.png", plot_topology, (topo,), figsize=(5 * (len(lambdas) + 1), 4),
                  whole_figure=True),
    )
