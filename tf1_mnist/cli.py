"""The command line, ``tf1-mnist COMMAND`` (also ``python -m tf1_mnist COMMAND``): train,
predict, evaluate, reproduce, check, run, export, serve and download.

The only place that parses flags or reads the environment for defaults. Every
mistake a user can make ends as one ``error: ...`` line and a non-zero exit.
TensorFlow is imported only by the commands that need it.
"""
import argparse
import os
import sys

from tf1_mnist import __version__
from tf1_mnist.errors import UserError

from tf1_mnist import lifecycle
from tf1_mnist.lifecycle import ExitStatus


def _number(text, kind, accept, wanted):
    """``kind(text)`` if it is a finite number that ``accept`` takes, else a usage
    error saying what was ``wanted`` (argparse prints it on one line)."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value != value or value in (float("inf"), float("-inf")) \
            or not accept(value):
        raise argparse.ArgumentTypeError("must be {}, got {!r}".format(wanted, text))
    return value


def _positive_int(text):
    return _number(text, int, lambda v: v > 0, "a positive integer")


def _positive_float(text):
    return _number(text, float, lambda v: v > 0, "a positive number")


def _non_negative_float(text):
    return _number(text, float, lambda v: v >= 0, "a number >= 0")


def _hparam(key):
    """The flag type for hyper-parameter ``key``: its kind and range in recipes.SCHEMA,
    the ones a model.json is checked against."""
    from tf1_mnist import recipes

    kind = recipes.SCHEMA[key].kind
    return lambda text: _number(text, kind, lambda v: recipes.in_range(key, v),
                                recipes.wanted(key))


def _port(text):
    return _number(text, int, lambda v: 0 <= v <= 65535, "a port number from 0 to 65535")


MAX_SEED = 2 ** 32  # NumPy's RandomState takes seeds in [0, 2**32)


def _seed(text):
    return _number(text, int, lambda v: 0 <= v < MAX_SEED,
                   "an integer from 0 to {}".format(MAX_SEED - 1))


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each flag's default, unless it is None or the help already states it."""

    def _get_help_string(self, action):
        if action.default is None or "default:" in (action.help or ""):
            return action.help
        return super(_HelpFormatter, self)._get_help_string(action)


# The commands in --help's order: (name, add_parser's keywords, arguments, handler).
COMMANDS = []
# Flags several commands share, as argparse parents (see ``build_parser``).
DATA_DIR, TRAINED_MODEL, NEW_MODEL = "data dir", "trained model", "new model"


def command(name, help, description, parents=(), arguments=None):
    """Register the decorated handler as ``tf1-mnist NAME``; ``arguments(parser)`` adds
    its own flags, ``parents`` the shared ones."""
    def register(handler):
        COMMANDS.append((name, dict(help=help, description=description), parents,
                         arguments, handler))
        return handler
    return register


def _shared_flags():
    from tf1_mnist import checkpoint, data

    def flag(name, text):
        parent = argparse.ArgumentParser(add_help=False)
        parent.add_argument(name, default=None, help=text)
        return parent
    model_default = "(default: ${} or {}/)".format(checkpoint.MODEL_DIR_ENV,
                                                   checkpoint.DEFAULT_MODEL_DIR)
    return {DATA_DIR: flag("--data-dir", "MNIST directory (default: ${} or {}/)".format(
                data.DATA_DIR_ENV, data.DEFAULT_DATA_DIR)),
            TRAINED_MODEL: flag("--model-dir", "the trained model " + model_default),
            NEW_MODEL: flag("--model-dir", "where the model is saved " + model_default)}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="tf1-mnist",
        description="The DigitalOcean TensorFlow 1.x MNIST tutorial, reproduced: train the "
                    "tutorial's network and predict digits in your own images.")
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = _shared_flags()
    for name, texts, parents, arguments, handler in COMMANDS:
        sub = commands.add_parser(name, formatter_class=_HelpFormatter,
                                  parents=[shared[p] for p in parents], **texts)
        if arguments:
            arguments(sub)
        sub.set_defaults(func=handler)
    return parser


