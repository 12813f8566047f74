"""Training on TensorFlow's own parameter-server runtime, the TF1 way.

Between-graph replication, as TensorFlow's ``mnist_replica`` example did it: every task
reads the standard ``TF_CONFIG`` environment variable::

    {"cluster": {"ps": ["host0:2222"], "worker": ["host1:2222", "host2:2222"]},
     "task": {"type": "worker", "index": 0}}

A ``ps`` task starts a ``tf.train.Server`` and holds the variables until every worker
has said it is done (a token in a queue on the ps), then exits. A worker builds the
graph under ``tf.train.replica_device_setter`` and trains with
``MonitoredTrainingSession`` until the global step reaches the recipe's count
(asynchronously, or with ``SyncReplicasOptimizer`` when ``sync``). Worker 0 is the
chief: it alone prints the tutorial's lines, evaluates, and writes the model directory,
which records the cluster. A task that stops answering makes the others stop with one
line after ``timeout`` seconds, instead of hanging.

The cluster's description ($TF_CONFIG, read before TensorFlow starts) is ``cluster.py``;
this is the TensorFlow runtime. A task's process ends in ``run_task`` (``end``), on TF
1.15 without closing the session or the server, which can hang.
"""
import collections
import os
import sys
import time

from tf1_mnist.compat import tf
from tf1_mnist.errors import UserError, first_line, one_line
from tf1_mnist.lifecycle import check_interrupted, signals_noted

# What a ps waits, after the last worker's token, before it ends: the worker's enqueue
# must have had its answer.
PS_GRACE_SECONDS = 3


def run_task(task, source, model_dir, config, sync, timeout, monitor, wait=False):
    """Run ``task`` (``cluster.from_environment``'s) to its end, then end the process:
    the one place where a cluster task's process ends (errors end it in cli as any
    command's do, a stall in ``Watchdog``)."""
    if task.type == "ps":
        monitor.log(run_ps(task, timeout, log=monitor.log))
        time.sleep(PS_GRACE_SECONDS)
        end(0)
    train_worker(task, source, model_dir, config, sync, timeout, monitor, wait=wait)
    monitor.log("Model saved to {}/".format(model_dir.rstrip("/")) if task.index == 0 else
                "Worker {} done; worker 0 saves the model".format(task.index))
    end(0)


def end(status, line=None):
    """End the process now, with ``line`` on stderr: closing a session or a
    tf.train.Server on a cluster can keep a TF 1.x process from ending (seen: a close
    that never returned)."""
    sys.stdout.flush()
    if line:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
    os._exit(status)


def _server(task):
    try:
        return tf.train.Server(tf.train.ClusterSpec(task.cluster), job_name=task.type,
                               task_index=task.index)
    except (tf.errors.OpError, ValueError) as exc:
        raise UserError("cannot start {} {} at {} ({}); check $TF_CONFIG's addresses".format(
            task.type, task.index, task.cluster[task.type][task.index],
            first_line(exc)))


def _done_queues(task):
    """One queue per ps, where each worker leaves a token when it has finished."""
    queues = []
    for i in range(len(task.cluster["ps"])):
        with tf.device("/job:ps/task:{}".format(i)):
            queues.append(tf.FIFOQueue(len(task.cluster["worker"]), tf.int32,
                                       shared_name="tf1_mnist_done_{}".format(i)))
    return queues


def run_ps(task, timeout, log=print):
    """Serve the variables until every worker is done and return the last line (the
    session is left open: see ``end``); UserError after ``timeout`` seconds without a
    word from a worker."""
    server = _server(task)
    workers = len(task.cluster["worker"])
    log("ps {} serving at {}; waiting for {} worker{}".format(
        task.index, task.cluster["ps"][task.index], workers, "s" if workers > 1 else ""))
    watchdog = Watchdog(timeout + 15, "ps {}: no word from the workers for {{:g}} s; "
                                      "stopping".format(task.index))
    with tf.Graph().as_default():
        dequeue = _done_queues(task)[task.index].dequeue()
        # Only this task's devices: otherwise the session's first run waits, in C++
        # where no signal reaches Python, for every worker to answer.
        sess = tf.Session(server.target, config=tf.ConfigProto(
            device_filters=["/job:ps/task:{}".format(task.index)]))
        for done in range(workers):
            watchdog.progress()
            worker = _next_done(sess, dequeue, timeout, "ps {}: {} of {} workers did not "
                                "finish within {:g} s (did one die?); stopping".format(
                                    task.index, workers - done, workers, timeout))
            log("ps {}: worker {} is done".format(task.index, worker))
        watchdog.stop()
    return "ps {}: all workers are done; stopping".format(task.index)


