"""The reproduction report: statistics over seeds, report.md/report.json and pictures.

Everything here works on run records (what ``reproduce.run`` returns, or what a
``report.json`` holds); nothing trains. A report directory is written as a whole.
"""
import json
import math
import os
import platform
import time

import numpy as np

from tf1_mnist import files, plots, recipes
from tf1_mnist.errors import UserError

# Fewer seeds than this and a standard deviation says little: the report says so.
RELIABLE_RUNS = 5
PICTURES = ("histogram.png", "curves.png")
TEXTS = "pictures.json"  # what each picture says, to catch drift (see plots)


# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (the published
# table; a test checks it against a numerical integration of the t density); the
# normal 1.96 beyond (within 2% of t there). A table spares a SciPy dependency.
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
         2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
         2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    """The two-sided 95% quantile of Student's t with ``df`` degrees of freedom."""
    return _T975[df - 1] if df <= len(_T975) else 1.96


def summarize(accuracies, reported=None):
    """Mean, sample standard deviation, range, 95% intervals, and where ``reported`` falls.

    ``ci95_mean`` is the 95% confidence interval of the mean; ``range95_single_run``
    the 95% prediction interval for one more run, the fair test for one reported
    number. With one run there is no spread: those keys are absent and ``std`` is None.
    """
    values = np.asarray(accuracies, dtype=np.float64)
    n = len(values)
    mean = float(values.mean())
    known = reported is not None
    summary = {"runs": n, "mean": mean, "std": float(values.std(ddof=1)) if n > 1 else None,
               "min": float(values.min()), "max": float(values.max()), "reported": reported,
               "reported_in_observed_range":
                   bool(values.min() <= reported <= values.max()) if known else None}
    if n > 1:
        std, t = summary["std"], t975(n - 1)
        half = t * std / math.sqrt(n)
        spread = t * std * math.sqrt(1 + 1.0 / n)
        summary.update(ci95_mean=[mean - half, mean + half],
                       range95_single_run=[mean - spread, mean + spread],
                       reported_z=(reported - mean) / std if known and std > 0 else None,
                       reported_in_range95_single_run=bool(abs(reported - mean) <= spread)
                       if known else None)
    return summary


def verdict(s, reported_text):
    """Where the reported value lies, as a sentence."""
    if s["reported"] is None:
        return "The tutorial reported no number."
    try:
        exact = float(reported_text) == s["reported"]
    except ValueError:
        exact = False
    if not exact:  # "~0.99", "0.98-0.99": compared as the number the registry holds
        reported_text = "{} (taken as {:g})".format(reported_text, s["reported"])
    gap = s["reported"] - s["mean"]
    if s["runs"] == 1:
        return "The reported {} is {:.4f} {} this one run.".format(
            reported_text, abs(gap), "above" if gap > 0 else "below")
    inside = "inside" if s["reported_in_observed_range"] else "outside"
    if s.get("reported_z") is None:
        return "The reported {} is {} the observed range.".format(reported_text, inside)
    single = "inside" if s["reported_in_range95_single_run"] else "outside"
    return ("The reported {} lies {:.1f} sd {} the mean: {} the observed range, {} the 95% "
            "range of one run.".format(reported_text, abs(s["reported_z"]),
                                       "above" if gap > 0 else "below", inside, single))


def groups(records):
    """Records grouped by (schedule, variant), in the order they were run."""
    grouped = {}
    for record in records:
        grouped.setdefault((record["schedule"], record["variant"]), []).append(record)
    return grouped


def build(records, started, finished, network=recipes.MLP, jobs=1):
    """The report as a dict: the stack it ran on, a summary per group, every run."""
    from tf1_mnist.compat import TF_VERSION

    spec = recipes.spec(network)
    stack = {"python": platform.python_version(), "tensorflow": TF_VERSION,
             "machine": "{} ({} CPUs)".format(platform.machine(), os.cpu_count()),
             "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
             "seconds": round(finished - started, 1), "model": network, "jobs": jobs,
             "reported": spec.reported, "reported_text": spec.reported_text}
    summaries = [dict(schedule=schedule, variant=variant,
                      seeds=[r["seed"] for r in rs], n_iterations=rs[0]["n_iterations"],
                      seconds=round(sum(r["seconds"] for r in rs), 1),
                      **summarize([r["test_accuracy"] for r in rs], spec.reported))
                 for (schedule, variant), rs in groups(records).items()]
    return {"stack": stack, "summaries": summaries, "runs": records}