def _train_arguments(parser):
    from tf1_mnist import recipes

    hp = recipes.DEFAULT_HPARAMS
    parser.add_argument("--model", choices=recipes.NAMES, default=recipes.MLP,
                        help="which tutorial's network (the table in docs/networks.md)")
    for key, text in (("learning_rate", "Adam learning rate"),
                      ("batch_size", "images per minibatch")):
        parser.add_argument("--" + key.replace("_", "-"), type=_hparam(key),
                            default=argparse.SUPPRESS,
                            help="{} (default: {}; other models: their recipe's)".format(
                                text, hp[key]))
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--n-iterations", type=_hparam("n_iterations"),
                        default=argparse.SUPPRESS,
                        help="do-mlp: training iterations (default: {})".format(
                            hp["n_iterations"]))
    length.add_argument("--epochs", type=_positive_float, default=argparse.SUPPRESS,
                        help="passes over the training images instead (the tutorial's "
                             "schedule is about 2.3; other models: default their recipe's)")
    parser.add_argument("--dropout", type=_hparam("dropout"), default=argparse.SUPPRESS,
                        help="do-mlp: keep probability fed to keep_prob while training "
                             "(default: {}; the faithful network builds dropout but never "
                             "uses it)".format(hp["dropout"]))
    parser.add_argument("--variant", choices=recipes.VARIANTS, default=argparse.SUPPRESS,
                        help="do-mlp: faithful (default): as published (no activations, "
                             "dropout unused); intended: ReLU and dropout as the tutorial's "
                             "text describes; fix-activations / fix-dropout: one repaired")
    parser.add_argument("--seed", type=_seed, default=None,
                        help="seed for weights, dropout and batch order (default: random)")
    parser.add_argument("--sync", action="store_true",
                        help="with $TF_CONFIG (parameter-server training): synchronous "
                             "updates with SyncReplicasOptimizer (default: asynchronous)")
    parser.add_argument("--timeout", type=_positive_float, default=300,
                        help="with $TF_CONFIG: seconds without an answer from another task "
                             "before this one stops")
    parser.add_argument("--wait", action="store_true",
                        help="if another training is writing the model directory, wait for "
                             "it instead of stopping")
    parser.add_argument("--log-dir", default=None,
                        help="write TensorBoard summaries (minibatch loss and accuracy, "
                             "validation accuracy, the graph) here; watching does not "
                             "change the run")


@command("train", help="train a network on MNIST and save it (the default command)",
         description="Train the tutorial's network (or, with --model, another tutorial's), print"
                     " its log and test accuracy next to the tutorial's reported accuracy, and "
                     "save the model.",
         parents=(NEW_MODEL, DATA_DIR), arguments=_train_arguments)
def cmd_train(args):
    from tf1_mnist import checkpoint, cluster, data, recipes
    from tf1_mnist.train import Monitor, train

    model_dir = checkpoint.resolve_model_dir(args.model_dir)
    overrides = {key: getattr(args, key) for key in (
        "learning_rate", "batch_size", "n_iterations", "dropout") if hasattr(args, key)}
    config = recipes.configure(args.model, overrides, getattr(args, "epochs", None),
                               getattr(args, "variant", None), args.seed)
    task = cluster.from_environment()
    if task is None and args.sync:
        raise UserError("--sync applies to parameter-server training; set $TF_CONFIG (see "
                        "the README) or drop --sync")
    source = data.resolve_data_dir(args.data_dir)
    log = lambda line: print(line, flush=True)  # noqa: E731
    if task is not None:
        return _train_task(args, task, source, model_dir, config, Monitor(log=log))
    train(source, model_dir, config, Monitor(log=log, progress=sys.stderr,
                                             log_dir=args.log_dir), wait=args.wait)
    print("Model saved to {}/".format(model_dir.rstrip("/")))
    return 0


def _train_task(args, task, source, model_dir, config, monitor):
    """Run as a task of the $TF_CONFIG cluster; the process ends in ``distributed``."""
    if args.log_dir and task.type == "worker":
        raise UserError("--log-dir is not supported with $TF_CONFIG yet; drop it")
    from tf1_mnist import distributed

    distributed.run_task(task, source, model_dir, config, args.sync, args.timeout, monitor,
                         wait=args.wait)