def _next_done(sess, dequeue, timeout, late):
    """The next worker's token; waited for in one-second slices, so that a signal
    (docker stop) is handled between them; UserError ``late`` after ``timeout`` s."""
    options = tf.RunOptions(timeout_in_ms=int(min(timeout, 1) * 1000))
    waiting_since = time.time()
    while True:
        with signals_noted():
            try:
                return sess.run(dequeue, options=options)
            except tf.errors.DeadlineExceededError:
                pass
        check_interrupted()
        if time.time() - waiting_since >= timeout:
            raise UserError(late)


class Watchdog(object):
    """Ends the process with one line when nothing has progressed for ``timeout`` seconds.

    TensorFlow's own timeouts do not cover every way a cluster can stall (a synchronous
    step whose peer died, queue threads at close), and a task must never hang.
    """

    def __init__(self, timeout, message):
        import threading

        self.timeout, self.message = timeout, message
        self.last = time.time()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def progress(self):
        self.last = time.time()

    def _watch(self):
        while not self._stop.wait(1.0):
            if time.time() - self.last > self.timeout:
                end(1, one_line(self.message.format(self.timeout)))

    def stop(self):
        self._stop.set()


def train_worker(task, source, model_dir, config, sync=False, timeout=300, monitor=None,
                 wait=False):
    """Train ``config``'s network on ``source`` (as ``train.train`` takes it) as worker
    ``task.index``. The chief (worker 0) alone locks and writes ``model_dir`` (``wait``:
    for another training to finish) and prints the log; it returns the metrics."""
    from tf1_mnist.train import Monitor, Run, locked

    chief = task.index == 0
    # The chief logs by global step, from whichever worker's batch; no validation pass
    # between steps (it would stall the other workers' updates).
    monitor = (monitor or Monitor())._replace(track_validation=False)
    with locked(model_dir if chief else None, wait):
        # Each worker its own batch order; the weights come from the chief.
        data_seed = None if config.seed is None else config.seed + task.index
        run = Run(source, config, monitor, data_seed)
        with tf.Graph().as_default():
            worker = _setup(task, run.config, sync, timeout)
            try:
                _loop(worker, run, chief)
                metrics = _finish(worker, run, model_dir, sync)
            except (tf.errors.DeadlineExceededError, tf.errors.UnavailableError,
                    tf.errors.AbortedError, tf.errors.CancelledError) as exc:
                raise UserError("worker {}: the cluster stopped answering ({}: {}); another "
                                "task died or is unreachable; restart them all".format(
                                    task.index, type(exc).__name__, first_line(exc)[:160]))
            finally:
                worker.watchdog.stop()
    monitor.log("worker {}: done after global step {}".format(task.index, run.schedule.total)
                if not chief else "worker 0 (chief): done")
    return metrics


# A worker's part of the cluster: its server and session config, the replicated graph
# (``g``, ``train_step``, ``global_step``, ``sync_optimizer`` or None, a ``saver`` on this
# worker), its tokens for the ps (``done``) and its watchdog.
Worker = collections.namedtuple("Worker", [
    "task", "server", "config", "g", "train_step", "global_step", "sync_optimizer", "saver",
    "done", "watchdog"])


