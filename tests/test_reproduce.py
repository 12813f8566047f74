"""Reproduction statistics, determinism, TensorBoard summaries, evaluate, reproduce."""
import glob
import json
import os

import numpy as np
import pytest
from PIL import Image

from conftest import checksums_of, run_cli, write_mnist_like
from tf1_mnist import cli, data, input_data, report
from tf1_mnist.evaluate import confusion_matrix
from tf1_mnist.recipes import configure, iterations_for_epochs
from tf1_mnist.train import Monitor, train


def test_summary_statistics_against_numpy():
    values = [0.9175, 0.9179, 0.9157, 0.9186, 0.9189]
    s = report.summarize(values, reported=0.9206)
    mean, std = np.mean(values), np.std(values, ddof=1)
    assert s["runs"] == 5 and abs(s["mean"] - mean) < 1e-12 and abs(s["std"] - std) < 1e-12
    half = 2.776 * std / np.sqrt(5)
    np.testing.assert_allclose(s["ci95_mean"], [mean - half, mean + half])
    spread = 2.776 * std * np.sqrt(1 + 1 / 5.0)
    np.testing.assert_allclose(s["range95_single_run"], [mean - spread, mean + spread])
    assert abs(s["reported_z"] - (0.9206 - mean) / std) < 1e-9
    assert s["reported_in_observed_range"] is False
    assert report.summarize([0.91, 0.93], 0.9206)["reported_in_observed_range"] is True


def _t_quantile_by_integration(df):
    """The 97.5% quantile of Student's t: integrate its density (trapezoids on a fine
    grid) and invert the cumulative sum; independent of the package's table."""
    from math import gamma, pi, sqrt
    t = np.linspace(0.0, 20.0, 2000001)
    density = gamma((df + 1) / 2.0) / (sqrt(df * pi) * gamma(df / 2.0)) * \
        (1 + t * t / df) ** (-(df + 1) / 2.0)
    cumulative = 0.5 + np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2.0
                                                        * (t[1] - t[0]))])
    return float(np.interp(0.975, cumulative, t))


@pytest.mark.parametrize("df", list(range(1, 31)))
def test_t_table_against_integration(df):
    # the table rounds to 3 decimals; df=1 and 2 need the grid's far tail
    assert abs(report.t975(df) - _t_quantile_by_integration(df)) < 6e-4


def test_t_beyond_the_table_is_the_normal_quantile():
    from math import erf, sqrt
    assert abs(0.5 * (1 + erf(report.t975(100) / sqrt(2))) - 0.975) < 1e-4


def test_epochs_to_iterations():
    assert iterations_for_epochs(1, 55000, 128) == 430
    assert iterations_for_epochs(1000 * 128 / 55000.0, 55000, 128) == 1000


def test_epochs_and_iterations_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "--epochs", "2", "--n-iterations", "5"])
    assert info.value.code == 2 and "not allowed with" in capsys.readouterr().err


def _small(tmp_path, seed=0):
    arrays = write_mnist_like(tmp_path / "data", n_train=300, n_test=50)
    return input_data.read_data_sets(str(tmp_path / "data"), one_hot=True, seed=seed,
                                     validation_size=50, checksums=checksums_of(arrays))


@pytest.mark.slow
def test_same_seed_same_run_bit_for_bit(mnist_dir, tmp_path):
    arrays = data.load_mnist(mnist_dir, download=False)
    runs = []
    for seed in (4, 4, 5):
        mnist = input_data.from_arrays(arrays, one_hot=True, seed=seed)
        runs.append(train(mnist, str(tmp_path / "model"),
                          configure(seed=seed, hparams={"n_iterations": 301}),
                          Monitor(log=lambda line: None)))
    assert runs[0] == runs[1]  # every loss, accuracy and the test accuracy, exactly
    assert runs[0]["history"] != runs[2]["history"]


def test_tensorboard_event_files_hold_the_scalars_and_the_graph(tmp_path):
    from tf1_mnist.compat import tf

    log_dir = str(tmp_path / "logs")
    metrics = train(_small(tmp_path), str(tmp_path / "model"),
                    configure(seed=0, hparams={"n_iterations": 3}),
                    Monitor(log=lambda line: None, log_every=1, log_dir=log_dir))
    scalars, graphs = {}, 0
    for path in glob.glob(os.path.join(log_dir, "events.out.tfevents.*")):
        for event in tf.train.summary_iterator(path):
            graphs += bool(event.graph_def)
            for value in event.summary.value:
                scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    assert graphs == 1
    history = metrics["history"]
    for tag, key in (("minibatch/loss", "loss"), ("minibatch/accuracy", "accuracy"),
                     ("validation/accuracy", "validation_accuracy")):
        assert [step for step, _ in scalars[tag]] == [0, 1, 2]
        np.testing.assert_allclose([v for _, v in scalars[tag]], [p[key] for p in history],
                                   rtol=1e-6)


