"""Check that exactly one TensorFlow distribution is installed, intact, and that it
satisfies what the ``--no-deps`` extras of ``tf1-mnist run`` declare.

Run with the environment's own Python: ``python tools/check_tensorflow.py
[requirements-run.txt]``. It fails when two TensorFlow distributions are installed
(say tensorflow-cpu and the ``tensorflow`` that tf-keras asks for), when a file of
the one installed differs in size from its RECORD (another wheel wrote over it), or
when a dependency of an extra is missing or at the wrong version. The legacy stack
(Python 3.6, which has no importlib.metadata) is checked by tools/check_lock.py.
"""
import os
import re
import sys

from importlib import metadata

from packaging.requirements import Requirement

# Every name TensorFlow's CPU and GPU builds have been published under.
TENSORFLOW_DISTRIBUTIONS = {
    "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel",
    "tensorflow-macos", "tensorflow-aarch64", "tensorflow-rocm", "intel-tensorflow",
    "tf-nightly", "tf-nightly-cpu", "tf-nightly-gpu", "nvidia-tensorflow",
}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def installed():
    """{normalised name: distribution} of what this Python sees."""
    return {normalise(d.metadata["Name"]): d for d in metadata.distributions()}


def record_problems(dist):
    """Files of ``dist`` whose size differs from its RECORD, or that are missing."""
    problems = []
    for entry in dist.files or []:
        if entry.size is None or not str(entry).startswith("tensorflow/"):
            continue
        path = entry.locate()
        if not os.path.exists(path):
            problems.append("{}: {} is missing".format(dist.metadata["Name"], entry))
        elif os.path.getsize(path) != entry.size:
            problems.append("{}: {} is not the file its wheel installed (size {} != {})"
                            .format(dist.metadata["Name"], entry, os.path.getsize(path),
                                    entry.size))
    return problems


def read_requirements(path):
    wanted = []
    for line in open(path):
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate():
                wanted.append(req)
    return wanted


def main(extras_path="requirements-run.txt"):
    dists = installed()
    problems = []
    tensorflows = sorted(n for n in dists if n in TENSORFLOW_DISTRIBUTIONS)
    if len(tensorflows) != 1:
        problems.append("{} TensorFlow distributions are installed ({}); exactly one must "
                        "be".format(len(tensorflows), ", ".join(tensorflows) or "none"))
    for name in tensorflows:
        problems += record_problems(dists[name])
    tf_version = dists[tensorflows[0]].version if len(tensorflows) == 1 else None
    for req in read_requirements(extras_path):
        dist = dists.get(normalise(req.name))
        if dist is None:
            problems.append("{} is not installed: pip install --no-deps -r {}".format(
                req, extras_path))
            continue
        if dist.version not in req.specifier:
            problems.append("{}: installed {}, {} pins {}".format(req.name, dist.version,
                                                                  extras_path, req))
        for dep in map(Requirement, dist.requires or []):
            if dep.marker is not None and not dep.marker.evaluate({"extra": ""}):
                continue
            if normalise(dep.name) in TENSORFLOW_DISTRIBUTIONS:
                have = tf_version  # any TensorFlow build gives the same API
            else:
                have = dists[normalise(dep.name)].version \
                    if normalise(dep.name) in dists else None
            if have is None or have not in dep.specifier:
                problems.append("{} needs {}, installed: {}".format(
                    req.name, dep, have or "nothing"))
    for line in problems:
        print(line)
    print("TensorFlow: {}; {}: {} problem(s)".format(
        ", ".join("{} {}".format(n, dists[n].version) for n in tensorflows) or "none",
        extras_path, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
