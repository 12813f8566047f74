"""Check that a lock file pins exactly the installed dependency closure of requirements.txt.

Run with the environment's own Python: ``python tools/check_lock.py constraints-py36.txt``.
Every package that requirements.txt pulls in (for this Python) must be in the lock at
the installed version, and the lock must pin nothing else but the packaging tools, so
the Docker images (which install through the lock) get what CI tested.
"""
import re
import sys

import pkg_resources

PACKAGING_TOOLS = {"pip", "setuptools", "wheel"}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path):
    pins = {}
    for line in open(path):
        line = line.split("#")[0].strip()
        if line:
            req = pkg_resources.Requirement.parse(line)
            if req.marker is None or req.marker.evaluate():
                pins[normalise(req.project_name)] = req
    return pins


def main(lock_path, requirements_path="requirements.txt"):
    wanted = [req for req in read_pins(requirements_path).values()]
    closure = pkg_resources.working_set.resolve(wanted)
    installed = {normalise(d.project_name): d.version for d in closure}
    lock = read_pins(lock_path)
    problems = []
    for name, version in sorted(installed.items()):
        if name not in lock:
            problems.append("{}=={} is installed by {} but not pinned in {}".format(
                name, version, requirements_path, lock_path))
        elif version not in lock[name]:
            problems.append("{}: installed {}, {} pins {}".format(
                name, version, lock_path, lock[name]))
    for name in sorted(set(lock) - set(installed) - PACKAGING_TOOLS):
        problems.append("{} pins {}, which {} does not need".format(
            lock_path, name, requirements_path))
    for line in problems:
        print(line)
    print("{}: {} packages checked, {} problem(s)".format(lock_path, len(installed),
                                                          len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