def _predict_arguments(parser):
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image file(s)")
    parser.add_argument("--raw", action="store_true",
                        help="feed exactly what the tutorial fed: the inverted 28x28 "
                             "image at 0-255, no preprocessing")
    parser.add_argument("--top", type=_positive_int, default=1, metavar="K",
                        help="also print the K most likely digits with their "
                             "probabilities")
    parser.add_argument("--show", default=None, metavar="FILE.png",
                        help="save a picture of each image, the 28x28 the network saw and "
                             "the ten probabilities")


def _trained_model(args):
    """The model ``--model-dir`` (or its default) names, opened: no model, or a broken
    one, is said first, before any image, data or TensorFlow is touched."""
    from tf1_mnist import checkpoint

    return checkpoint.open_model(checkpoint.resolve_model_dir(args.model_dir))


@command("predict", help="predict the digit in one or more images with a trained model",
         description="Predict the digit in each image (any size, PNG/JPEG/BMP/TIFF/WebP, dark on light or "
                     "light on dark), preprocessed the way MNIST was made.",
         parents=(TRAINED_MODEL,), arguments=_predict_arguments)
def cmd_predict(args):
    from tf1_mnist import files
    from tf1_mnist.predict import predict_files

    model = _trained_model(args)
    if args.top > 10:
        raise UserError("--top {}: there are only 10 digits; choose 1 to 10".format(args.top))
    if args.show:
        files.check_writable_dir(os.path.dirname(os.path.abspath(args.show)), "picture",
                                 "--show path")
    failed = predict_files(args.images, model, raw=args.raw, top=args.top, show=args.show)
    return ExitStatus.ERROR if failed else 0


def _evaluate_arguments(parser):
    parser.add_argument("--confusion-png", default=None, metavar="PATH",
                        help="also save the confusion matrix as a picture")


@command("evaluate",
         help="test accuracy, per-digit accuracy and confusion matrix of a saved model",
         description="Evaluate a saved model on the 10,000 MNIST test images.",
         parents=(TRAINED_MODEL, DATA_DIR), arguments=_evaluate_arguments)
def cmd_evaluate(args):
    from tf1_mnist import data, plots
    from tf1_mnist.evaluate import evaluate, format_report

    model = _trained_model(args)
    arrays = data.load_mnist(data.resolve_data_dir(args.data_dir))
    result = evaluate(model, data.scale(arrays["test_images"].reshape(-1, 784)),
                      arrays["test_labels"])
    print(format_report(result))
    if args.confusion_png:
        plots.confusion(result, args.confusion_png)
        print("\nConfusion matrix saved to {}".format(args.confusion_png))
    return 0


def _reproduce_arguments(parser):
    from tf1_mnist import recipes

    parser.add_argument("--model", choices=recipes.NAMES, default=recipes.MLP,
                        help="which tutorial's network")
    parser.add_argument("--epochs", type=_positive_int, default=None,
                        help="other models: override their recipe's epochs (for quick "
                             "checks)")
    parser.add_argument("--seeds", type=_positive_int, default=10,
                        help="number of seeds (0..N-1) per variant")
    parser.add_argument("--out", default="reproduce-report",
                        help="directory for the report and pictures")
    parser.add_argument("--variants", default=",".join(recipes.VARIANTS),
                        help="do-mlp: comma-separated variants to compare")
    parser.add_argument("--long-epochs", type=_non_negative_float, default=10,
                        help="epochs of the longer schedule for the intended network "
                             "(0 to skip)")
    parser.add_argument("--long-seeds", type=_positive_int, default=3,
                        help="seeds (the first ones) trained on the longer schedule")
    parser.add_argument("--n-iterations", type=_positive_int, default=None,
                        help="override the tutorial's 1000 iterations (for quick checks)")
    parser.add_argument("--jobs", type=_positive_int, default=os.cpu_count() or 1,
                        help="trainings at once, each in its own process on one thread "
                             "(the numbers do not depend on it; default: the number of "
                             "cores)")


@command("reproduce", help="train over many seeds and compare with the tutorial's reported 0.9206",
         description="Train each variant once per seed 0..N-1 with the tutorial's recipe (and "
                     "the intended network on a longer schedule), then write report.md, "
                     "report.json, histogram.png and curves.png.",
         parents=(DATA_DIR,), arguments=_reproduce_arguments)