def draw(report, directory):
    """Draw the pictures of ``report`` into ``directory``; return what they say."""
    grouped = groups(report["runs"])
    return {"histogram.png": plots.histogram(grouped, report["stack"],
                                             os.path.join(directory, "histogram.png")),
            "curves.png": plots.curves(grouped, report["stack"],
                                       os.path.join(directory, "curves.png"))}


FILES = ("report.json", "report.md", TEXTS) + PICTURES


def check_out(out_dir):
    """Fail before any training if ``out_dir`` cannot take a report: a report replaces
    the directory as a whole, so one holding anything else is refused."""
    files.check_writable_dir(out_dir, "report", "--out")
    if os.path.isdir(out_dir):
        others = sorted(set(os.listdir(out_dir)) - set(FILES))
        if others:
            raise UserError("{}: holds other files than a report (found {}); choose a new or "
                            "empty --out".format(out_dir, others[0]))


def write(out_dir, report):
    """Write report.json, report.md, the pictures and what they say, as a whole."""
    check_out(out_dir)

    def fill(directory):
        files.write_file(os.path.join(directory, "report.json"),
                         json.dumps(report, indent=1, sort_keys=True) + "\n", what="report")
        texts = draw(report, directory)
        files.write_file(os.path.join(directory, TEXTS),
                         json.dumps(texts, indent=1, sort_keys=True) + "\n", what="report")
        files.write_file(os.path.join(directory, "report.md"), markdown(report),
                         what="report")
    files.write_directory(out_dir, fill, what="report directory", fix="choose another --out")


def _seeds_text(seeds):
    return "{}-{}".format(seeds[0], seeds[-1]) if len(seeds) > 1 else str(seeds[0])


def table(report):
    """The summary table (markdown) and, with few seeds, the warning under it."""
    stack = report["stack"]
    lines = ["| network | schedule | runs (seeds) | mean | std | min | max | 95% CI of mean "
             "| 95% range, one run | reported {} |".format(stack["reported_text"]),
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    fewest = min(s["runs"] for s in report["summaries"])
    for s in report["summaries"]:
        def interval(key):
            return "{:.4f}-{:.4f}".format(*s[key]) if key in s else "-"
        schedule = s["schedule"] if s["n_iterations"] is None else "{} ({} iterations)".format(
            s["schedule"], s["n_iterations"])
        lines.append("| {} | {} | {} ({}) | {:.4f} | {} | {:.4f} | {:.4f} | {} | {} | {} |"
                     .format(s["variant"], schedule, s["runs"], _seeds_text(s["seeds"]),
                             s["mean"], "-" if s["std"] is None else "{:.4f}".format(s["std"]),
                             s["min"], s["max"], interval("ci95_mean"),
                             interval("range95_single_run"),
                             verdict(s, stack["reported_text"])))
    if fewest == 1:
        lines += ["", "One seed gives no spread: run more seeds (`--seeds 10`) to compare."]
    elif fewest < RELIABLE_RUNS:
        lines += ["", "Warning: fewer than {} seeds per row; the standard deviation and the "
                      "intervals are unreliable (`--seeds 10` for a fair comparison)."
                  .format(RELIABLE_RUNS)]
    return "\n".join(lines)


def markdown(report):
    """report.md: a heading naming the stack, the table, the pictures."""
    stack = report["stack"]
    jobs = stack.get("jobs", 1)
    return "\n".join([
        "### {model}: Python {python} + TensorFlow {tensorflow}".format(**stack), "",
        "Measured on {}, {}; the whole run took {:.0f} s{}.".format(
            stack["machine"], stack["started"], stack["seconds"],
            "" if jobs == 1 else " ({} trainings at a time)".format(jobs)),
        "", table(report), "",
        "![Test accuracy over seeds](histogram.png)", "",
        "![Learning curves](curves.png)", ""])