def test_confusion_matrix_counts():
    matrix = confusion_matrix([0, 1, 1, 9, 9, 9], [0, 1, 7, 9, 9, 4])
    assert matrix.sum() == 6 and matrix[1, 7] == 1 and matrix[9, 9] == 2 and matrix[9, 4] == 1


@pytest.mark.slow
def test_evaluate_matches_training_and_draws(trained_model, mnist_dir, tmp_path):
    model_dir, _ = trained_model
    picture = str(tmp_path / "confusion.png")
    code, out, err = run_cli(["evaluate", "--model-dir", model_dir, "--data-dir", mnist_dir,
                              "--confusion-png", picture])
    assert code == 0, err
    with open(os.path.join(model_dir, "model.json")) as f:
        trained = json.load(f)["metrics"]["test_accuracy"]
    measured = float(out.split("Accuracy on test set: ")[1].split()[0])
    assert abs(measured - trained) < 1e-4
    lines = out.splitlines()
    header = [i for i, line in enumerate(lines) if line.startswith("Confusion matrix (rows")][0]
    rows = [line.split() for line in lines[header + 2:header + 12]]
    assert [row[0] for row in rows] == [str(d) for d in range(10)]
    assert sum(int(n) for row in rows for n in row[1:]) == 10000
    assert Image.open(picture).size[0] > 500


def test_evaluate_without_a_model(tmp_path, capsys):
    assert cli.main(["evaluate", "--model-dir", str(tmp_path)]) == 1
    assert "no trained model" in capsys.readouterr().err


@pytest.mark.slow
def test_reproduce_writes_a_consistent_report(mnist_dir, tmp_path):
    out = str(tmp_path / "report")
    code, stdout, err = run_cli(["reproduce", "--seeds", "2", "--n-iterations", "101",
                                 "--variants", "faithful,intended",
                                 "--long-epochs", "0.3", "--long-seeds", "1",
                                 "--data-dir", mnist_dir, "--out", out])
    assert code == 0, err
    assert "[1/5] faithful" in stdout and "[5/5] intended" in stdout
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    by_group = {(s["schedule"], s["variant"]): s for s in report["summaries"]}
    assert set(by_group) == {("tutorial", "faithful"), ("tutorial", "intended"),
                             ("0.3 epochs", "intended")}
    faithful = [r["test_accuracy"] for r in report["runs"]
                if r["variant"] == "faithful" and r["schedule"] == "tutorial"]
    assert by_group[("tutorial", "faithful")]["mean"] == pytest.approx(np.mean(faithful))
    assert [r["seed"] for r in report["runs"]] == [0, 1, 0, 1, 0]
    assert all(len(r["history"]) == 2 for r in report["runs"][:4])
    with open(os.path.join(out, "report.md")) as f:
        markdown = f.read()
    assert "| faithful | tutorial (101 iterations) | 2 (0-1) |" in markdown
    for name in ("histogram.png", "curves.png"):
        width, height = Image.open(os.path.join(out, name)).size
        assert width >= 700 and height >= 350
    assert not [n for n in os.listdir(out) if ".part" in n]


def test_reproduce_rejects_unknown_variants(capsys):
    assert cli.main(["reproduce", "--variants", "faithful,bogus"]) == 1
    assert "unknown bogus" in capsys.readouterr().err


def test_iterations_for_epochs_is_exact_arithmetic():
    assert iterations_for_epochs(1.1, 55000, 100) == 605  # 1.1 * 55000 / 100 in floats: 605.0000000000001
    assert iterations_for_epochs(0.001, 55000, 128) == 1


