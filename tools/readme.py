"""The README's example outputs, tables and pictures: generated from recorded runs, never typed.

    python tools/readme.py record NAME    # run example NAME on this stack, keep its output
    python tools/readme.py update         # rewrite the generated parts of README.md, docs/
    python tools/readme.py update --redraw  # also redraw every report's pictures
    python tools/readme.py check          # exit 1 if a page is not what update writes

What ``update`` fills in, between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``:

* ``example:NAME``: the output of a recorded run, ``reports/examples/NAME.json``
  (the commands, their output, the stack; made by ``record`` in a scratch directory
  with the real MNIST from $TF1_MNIST_DATA_DIR and the project's test_img.png);
* ``results``: reports/py36 and reports/py311's report.md (the MLP's variants);
* ``models``: one table of every network from reports/models-<stack>/*/report.json;
* ``include:PATH``: a file a benchmark wrote (``--out``), e.g. the round-trip table;
* ``homes``: every row of the legacy layer's table (tf1_mnist/legacy/homes.py).

Reports are written by ``tf1-mnist reproduce``; ``--redraw`` draws their pictures again
from their report.json with the current code (and rewrites report.md and
pictures.json), so the pictures always come from the code that is committed.
tests/test_readme.py fails when the README, a picture's words or a recorded
example's output (rerun on the stack that recorded it) drift from the code.
"""
import argparse
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tf1_mnist import recipes  # noqa: E402

README = os.path.join(ROOT, "README.md")
EXAMPLES_DIR = "reports/examples"
RESULTS = ["reports/py36", "reports/py311"]
MODELS = ["reports/models-py36", "reports/models-py311"]

# name: the commands run one after another in one scratch directory, and which of
# their outputs the README shows (``show``: indices). ``rerun``: whether a test may
# run it again and expect the same output (``check`` prints paths of this machine).
# ``files``: copied into the scratch directory first (default: the project's image).
EXAMPLES = {
    "train-py36": dict(commands=["python -m tf1_mnist train --seed 0",
                                 "python -m tf1_mnist.predict test_img.png",
                                 "python -m tf1_mnist predict --raw test_img.png"],
                       show=[0], rerun=True),
    "train-py311": dict(commands=["python -m tf1_mnist train --seed 0",
                                  "python -m tf1_mnist.predict test_img.png",
                                  "python -m tf1_mnist predict --raw test_img.png"],
                        show=[0], rerun=True),
    "predict-py311": dict(source="train-py311", show=[1, 2]),
    "lenet-py36": dict(commands=["python -m tf1_mnist train --model lenet --epochs 1 --seed 0"],
                       show=[0], rerun=True),
    "check-py36": dict(commands=["python -m tf1_mnist check"], show=[0], rerun=False),
    # The tutorial's script sets no seed: each run differs, so it is shown, not rerun.
    "run-py311": dict(commands=["python -m tf1_mnist run main.py"], show=[0], rerun=False,
                      files=["tests/scripts/main.py", "../shared/seeds/test_img.png"]),
}

TIMES = re.compile(r"\b\d+(\.\d+)? s\b")


def mask_times(text):
    """Output with the seconds masked: the one part of a run that never repeats."""
    return TIMES.sub("<t> s", text)


NUMBER = re.compile(r"-?\d+\.\d+")


def same_run(new, old):
    """Whether two outputs of one command are the same run: identical text once the
    seconds are masked, except that a decimal may differ by one unit in its last printed
    digit. That much moves between machines of one kind (seen: a loss printed 0.365983
    on the machine that recorded it, 0.365982 on another: matrix kernels that sum in
    another order on another CPU); a different run moves far more."""
    new, old = mask_times(new), mask_times(old)
    if NUMBER.sub("<n>", new) != NUMBER.sub("<n>", old):
        return False
    for a, b in zip(NUMBER.findall(new), NUMBER.findall(old)):
        digits = max(len(a.split(".")[1]), len(b.split(".")[1]))
        if abs(float(a) - float(b)) > 1.5 * 10 ** -digits:
            return False
    return True


def stack_name():
    return "py{}{}".format(*sys.version_info[:2])