def cmd_reproduce(args):
    import time

    from tf1_mnist import data, recipes, report, reproduce

    report.check_out(args.out)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in recipes.VARIANTS]
    if unknown or not variants:
        raise UserError("--variants: unknown {}; choose from {}".format(
            ", ".join(unknown) or "(none given)", ", ".join(recipes.VARIANTS)))
    data_dir = data.resolve_data_dir(args.data_dir)
    arrays = data.load_mnist(data_dir)
    jobs = reproduce.plan(list(range(args.seeds)), network=args.model, variants=variants,
                          n_iterations=args.n_iterations, long_epochs=args.long_epochs,
                          long_seeds=args.long_seeds, epochs=args.epochs)
    started = time.time()
    records = reproduce.run(arrays, jobs, log=lambda line: print(line, flush=True),
                            progress=sys.stderr,
                            processes=args.jobs, data_dir=data_dir)
    finished = time.time()
    result = report.build(records, started, finished, network=args.model, jobs=args.jobs)
    print("{} trainings in {:.0f} s, {} at a time".format(len(records), finished - started,
                                                          args.jobs))
    report.write(args.out, result)
    print()
    print(report.table(result))
    print("\nReport written to {}/ (report.md, report.json, histogram.png, curves.png)"
          .format(args.out.rstrip("/")))
    return 0


@command("check", help="show the TensorFlow/Python versions, CUDA build, GPUs and CPU threads",
         description="The environment check of the first tutorial, done properly.")
def cmd_check(args):
    import os
    import platform

    from tf1_mnist.compat import tf

    gpus = tf.config.experimental.list_physical_devices("GPU")
    threads = tf.config.threading
    rows = [
        ("TensorFlow", "{} (git {})".format(tf.__version__, tf.version.GIT_VERSION)),
        ("Python", "{} ({})".format(platform.python_version(), sys.executable)),
        ("built with CUDA", "yes" if tf.test.is_built_with_cuda() else "no"),
        ("GPUs visible", ", ".join(gpu.name for gpu in gpus) if gpus else "none"),
        ("CPU threads", "{} cores; TensorFlow intra-op {}, inter-op {} (0: as many as "
                        "cores)".format(os.cpu_count(),
                                        threads.get_intra_op_parallelism_threads(),
                                        threads.get_inter_op_parallelism_threads())),
        ("NumPy", __import__("numpy").__version__),
        ("Pillow", __import__("PIL").__version__),
    ]
    for name, value in rows:
        print("{:<16} {}".format(name + ":", value))
    return 0


def _notebook_flags(parser):
    parser.add_argument("--data-dir", default=None,
                        help="where MNIST is when the directory the script names lacks it "
                             "(default: $TF1_MNIST_DATA_DIR; without either, MNIST is "
                             "downloaded into the directory the script names)")
    parser.add_argument("--out", default=None, metavar="EXECUTED.ipynb",
                        help="a notebook: write it there executed (outputs, pictures, "
                             "errors), as Jupyter saves it")
    parser.add_argument("--timeout", default=None, type=_positive_int, metavar="SECONDS",
                        help="a notebook: stop a cell that runs longer (default: none, as "
                             "Jupyter)")


def _run_arguments(parser):
    _notebook_flags(parser)
    parser.add_argument("-m", dest="module", action="store_true",
                        help="SCRIPT is a module, run as `python -m SCRIPT` runs it "
                             "(pkg.train: found from the current folder, with its "
                             "package's relative imports)")
    parser.add_argument("script", metavar="SCRIPT",
                        help="the Python script, or a Jupyter notebook (.ipynb), or with -m "
                             "a module name")
    parser.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                        help="passed to the script as its sys.argv[1:] (a notebook takes "
                             "the flags above after it too)")


@command("run", help="run a classic TF1 MNIST script or notebook unchanged (on TensorFlow "
                     "2.x too)",
         description="Run SCRIPT as `python SCRIPT ARGS...` would (with -m, as `python -m "
                     "MODULE ARGS...`), with `import tensorflow as "
                     "tf` giving TF1 behaviour on TensorFlow 2.x and "
                     "`tensorflow.examples.tutorials.mnist.input_data` giving the verified MNIST"
                     " drop-in. A notebook (.ipynb) runs cell by cell in a Jupyter kernel with "
                     "the same TF1 layer.",
         arguments=_run_arguments)
