"""Does this reproduce the tutorial's 0.9206? Many seeded trainings, one runner.

``plan`` lists the trainings: for the MLP each variant once per seed with the
tutorial's recipe, and the ``intended`` variant also on a longer schedule; for the
other networks one run of the tutorial's recipe per seed. ``run`` trains them and
returns run records; ``tf1_mnist.report`` turns those into statistics and pictures.
"""
import collections
import time

from tf1_mnist import recipes
from tf1_mnist.progress import bar

# One training of the sweep: ``hparams`` override the network's recipe; ``variant`` is
# the MLP's (None for the other networks); ``epochs`` (or None) override the schedule.
Job = collections.namedtuple("Job", ["schedule", "network", "variant", "seed", "hparams",
                                     "epochs"])
# Every training of a sweep runs on one intra-op thread, whatever --jobs is: with two
# threads TensorFlow splits some reductions differently (the MLP's minibatch loss moved
# by 6e-8 at iteration 100), and a seed's numbers must not depend on --jobs. The
# parallelism is across trainings: --jobs defaults to the number of cores.
THREADS_PER_TRAINING = 1


def plan(seeds, network=recipes.MLP, variants=("faithful", "intended"), n_iterations=None,
         long_epochs=10, long_seeds=3, epochs=None):
    """The list of ``Job``s, in the order they run."""
    if network != recipes.MLP:
        schedule = "{} epochs".format(epochs or recipes.spec(network).recipe["epochs"])
        return [Job(schedule, network, None, seed, {}, epochs) for seed in seeds]
    hparams = {"n_iterations": n_iterations} if n_iterations else {}
    jobs = [Job("tutorial", network, variant, seed, hparams, None)
            for variant in variants for seed in seeds]
    if long_epochs and "intended" in variants:
        jobs += [Job("{:g} epochs".format(long_epochs), network, "intended", seed, {},
                     long_epochs) for seed in seeds[:long_seeds]]
    return jobs


def config(job):
    """The ``recipes.Config`` a job trains from."""
    return recipes.configure(job.network, job.hparams, job.epochs, job.variant, job.seed)


def run_one(arrays, job, intra_op_threads=0):
    """Train one job (nothing saved); return its run record."""
    from tf1_mnist.train import Monitor, train

    start = time.time()
    resolved = config(job)
    metrics = train(arrays, None, resolved, Monitor(log=lambda line: None,
                                                    track_validation=True),
                    intra_op_threads=intra_op_threads)
    # "variant" names the report's rows: the MLP's variant, or the other network
    return {"schedule": job.schedule, "variant": job.variant or job.network, "seed": job.seed,
            "n_iterations": resolved.hparams.get("n_iterations"),
            "seconds": time.time() - start, "test_accuracy": metrics["test_accuracy"],
            "validation_accuracy": metrics["validation_accuracy"],
            "history": metrics["history"]}


def run(arrays, jobs, log=print, progress=None, processes=1, data_dir=None):
    """Train every job; return the run records in job order.

    With ``processes`` > 1, that many trainings run at once, each in its own process
    (which loads MNIST from ``data_dir`` itself). Every training runs on
    ``THREADS_PER_TRAINING`` threads, so a run's numbers do not depend on
    ``processes`` (a test checks).
    """
    records = []
    with bar(progress, total=len(jobs), unit=" runs", desc="reproduce") as shown:
        for number, record in enumerate(_records(arrays, jobs, processes, data_dir), 1):
            records.append(record)
            shown.update(1)
            shown.clear()
            log(format_line(number, len(jobs), record))
    return records


def _records(arrays, jobs, processes, data_dir):
    threads = THREADS_PER_TRAINING
    if processes <= 1:
        for job in jobs:
            yield run_one(arrays, job, threads)
        return
    import multiprocessing

    pool = multiprocessing.get_context("spawn").Pool(
        processes, initializer=_start_worker, initargs=(data_dir, threads))
    try:
        for record in pool.imap(_work, jobs):
            yield record
        pool.close()  # a clean close; terminate() leaks semaphores on Python 3.6
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


_WORKER = {}


def _start_worker(data_dir, threads):
    """In each worker process: no Ctrl-C of its own (the parent stops the pool), and
    MNIST loaded once."""
    import signal

    from tf1_mnist import data

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER.update(arrays=data.load_mnist(data_dir, download=False), threads=threads)


def _work(job):
    return run_one(_WORKER["arrays"], job, _WORKER["threads"])


def format_line(number, total, record):
    return "[{:>{w}}/{}] {:15} {:>9}  seed {:<3} test accuracy {:.4f}  ({:.1f} s)".format(
        number, total, record["variant"], record["schedule"], record["seed"],
        record["test_accuracy"], record["seconds"], w=len(str(total)))
