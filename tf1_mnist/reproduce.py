"""Does this reproduce the tutorial's 0.9206? Many seeded runs, statistics, a report.

``reproduce`` trains the network once per seed (0..N-1) for each variant with the
tutorial's recipe, and the ``intended`` variant also on a longer schedule, then
writes ``report.json``, ``report.md``, ``histogram.png`` (test accuracies, the
reported value marked) and ``curves.png`` (minibatch loss and accuracy and
validation accuracy every 100 iterations, mean and spread over the seeds).
"""
import json
import math
import os
import platform
import shutil
import tempfile
import time

import numpy as np

from tf1_mnist import networks
from tf1_mnist.errors import UserError
from tf1_mnist.plots import pyplot, save_figure

REPORTED = networks.SPECS[networks.MLP].reported

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; the normal
# 1.96 beyond (within 2% of t there). Kept here to spare a SciPy dependency.
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    return _T975[df - 1] if df <= len(_T975) else 1.96


def summarize(accuracies, reported=REPORTED):
    # reported may be None (a tutorial that gave no number): its fields are then None
    """Mean, sample standard deviation, range, 95% intervals, and where ``reported`` falls.

    ``ci95_mean`` is the 95% confidence interval of the mean; ``range95_single_run``
    the 95% prediction interval for one more run, the fair test for one reported number.
    """
    values = np.asarray(accuracies, dtype=np.float64)
    n = len(values)
    mean = float(values.mean())
    std = float(values.std(ddof=1)) if n > 1 else 0.0
    known = reported is not None
    summary = {"runs": n, "mean": mean, "std": std, "min": float(values.min()),
               "max": float(values.max()), "reported": reported,
               "reported_in_observed_range":
                   bool(values.min() <= reported <= values.max()) if known else None}
    if n > 1:
        t = t975(n - 1)
        half = t * std / math.sqrt(n)
        spread = t * std * math.sqrt(1 + 1.0 / n)
        summary.update(ci95_mean=[mean - half, mean + half],
                       range95_single_run=[mean - spread, mean + spread],
                       reported_z=(reported - mean) / std if known and std > 0 else None,
                       reported_in_range95_single_run=bool(abs(reported - mean) <= spread)
                       if known else None)
    return summary


def run(arrays, seeds, variants=("faithful", "intended"), n_iterations=None, long_epochs=10,
        long_seeds=3, log=print, model="do-mlp", epochs=None):
    """Train every (schedule, variant, seed); return the list of run records.

    For ``model`` other than the MLP, each seed is one run of its tutorial's recipe
    (``epochs`` overriding its epoch count); variants do not apply.
    """
    from tf1_mnist import input_data
    from tf1_mnist.hparams import DEFAULT_HPARAMS
    from tf1_mnist.train import iterations_for_epochs, train, train_epochs

    if model != networks.MLP:
        return _run_recipe(arrays, seeds, model, epochs, log, train_epochs)

    tutorial_iterations = n_iterations or DEFAULT_HPARAMS["n_iterations"]
    plan = [("tutorial", variant, seed, tutorial_iterations)
            for variant in variants for seed in seeds]
    if long_epochs and "intended" in variants:
        n_train = len(arrays["train_images"]) - 5000
        long_iterations = iterations_for_epochs(long_epochs, n_train,
                                                DEFAULT_HPARAMS["batch_size"])
        plan += [("{} epochs".format(long_epochs), "intended", seed, long_iterations)
                 for seed in seeds[:long_seeds]]
    records = []
    scratch = tempfile.mkdtemp(prefix="tf1-mnist-reproduce-")
    try:
        for number, (schedule, variant, seed, iterations) in enumerate(plan, 1):
            mnist = input_data.from_arrays(arrays, one_hot=True, seed=seed)
            start = time.time()
            metrics = train(mnist, os.path.join(scratch, "model"), variant=variant, seed=seed,
                            hparams={"n_iterations": iterations}, log=lambda line: None,
                            track_validation=True)
            seconds = time.time() - start
            log("[{:>{w}}/{}] {:15} {:>9}  seed {:<3} test accuracy {:.4f}  ({:.1f} s)".format(
                number, len(plan), variant, schedule, seed, metrics["test_accuracy"],
                seconds, w=len(str(len(plan)))))
            records.append({"schedule": schedule, "variant": variant, "seed": seed,
                            "n_iterations": iterations, "seconds": seconds,
                            "test_accuracy": metrics["test_accuracy"],
                            "validation_accuracy": metrics["validation_accuracy"],
                            "history": metrics["minibatch_history"]})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return records


