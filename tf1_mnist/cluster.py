"""The cluster's description: the ``TF_CONFIG`` environment variable a parameter-server
task reads (``distributed.py`` is the TensorFlow runtime that runs it). No TensorFlow
here, so ``train`` checks $TF_CONFIG before TensorFlow starts::

    {"cluster": {"ps": ["host0:2222"], "worker": ["host1:2222", "host2:2222"]},
     "task": {"type": "worker", "index": 0}}
"""
import collections
import json
import os

from tf1_mnist.errors import UserError

ENV = "TF_CONFIG"
Task = collections.namedtuple("Task", ["cluster", "type", "index"])


def from_environment(environ=None):
    """The ``Task`` that $TF_CONFIG describes, or None when it is unset or names no
    ps/worker cluster; UserError, one line, for a malformed one."""
    text = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not text:
        return None
    fix = ('set it like {"cluster": {"ps": ["host:2222"], "worker": ["host:2223", '
           '"host:2224"]}, "task": {"type": "worker", "index": 0}}')
    try:
        config = json.loads(text)
    except ValueError as exc:
        raise UserError("${} is not valid JSON ({}); {}".format(ENV, exc, fix))
    if not isinstance(config, dict) or not isinstance(config.get("cluster"), dict):
        raise UserError("${} has no \"cluster\" object; {}".format(ENV, fix))
    cluster = config["cluster"]
    for job in ("ps", "worker"):
        addresses = cluster.get(job)
        if not isinstance(addresses, list) or not addresses or not all(
                isinstance(a, str) and ":" in a for a in addresses):
            raise UserError("${}: cluster.{} must be a non-empty list of \"host:port\"; {}"
                            .format(ENV, job, fix))
    others = sorted(set(cluster) - {"ps", "worker"})
    if others:
        raise UserError("${}: cluster.{} is not supported (only ps and worker tasks); {}"
                        .format(ENV, others[0], fix))
    task = config.get("task")
    if not isinstance(task, dict) or task.get("type") not in ("ps", "worker") \
            or isinstance(task.get("index"), bool) or not isinstance(task.get("index"), int) \
            or not 0 <= task["index"] < len(cluster[task.get("type")]):
        raise UserError("${}: \"task\" must be {{\"type\": \"ps\" or \"worker\", \"index\": "
                        "a position in that list}}, got {}".format(ENV, json.dumps(task)))
    return Task({"ps": list(cluster["ps"]), "worker": list(cluster["worker"])},
                task["type"], task["index"])