def test_watching_a_run_does_not_change_it(tmp_path):
    """The intended network has dropout on its path: validation passes (--log-dir)
    must not advance its random state, so both runs give the same numbers."""
    runs = []
    for log_dir in (None, str(tmp_path / "logs")):
        runs.append(train(_small(tmp_path, seed=3), str(tmp_path / "model"),
                          configure(variant="intended", seed=3, hparams={"n_iterations": 30}),
                          Monitor(log=lambda line: None, log_every=5, log_dir=log_dir)))
    for run in runs:
        for point in run["history"]:
            point.pop("validation_accuracy", None)
    assert runs[0] == runs[1]


@pytest.mark.slow
def test_tensorboard_command_reads_the_summaries(tmp_path):
    """`tensorboard --logdir`, as the README says, is installed on this stack and
    reads what --log-dir wrote."""
    import subprocess
    import sys
    log_dir = str(tmp_path / "logs")
    train(_small(tmp_path), str(tmp_path / "model"),
          configure(seed=0, hparams={"n_iterations": 3}),
          Monitor(log=lambda line: None, log_every=1, log_dir=log_dir))
    command = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    assert os.path.exists(command), "tensorboard is not installed next to " + sys.executable
    out = subprocess.check_output([command, "--inspect", "--logdir", log_dir],
                                  stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    for tag in ("minibatch/loss", "minibatch/accuracy", "validation/accuracy"):
        assert tag in out


def _records(accuracies, schedule="tutorial", variant="faithful"):
    return [{"schedule": schedule, "variant": variant, "seed": i, "n_iterations": 1000,
             "seconds": 1.0, "test_accuracy": a, "validation_accuracy": a,
             "history": [{"iteration": 0, "loss": 1.0, "accuracy": a,
                          "validation_accuracy": a}]} for i, a in enumerate(accuracies)]


def test_one_seed_shows_no_spread_and_few_seeds_warn():
    one = report.table(report.build(_records([0.918]), 0, 1))
    row = one.splitlines()[2]
    assert "| 0.9180 | - |" in row and "nan" not in one and " sd" not in row
    assert "The reported 0.9206 is 0.0026 above this one run." in row
    assert "One seed gives no spread" in one
    three = report.table(report.build(_records([0.917, 0.918, 0.919]), 0, 1))
    assert "fewer than 5 seeds" in three
    assert "The reported 0.9206 lies 2.6 sd above the mean: outside the observed range, " \
           "inside the 95% range of one run." in three
    ten = report.table(report.build(_records([0.916 + 0.0005 * i for i in range(10)]), 0, 1))
    assert "fewer than" not in ten and "One seed" not in ten


def test_report_pictures_say_what_they_show(tmp_path):
    result = report.build(_records([0.917]) + _records([0.95], variant="intended"), 0, 1)
    report.write(str(tmp_path / "r"), result)
    with open(str(tmp_path / "r" / report.TEXTS)) as f:
        texts = json.load(f)
    legend = texts["histogram.png"]["axes"][0]["legend"]
    assert "faithful (tutorial, 1 run)" in legend and "tutorial's reported 0.9206" in legend
    panels = [a["title"] for a in texts["curves.png"]["axes"]]
    assert panels == ["training loss (log scale)", "training accuracy", "validation accuracy"]
    no_validation = _records([0.97], schedule="1 epochs", variant="cnn-28-128")
    for r in no_validation:
        r["history"] = [{"epoch": 1, "loss": 0.1, "accuracy": 0.97, "validation_accuracy": None}]
    report.write(str(tmp_path / "n"), report.build(no_validation, 0, 1, network="cnn-28-128"))
    with open(str(tmp_path / "n" / report.TEXTS)) as f:
        panels = [a["title"] for a in json.load(f)["curves.png"]["axes"]]
    assert panels == ["training loss (log scale)", "training accuracy"]  # no empty panel


@pytest.mark.slow
def test_jobs_do_not_change_the_numbers(mnist_dir, tmp_path):
    reports = []
    for jobs in (1, 2):
        out = str(tmp_path / "jobs{}".format(jobs))
        code, stdout, err = run_cli(["reproduce", "--seeds", "2", "--variants",
                                     "faithful,intended", "--n-iterations", "101",
                                     "--long-epochs", "0", "--jobs", str(jobs), "--data-dir",
                                     mnist_dir, "--out", out])
        assert code == 0, err
        assert "4 trainings in" in stdout and "{} at a time".format(jobs) in stdout
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
        assert report["stack"]["jobs"] == jobs
        reports.append([(r["variant"], r["seed"], r["test_accuracy"], r["validation_accuracy"],
                         r["history"]) for r in report["runs"]])
    assert reports[0] == reports[1]