def _run_recipe(arrays, seeds, model, epochs, log, train_epochs):
    records = []
    scratch = tempfile.mkdtemp(prefix="tf1-mnist-reproduce-")
    try:
        for number, seed in enumerate(seeds, 1):
            start = time.time()
            metrics = train_epochs(arrays, os.path.join(scratch, "model"), model, seed=seed,
                                   hparams={"epochs": epochs} if epochs else None,
                                   log=lambda line: None)
            seconds = time.time() - start
            history = metrics["epoch_history"]
            schedule = "{} epochs".format(len(history))
            log("[{:>{w}}/{}] {:15} {:>9}  seed {:<3} test accuracy {:.4f}  ({:.1f} s)".format(
                number, len(seeds), model, schedule, seed, metrics["test_accuracy"], seconds,
                w=len(str(len(seeds)))))
            records.append({"schedule": schedule, "variant": model, "seed": seed,
                            "n_iterations": None, "seconds": seconds,
                            "test_accuracy": metrics["test_accuracy"],
                            "validation_accuracy": history[-1]["validation_accuracy"],
                            "history": history})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return records


def groups(records):
    """Records grouped by (schedule, variant), in the order they were run."""
    grouped = {}
    for record in records:
        grouped.setdefault((record["schedule"], record["variant"]), []).append(record)
    return grouped


def write_report(out_dir, records, started, finished, model="do-mlp"):
    """Write report.json, report.md, histogram.png and curves.png into ``out_dir``."""
    from tf1_mnist.compat import TF_VERSION

    spec = networks.spec(model)

    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create the report directory ({}); choose another --out"
                        .format(out_dir, exc.strerror or exc))
    stack = {"python": platform.python_version(), "tensorflow": TF_VERSION,
             "machine": "{} ({} CPUs)".format(platform.machine(), os.cpu_count()),
             "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
             "seconds": round(finished - started, 1), "model": model,
             "reported": spec.reported, "reported_text": spec.reported_text}
    summaries = [dict(schedule=schedule, variant=variant,
                      seeds=[r["seed"] for r in rs], n_iterations=rs[0]["n_iterations"],
                      **summarize([r["test_accuracy"] for r in rs], spec.reported))
                 for (schedule, variant), rs in groups(records).items()]
    report = {"stack": stack, "summaries": summaries, "runs": records}
    _write_atomically(os.path.join(out_dir, "report.json"),
                      json.dumps(report, indent=1, sort_keys=True) + "\n")
    plot_histogram(records, os.path.join(out_dir, "histogram.png"), stack)
    plot_curves(records, os.path.join(out_dir, "curves.png"), stack)
    _write_atomically(os.path.join(out_dir, "report.md"), format_markdown(report))
    return report