def _setup(task, config, sync, timeout):
    server = _server(task)
    session_config = tf.ConfigProto(
        device_filters=["/job:ps", "/job:worker/task:{}".format(task.index)],
        operation_timeout_in_ms=int(timeout * 1000))
    g, train_step, global_step, sync_optimizer, saver = _replicated_graph(task, config, sync)
    done = [q.enqueue(task.index) for q in _done_queues(task)]
    # Beyond TensorFlow's own operation timeout (which raises): a margin.
    watchdog = Watchdog(timeout + 15, "worker {}: no progress for {{:g}} s: another task "
                                      "died or is unreachable; restart them all"
                        .format(task.index))
    return Worker(task, server, session_config, g, train_step, global_step, sync_optimizer,
                  saver, done, watchdog)


def _replicated_graph(task, config, sync):
    """The network with Adam (in sync: aggregated over the workers) placed on the ps;
    returns the graph, its train op, the global step, the sync optimizer or None, and
    a saver that runs on this worker."""
    from tf1_mnist import networks

    workers = len(task.cluster["worker"])
    device = tf.train.replica_device_setter(
        worker_device="/job:worker/task:{}".format(task.index), cluster=task.cluster)
    with tf.device(device):
        g = networks.build(config.network, config.hparams, variant=config.variant,
                           seed=config.seed, training_ops=False)
        global_step = tf.train.get_or_create_global_step()
        optimizer = tf.train.AdamOptimizer(config.hparams["learning_rate"])
        if sync:
            optimizer = tf.train.SyncReplicasOptimizer(
                optimizer, replicas_to_aggregate=workers, total_num_replicas=workers)
        train_step = optimizer.minimize(g.cross_entropy, global_step=global_step)
    # The save op on this worker's CPU: unplaced, it ran on the ps, which wrote the
    # checkpoint into its own filesystem (seen with each task in its own container).
    with tf.device("/job:worker/task:{}/cpu:0".format(task.index)):
        saver = tf.train.Saver(tf.trainable_variables(), save_relative_paths=True)
    return g, train_step, global_step, optimizer if sync else None, saver


def _loop(worker, run, chief):
    """Train until the global step reaches the schedule's total; the chief logs the
    tutorial's line once per ``log_every`` global steps."""
    from tf1_mnist.train import TutorialSchedule

    g = worker.g
    hooks = [tf.train.StopAtStepHook(last_step=run.schedule.total)]
    if worker.sync_optimizer:
        hooks.append(worker.sync_optimizer.make_session_run_hook(chief))
    logged = set()
    with tf.train.MonitoredTrainingSession(
            master=worker.server.target, is_chief=chief, hooks=hooks, config=worker.config,
            checkpoint_dir=None, save_summaries_steps=None, save_summaries_secs=None,
            log_step_count_steps=None,
            # SyncReplicasOptimizer's queue threads may be blocked on a dead worker: do
            # not wait the default 120 s for them at close.
            stop_grace_period_secs=5) as mon:
        batches = run.schedule.batches()
        while not mon.should_stop():
            try:
                x, y = next(batches)
            except StopIteration:
                batches = run.schedule.batches()
                continue
            _, step = mon.run([worker.train_step, worker.global_step],
                              feed_dict=run.feed(g, x, y))
            worker.watchdog.progress()
            # the global step read by this run: before or after its own update
            mark = max(int(step) - 1, 0) // run.monitor.log_every * run.monitor.log_every
            if chief and mark not in logged and not mon.should_stop():
                logged.add(mark)
                loss, accuracy = mon.run([g.cross_entropy, g.accuracy],
                                         feed_dict={g.X: x, g.Y: y})
                point = {"iteration": mark, "loss": float(loss), "accuracy": float(accuracy)}
                # by global step, whatever the network
                run.record(point, mon, g, TutorialSchedule.format(point))
    worker.watchdog.progress()


def _finish(worker, run, model_dir, sync):
    """The chief evaluates and saves (recording the cluster); every worker leaves its
    token on each ps. The session is left open (see ``end``)."""
    task = worker.task
    sess = tf.Session(worker.server.target, config=worker.config)
    metrics = None
    if task.index == 0:
        cluster = {"ps": len(task.cluster["ps"]), "worker": len(task.cluster["worker"]),
                   "mode": "sync" if sync else "async",
                   "global_steps": int(sess.run(worker.global_step))}
        metrics = run.finish(sess, worker.g, worker.saver, model_dir, cluster)
    sess.run(worker.done)
    return metrics