def cmd_run(args):
    from tf1_mnist import data

    if args.script.endswith(".ipynb") and not args.module:
        return _run_notebook(args)
    if args.out or args.timeout:
        raise UserError("--out and --timeout are for notebooks (.ipynb); a script's output "
                        "is its own")
    from tf1_mnist import legacy

    return legacy.run(args.script, args.args, module=args.module,
                      data_dir=args.data_dir or os.environ.get(data.DATA_DIR_ENV))


def _run_notebook(args):
    from tf1_mnist import data

    after = argparse.ArgumentParser(prog="tf1-mnist run " + args.script, add_help=False)
    _notebook_flags(after)
    late, extra = after.parse_known_args(args.args)
    if extra:
        raise UserError("{}: a notebook takes no arguments ({}); it takes --out, --timeout "
                        "and --data-dir".format(args.script, " ".join(extra)))
    from tf1_mnist.legacy import notebook

    return notebook.run(args.script, out=late.out or args.out,
                        timeout=late.timeout or args.timeout,
                        data_dir=late.data_dir or args.data_dir or
                        os.environ.get(data.DATA_DIR_ENV))


def _export_arguments(parser):
    from tf1_mnist import export

    parser.add_argument("--format", default="saved_model", choices=tuple(export.DEFAULT_OUTS),
                        help="what to write")
    parser.add_argument("--out", default=None,
                        help="saved_model: the model base directory (default: export/); "
                             "tflite, onnx: the file (default: mnist.tflite, "
                             "mnist-int8.tflite, mnist.onnx); web: the folder (default: "
                             "mnist-web/)")
    parser.add_argument("--runtime", default=None, metavar="TGZ_OR_DIR",
                        help="web: ONNX Runtime Web's npm package (onnxruntime-web-1.30.0.tgz "
                             "or its unpacked folder; default: $TF1_MNIST_ORT_WEB, else "
                             "downloaded once from the npm registry)")


@command("export", help="write the model for TF Serving, TF Lite, ONNX or a web page",
         description="saved_model: a SavedModel in OUT/<next version>/ (TF Serving's layout): "
                     "tag serve, signature serving_default, input images float32 [None, 784] in "
                     "[0, 1], outputs classes int64 [None] and probabilities float32 [None, 10]."
                     " tflite: a float32 TF Lite model (input X [1, 784], outputs probabilities "
                     "and prediction). tflite-int8: fully int8, calibrated on 300 MNIST training"
                     " images. onnx: input images float32 [N, 784], outputs probabilities float32"
                     " [N, 10] and classes int64 [N]. web: a static folder, the drawing page "
                     "with the network running in the browser (ONNX Runtime Web). Each file "
                     "format is run on the 10,000 test digits and its size and accuracy printed.",
         parents=(TRAINED_MODEL, DATA_DIR), arguments=_export_arguments)
def cmd_export(args):
    from tf1_mnist import data, export

    out = args.out or export.DEFAULT_OUTS[args.format]
    if args.runtime and args.format != "web":
        raise UserError("--runtime applies to --format web; drop it")
    model = _trained_model(args)
    if args.format == "saved_model":
        target = export.export(model, out)
        print("SavedModel written to {}/ (tag serve, signature serving_default)".format(target))
        return 0
    # Converting needs no data: MNIST, where it is, measures the converted model.
    data_dir = data.resolve_data_dir(args.data_dir)
    arrays = None if data.missing_files(data_dir) else data.load_mnist(data_dir, download=False)
    if args.format == "web":
        result = export.export_web(model, out, arrays, args.runtime)
        written = "Web page written to {}/ (model.onnx {:,} bytes; {:.1f} MB with ONNX Runtime " \
                  "Web)".format(out.rstrip("/"), result["bytes"], result["total_bytes"] / 1e6)
    else:
        result = export.export_file(model, out, arrays, args.format)
        written = "{} written to {} ({}, {:,} bytes)".format(
            export.FILE_FORMATS[args.format][2], out,
            "int8" if args.format == "tflite-int8" else "float32", result["bytes"])
    if arrays is None:
        print("{}; its accuracy was not checked: no MNIST in {} (point --data-dir at a copy "
              "to measure it)".format(written, data_dir.rstrip("/") + "/"))
    else:
        print("{}: test accuracy {:.4f} (the restored model: {:.4f}); the same class as the "
              "restored model for {:.2%} of the {:,} test digits; {:.3f} ms per image".format(
                  written, result["accuracy"], result["reference_accuracy"],
                  result["agreement"], len(arrays["test_labels"]),
                  1000 * result["seconds_per_image"]))
    if args.format == "web":
        print("Serve it with `python -m http.server --directory {}` and open "
              "http://localhost:8000/".format(out.rstrip("/")))
    return 0