def format_markdown(report):
    stack = report["stack"]
    lines = [
        "### {model}: Python {python} + TensorFlow {tensorflow}".format(**stack), "",
        "Measured on {machine}, {started}; the whole run took {seconds:.0f} s.".format(**stack),
        "", "| network | schedule | runs (seeds) | mean | std | min | max | 95% CI of mean "
        "| 95% range, one run | reported {} |".format(stack["reported_text"]),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in report["summaries"]:
        seeds = "{}-{}".format(s["seeds"][0], s["seeds"][-1]) if len(s["seeds"]) > 1 \
            else str(s["seeds"][0])
        interval = (lambda key: "{:.4f}-{:.4f}".format(*s[key]) if key in s else "-")
        if s["reported"] is None:
            where = "-"
        elif s.get("reported_z") is not None:
            where = "{:+.1f} sd; {} observed range".format(
                s["reported_z"], "inside" if s["reported_in_observed_range"] else "outside")
        else:
            where = "inside observed range" if s["reported_in_observed_range"] else "outside"
        schedule = s["schedule"] if s["n_iterations"] is None else "{} ({} iterations)".format(
            s["schedule"], s["n_iterations"])
        lines.append("| {} | {} | {} ({}) | {:.4f} | {:.4f} | {:.4f} | {:.4f} "
                     "| {} | {} | {} |".format(
                         s["variant"], schedule, s["runs"], seeds,
                         s["mean"], s["std"], s["min"], s["max"], interval("ci95_mean"),
                         interval("range95_single_run"), where))
    lines += ["", "![Test accuracy over seeds](histogram.png)", "",
              "![Learning curves](curves.png)", ""]
    return "\n".join(lines)


COLOURS = {"faithful": "tab:blue", "intended": "tab:orange", "fix-activations": "tab:green",
           "fix-dropout": "tab:purple"}


def plot_histogram(records, path, stack):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    reported = stack["reported"]
    values = [r["test_accuracy"] for r in records] + ([reported] if reported else [])
    bins = np.arange(math.floor(min(values) * 500) / 500, max(values) + 0.002, 0.001)
    for (schedule, variant), rs in groups(records).items():
        colour = COLOURS.get(variant, "gray")
        ax.hist([r["test_accuracy"] for r in rs], bins=bins, alpha=0.6 if schedule ==
                "tutorial" else 0.35, color=colour, hatch=None if schedule == "tutorial" else
                "//", label="{} ({}, {} runs)".format(variant, schedule, len(rs)))
    if reported:
        ax.axvline(reported, color="red", linestyle="--", linewidth=2,
                   label="tutorial's reported {}".format(stack["reported_text"]))
    ax.set_xlabel("test accuracy")
    ax.set_ylabel("runs")
    ax.set_title("Test accuracy over seeds: Python {}, TensorFlow {}".format(
        stack["python"], stack["tensorflow"]))
    ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_curves(records, path, stack):
    plt = pyplot()
    panels = (("loss", "training loss (log scale)"), ("accuracy", "training accuracy"),
              ("validation_accuracy", "validation accuracy"))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    step = "epoch" if "epoch" in records[0]["history"][0] else "iteration"
    for (schedule, variant), rs in groups(records).items():
        if schedule != "tutorial" and step == "iteration":
            continue
        colour = COLOURS.get(variant, "gray")
        iterations = [p[step] for p in rs[0]["history"]]
        for ax, (key, _) in zip(axes, panels):
            if any(p.get(key) is None for r in rs for p in r["history"]):
                ax.text(0.5, 0.5, "the tutorial validated on nothing", ha="center",
                        transform=ax.transAxes, color="gray")
                continue
            curves = np.array([[p[key] for p in r["history"]] for r in rs])
            ax.plot(iterations, curves.mean(axis=0), color=colour, marker="o", markersize=3,
                    label="{} (mean of {})".format(variant, len(rs)))
            ax.fill_between(iterations, curves.min(axis=0), curves.max(axis=0), color=colour,
                            alpha=0.15)
    axes[0].set_yscale("log")
    for ax, (key, title) in zip(axes, panels):
        ax.set_title(title)
        ax.set_xlabel(step)
        ax.grid(alpha=0.3)
        if key != "loss":
            ax.set_ylim(0.6, 1.0)
            if stack["reported"]:
                ax.axhline(stack["reported"], color="red", linestyle="--", linewidth=1,
                           label="tutorial's reported test accuracy")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.suptitle("Learning curves by {}, the tutorial's schedule; bands: min-max over seeds "
                 "(Python {}, TensorFlow {})".format(step, stack["python"], stack["tensorflow"]))
    save_figure(fig, path)


def _write_atomically(path, text):
    tmp = path + ".part"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)