def run_example(name, data_dir, python=sys.executable):
    """Run example ``name``'s commands in a scratch directory; return their outputs."""
    example = EXAMPLES[name]
    scratch = tempfile.mkdtemp(prefix="tf1-mnist-example-")
    try:
        for path in example.get("files", ["test_img.png"]):
            shutil.copy(os.path.join(ROOT, path), scratch)
        env = dict(os.environ, PYTHONPATH=ROOT, TF1_MNIST_DATA_DIR=os.path.abspath(data_dir))
        env.pop("TF1_MNIST_MODEL_DIR", None)
        outputs = []
        for command in example["commands"]:
            argv = [python] + command.split()[1:]
            process = subprocess.Popen(argv, cwd=scratch, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, universal_newlines=True)
            out, err = process.communicate(timeout=1200)
            if process.returncode:
                raise RuntimeError("{} failed ({}): {}".format(command, process.returncode,
                                                               err.strip()[-500:]))
            outputs.append({"command": command, "output": out})
        return outputs
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def record(name, data_dir):
    from tf1_mnist.compat import TF_VERSION

    if not name.endswith(stack_name()):
        sys.exit("{} is recorded on {}, this is {}".format(name, name.rsplit("-", 1)[1],
                                                             stack_name()))
    runs = run_example(name, data_dir)
    path = os.path.join(ROOT, EXAMPLES_DIR, name + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"python": platform.python_version(), "tensorflow": TF_VERSION,
                   "cpu": cpu(),
                   "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                   "runs": runs}, f, indent=1, sort_keys=True)
        f.write("\n")
    print("recorded {} ({})".format(path, ", ".join(r["command"] for r in runs)))


def cpu():
    """What kind of processor this is, as far as TensorFlow's kernels can tell: its
    model, instruction-set extensions and cache sizes (``unknown`` off Linux). The same
    seed gives the same digits only on the same kind (see ``same_run``)."""
    import hashlib

    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return "unknown"
    field = lambda key: (re.findall(r"^{}\s*: (.*)$".format(key), info, re.M) or [""])[0]  # noqa
    caches = []
    for index in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*/size")):
        with open(index) as f:
            caches.append(f.read().strip())
    flags = hashlib.sha256(" ".join(sorted(field("flags").split())).encode()).hexdigest()[:8]
    return "{} (model {}, caches {}, flags {})".format(field("model name"), field("model"),
                                                       "/".join(caches), flags)


def load_example(name):
    source = EXAMPLES[name].get("source", name)
    with open(os.path.join(ROOT, EXAMPLES_DIR, source + ".json")) as f:
        return json.load(f)


def example_section(name):
    recorded = load_example(name)
    source = EXAMPLES[name].get("source", name)
    lines = ["<!-- generated by tools/readme.py from {}/{}.json: Python {}, TensorFlow {}, "
             "{}; do not edit -->".format(EXAMPLES_DIR, source, recorded["python"],
                                          recorded["tensorflow"], recorded["recorded"]),
             "```"]
    shown = [recorded["runs"][i] for i in EXAMPLES[name]["show"]]
    for run in shown:
        if len(shown) > 1:
            lines.append("$ " + run["command"])
        lines += run["output"].rstrip("\n").split("\n")
    return lines + ["```"]


def results_section():
    parts = ["<!-- generated by tools/readme.py from {}; do not edit -->".format(
        ", ".join(d + "/report.md" for d in RESULTS))]
    for directory in RESULTS:
        with open(os.path.join(ROOT, directory, "report.md")) as f:
            text = f.read().strip()
        parts += ["", re.sub(r"\]\((?!https?:)([^)]+)\)",
                             lambda m: "](" + directory + "/" + m.group(1) + ")", text)]
    return parts


def _load(path):
    with open(os.path.join(ROOT, path)) as f:
        return json.load(f)


def _measured(report, group=None):
    summary = report["summaries"][0] if group is None else [
        s for s in report["summaries"] if (s["schedule"], s["variant"]) == group][0]
    stack = report["stack"]
    seeds = summary["seeds"]
    text = "{:.4f}".format(summary["mean"])
    if summary["runs"] > 1:
        text += " ± {:.4f}".format(summary["std"])
    return text + " (seed{} {}; Py {}, TF {})".format(
        "s" if len(seeds) > 1 else "", "{}-{}".format(seeds[0], seeds[-1]) if len(seeds) > 1
        else seeds[0], stack["python"], stack["tensorflow"])


def _took(report):
    """How long a sweep took, as the README's model table says it."""
    stack, runs = report["stack"], len(report["runs"])
    jobs = stack.get("jobs", 1)
    return "{:.0f} s: {} run{}{}".format(stack["seconds"], runs, "s" if runs > 1 else "",
                                         ", {} at a time".format(jobs) if jobs > 1 else "")


def models_section():
    rows = ["<!-- generated by tools/readme.py from {}/*/report.json, {}/*/report.json and "
            "{}; do not edit -->".format(MODELS[0], MODELS[1],
                                         ", ".join(d + "/report.json" for d in RESULTS)),
            "", "| --model | tutorial | parameters | recipe | reported | measured here: test "
            "accuracy, mean ± sd | how long the sweep took, 2 cores (Py 3.6 / 3.11) |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, spec in recipes.SPECS.items():
        measured, took = [], []
        for stack_dir, results_dir in zip(MODELS, RESULTS):
            if name == recipes.MLP:
                path = os.path.join(results_dir, "report.json")
                if os.path.exists(os.path.join(ROOT, path)):
                    report = _load(path)
                    measured.append(_measured(report, ("tutorial", "faithful")))
                    runs = [r for r in report["runs"] if r["variant"] == "faithful"
                            and r["schedule"] == "tutorial"]
                    took.append("{:.0f} s: {} runs (of {} in its sweep)".format(
                        sum(r["seconds"] for r in runs), len(runs), len(report["runs"])))
                continue
            path = os.path.join(stack_dir, name, "report.json")
            if os.path.exists(os.path.join(ROOT, path)):
                report = _load(path)
                measured.append(_measured(report))
                took.append(_took(report))
        recipe = spec.recipe
        if name == recipes.MLP:
            recipe_text = "Adam 1e-4, batch 128, 1000 iterations (2.3 epochs)"
        else:
            recipe_text = "Adam {:g}, batch {}, {} epochs{}".format(
                recipe["learning_rate"], recipe["batch_size"], recipe["epochs"],
                ", dropout {:g}".format(recipe["dropout_rate"]) if recipe["dropout_rate"]
                else "")
        rows.append("| `{}` | {} {} | {:,} | {} | {} | {} | {} |".format(
            name, spec.tutorial, spec.title.split(":")[-1].strip(), spec.parameters,
            recipe_text, spec.reported_text, "<br>".join(measured) or "not measured yet",
            " / ".join(took) or "-"))
    return rows


def report_dirs():
    """Every committed report directory (one report.json each)."""
    found = list(RESULTS)
    for models in MODELS:
        found += sorted(os.path.join(models, n) for n in os.listdir(os.path.join(ROOT, models)))
    return [d for d in found if os.path.exists(os.path.join(ROOT, d, "report.json"))]


def redraw(directory):
    """Rewrite a report's pictures, pictures.json and report.md from its report.json."""
    from tf1_mnist import report

    path = os.path.join(ROOT, directory)
    report.write(path, _upgrade(_load(os.path.join(directory, "report.json"))))


def _upgrade(old):
    """A report.json written before the current format, in the current one: the runs
    are kept as they were measured; the summaries are computed again from them."""
    from tf1_mnist import report

    stack = dict(old["stack"])
    stack.setdefault("model", recipes.MLP)
    stack.setdefault("jobs", 1)
    spec = recipes.spec(stack["model"])
    stack.setdefault("reported", spec.reported)
    stack.setdefault("reported_text", spec.reported_text)
    summaries = []
    for (schedule, variant), rs in report.groups(old["runs"]).items():
        summaries.append(dict(schedule=schedule, variant=variant,
                              seeds=[r["seed"] for r in rs], n_iterations=rs[0]["n_iterations"],
                              seconds=round(sum(r["seconds"] for r in rs), 1),
                              **report.summarize([r["test_accuracy"] for r in rs],
                                                 stack["reported"])))
    return {"stack": stack, "summaries": summaries, "runs": old["runs"]}


def pages():
    """The README and every page under docs/: the files whose generated parts this
    tool writes."""
    return [README] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


def replace(content, name, lines):
    start, end = "<!-- {}:start -->".format(name), "<!-- {}:end -->".format(name)
    if start not in content or end not in content:
        sys.exit("no {} ... {} markers to replace".format(start, end))
    before, rest = content.split(start, 1)
    return before + "\n".join([start] + lines + [end]) + rest.split(end, 1)[1]


def include_section(path):
    with open(os.path.join(ROOT, path)) as f:
        text = f.read().strip()
    return ["<!-- generated by tools/readme.py from {}; do not edit -->".format(path), "",
            text]


def homes_section():
    """One line per row of ``homes.HOMES``: the old name, its home, the library needed."""
    from tf1_mnist.legacy import engine, homes

    def code(target):
        return "`{}`".format(target.replace(":", "."))

    def home(found):
        if found is engine.OWN:
            return "TensorFlow's own"
        if isinstance(found, engine.Package):
            return "a package of the rows below it; any other name below is refused when used"
        if isinstance(found, engine.View):
            return "a module of the rows below it, then the names of " + ", ".join(
                code(ref.target) for ref in found.refs)
        if isinstance(found, engine.Call):
            return "the module `{}()` makes".format(found.target.replace(":", "."))
        if isinstance(found, engine.Ref):
            return code(found.target)
        return "`{!r}`".format(found.value)

    lines = ["<!-- generated by tools/readme.py from tf1_mnist/legacy/homes.py; do not "
             "edit -->", "", "| old name | its home under `run` | needs (TF 2.16+) |",
             "| --- | --- | --- |"]
    for row in homes.HOMES:
        lines.append("| `{}` | {} | {} |".format(
            row.old, home(row.home), homes.DISTRIBUTIONS[row.needs] if row.needs else ""))
    return lines


def generate(content, page=README):
    """The text of ``page`` (README.md or a page under docs/) with every generated part
    written afresh; links to reports/ are made relative to the page."""
    for path in re.findall(r"<!-- include:(\S+):start -->", content):
        content = replace(content, "include:" + path, include_section(path))
    for name in EXAMPLES:
        if "<!-- example:{}:start -->".format(name) in content:
            content = replace(content, "example:" + name, example_section(name))
    if "<!-- results:start -->" in content:
        content = replace(content, "results", results_section() + [""])
    if "<!-- models:start -->" in content:
        content = replace(content, "models", models_section())
    if "<!-- homes:start -->" in content:
        content = replace(content, "homes", homes_section())
    up = os.path.relpath(ROOT, os.path.dirname(page))
    if up != ".":
        content = content.replace("](reports/", "]({}/reports/".format(up))
    return content


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    rec = commands.add_parser("record", help="run an example and keep its output")
    rec.add_argument("name", choices=sorted(n for n in EXAMPLES if "commands" in EXAMPLES[n]))
    rec.add_argument("--data-dir", default=os.environ.get("TF1_MNIST_DATA_DIR", "MNIST_data"),
                     help="the real MNIST")
    upd = commands.add_parser("update", help="rewrite the generated parts of README.md")
    upd.add_argument("--redraw", action="store_true", help="also redraw every report")
    commands.add_parser("check", help="exit 1 if README.md is not what update writes")
    args = parser.parse_args()
    if args.command == "record":
        record(args.name, args.data_dir)
    elif args.command == "update":
        if args.redraw:
            for directory in report_dirs():
                redraw(directory)
        for page in pages():
            with open(page) as f:
                content = generate(f.read(), page)
            with open(page + ".part", "w") as f:
                f.write(content)
            os.replace(page + ".part", page)
    elif args.command == "check":
        for page in pages():
            with open(page) as f:
                current = f.read()
            if generate(current, page) != current:
                sys.exit("{} differs from what tools/readme.py update writes".format(
                    os.path.relpath(page, ROOT)))
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