def _serve_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (0.0.0.0: every interface, e.g. in Docker)")
    parser.add_argument("--port", type=_port, default=8501,
                        help="port (TF Serving's REST port is 8501; 0: any free port)")
    parser.add_argument("--quiet", action="store_true",
                        help="no access line per request (client, method, path, status, "
                             "milliseconds)")


@command("serve", help="serve a page to draw digits on, and TF Serving's REST API",
         description="Restore the model once and serve: the drawing page at /, TensorFlow "
                     "Serving's REST API at /v1/models/mnist (status, metadata, :predict), and "
                     "POST /v1/images:predict for image files.",
         parents=(TRAINED_MODEL,), arguments=_serve_arguments)
def cmd_serve(args):
    from tf1_mnist.serve import serve

    model = _trained_model(args)
    try:
        import flask  # noqa: F401
        import waitress  # noqa: F401
    except ImportError as exc:
        raise UserError("serve needs Flask and waitress ({}); install them with `pip install "
                        "-r requirements.txt`".format(exc))
    from tf1_mnist.lifecycle import clear_interrupt

    say = lambda line: print(line, flush=True)  # noqa: E731
    try:
        serve(model, host=args.host, port=args.port, ready=say,
              log=None if args.quiet else say)
    except KeyboardInterrupt:
        pass
    # Ctrl-C or SIGTERM is how a server is stopped, not an error.
    clear_interrupt()
    print("Stopped.", flush=True)
    return 0


@command("download", help="download and verify MNIST without training",
         description="Download whichever MNIST files the data directory lacks, then verify all "
                     "four (headers and SHA-256).",
         parents=(DATA_DIR,))
def cmd_download(args):
    from tf1_mnist import data

    data_dir = data.resolve_data_dir(args.data_dir)
    arrays = data.load_mnist(data_dir)
    print("MNIST verified in {}/: {} training and {} test images".format(
        data_dir.rstrip("/"), len(arrays["train_images"]), len(arrays["test_images"])))
    return 0


def _error(message):
    from tf1_mnist.errors import one_line

    print(one_line(message), file=sys.stderr)


def main(argv=None):
    """Run the command line; return the exit status."""
    lifecycle.install_handlers()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
            argv = ["train"] + argv  # no command: train, as `docker run tf1-mnist` does
        args = parser.parse_args(argv)
        if args.command != "download":  # every other command starts TensorFlow
            from tf1_mnist import gpu

            gpu.check_supported()
        status = args.func(args)
        lifecycle.check_interrupted()
        return status
    except KeyboardInterrupt:
        return lifecycle.end_interrupted()
    except BrokenPipeError:
        # The reader went away (`tf1-mnist evaluate | head`): stop quietly, and keep
        # Python from reporting the same broken pipe again when it flushes at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.ERROR
    except Exception as exc:
        # A KeyboardInterrupt raised by the handler inside a C extension's call back into
        # Python comes out as another error (TF 1.15's nest: "SystemError: ... returned
        # a result with an error set"): once a signal was noted, that is the interrupt.
        if lifecycle.interrupted():
            return lifecycle.end_interrupted()
        if not isinstance(exc, UserError):
            raise
        _error(exc)
        return ExitStatus.ERROR


def console_main():
    """Entry point of the installed ``tf1-mnist`` command."""
    sys.exit(main())
