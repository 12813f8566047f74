"""The command line: ``tf1-mnist train`` / ``predict`` (also ``python -m tf1_mnist ...``).

The only place that parses flags or reads the environment for defaults. Every
mistake a user can make ends as one ``error: ...`` line and a non-zero exit.
TensorFlow is imported only by the commands that need it.
"""
import argparse
import sys

from tf1_mnist import __version__
from tf1_mnist.errors import UserError

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130


def _positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive integer, got {}".format(text))
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number, got {}".format(text))
    return value


def _probability(text):
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("must be in (0, 1], got {}".format(text))
    return value


def build_parser():
    from tf1_mnist import checkpoint, data, hparams

    parser = argparse.ArgumentParser(
        prog="tf1-mnist",
        description="The DigitalOcean TensorFlow 1.x MNIST tutorial, reproduced: train the "
                    "tutorial's network and predict digits in your own images.")
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    formatter = argparse.ArgumentDefaultsHelpFormatter
    hp = hparams.DEFAULT_HPARAMS

    train = commands.add_parser(
        "train", formatter_class=formatter,
        help="train the tutorial's network on MNIST and save it (the default command)",
        description="Train the tutorial's network, print its minibatch log and test "
                    "accuracy next to the tutorial's reported 0.9206, and save the model.")
    train.add_argument("--learning-rate", type=_positive_float, default=hp["learning_rate"],
                       help="Adam learning rate")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--n-iterations", type=_positive_int, default=hp["n_iterations"],
                        help="training iterations (minibatches)")
    length.add_argument("--epochs", type=_positive_float, default=None,
                        help="train for this many passes over the 55,000 training images "
                             "instead (the tutorial's schedule is about 2.3)")
    train.add_argument("--batch-size", type=_positive_int, default=hp["batch_size"],
                       help="images per minibatch")
    train.add_argument("--dropout", type=_probability, default=hp["dropout"],
                       help="keep probability fed to keep_prob while training (the "
                            "faithful network builds dropout but never uses it)")
    train.add_argument("--variant", choices=hparams.VARIANTS, default="faithful",
                       help="faithful: as published (no activations, dropout unused); "
                            "intended: ReLU and dropout as the tutorial's text describes; "
                            "fix-activations / fix-dropout: one of the two repaired")
    train.add_argument("--seed", type=int, default=None,
                       help="seed for weights, dropout and batch order (default: random)")
    train.add_argument("--data-dir", default=None,
                       help="MNIST directory (default: ${} or {}/)".format(
                           data.DATA_DIR_ENV, data.DEFAULT_DATA_DIR))
    train.add_argument("--model-dir", default=None,
                       help="where the model is saved (default: ${} or {}/)".format(
                           checkpoint.MODEL_DIR_ENV, checkpoint.DEFAULT_MODEL_DIR))
    train.add_argument("--log-dir", default=None,
                       help="write TensorBoard summaries (minibatch loss and accuracy, "
                            "validation accuracy, the graph) here")
    train.set_defaults(func=cmd_train)

    predict = commands.add_parser(
        "predict", formatter_class=formatter,
        help="predict the digit in one or more images with a trained model",
        description="Predict the digit in each image (any size, PNG/JPEG/BMP, dark on "
                    "light or light on dark), preprocessed the way MNIST was made.")
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image file(s)")
    predict.add_argument("--raw", action="store_true",
                         help="feed exactly what the tutorial fed: the inverted 28x28 "
                              "image at 0-255, no preprocessing")
    predict.add_argument("--model-dir", default=None,
                         help="the trained model (default: ${} or {}/)".format(
                             checkpoint.MODEL_DIR_ENV, checkpoint.DEFAULT_MODEL_DIR))
    predict.set_defaults(func=cmd_predict)

    evaluate = commands.add_parser(
        "evaluate", formatter_class=formatter,
        help="test accuracy, per-digit accuracy and confusion matrix of a saved model",
        description="Evaluate a saved model on the 10,000 MNIST test images.")
    evaluate.add_argument("--model-dir", default=None,
                          help="the trained model (default: ${} or {}/)".format(
                              checkpoint.MODEL_DIR_ENV, checkpoint.DEFAULT_MODEL_DIR))
    evaluate.add_argument("--data-dir", default=None,
                          help="MNIST directory (default: ${} or {}/)".format(
                              data.DATA_DIR_ENV, data.DEFAULT_DATA_DIR))
    evaluate.add_argument("--confusion-png", default=None, metavar="PATH",
                          help="also save the confusion matrix as a picture")
    evaluate.set_defaults(func=cmd_evaluate)

    reproduce = commands.add_parser(
        "reproduce", formatter_class=formatter,
        help="train over many seeds and compare with the tutorial's reported 0.9206",
        description="Train each variant once per seed 0..N-1 with the tutorial's recipe "
                    "(and the intended network on a longer schedule), then write "
                    "report.md, report.json, histogram.png and curves.png.")
    reproduce.add_argument("--seeds", type=_positive_int, default=10,
                           help="number of seeds (0..N-1) per variant")
    reproduce.add_argument("--out", default="reproduce-report",
                           help="directory for the report and pictures")
    reproduce.add_argument("--variants", default=",".join(hparams.VARIANTS),
                           help="comma-separated variants to compare")
    reproduce.add_argument("--long-epochs", type=float, default=10,
                           help="epochs of the longer schedule for the intended network "
                                "(0 to skip)")
    reproduce.add_argument("--long-seeds", type=_positive_int, default=3,
                           help="seeds (the first ones) trained on the longer schedule")
    reproduce.add_argument("--n-iterations", type=_positive_int, default=None,
                           help="override the tutorial's 1000 iterations (for quick checks)")
    reproduce.add_argument("--data-dir", default=None,
                           help="MNIST directory (default: ${} or {}/)".format(
                               data.DATA_DIR_ENV, data.DEFAULT_DATA_DIR))
    reproduce.set_defaults(func=cmd_reproduce)

    download = commands.add_parser(
        "download", formatter_class=formatter,
        help="download and verify MNIST without training",
        description="Download whichever MNIST files the data directory lacks, then verify "
                    "all four (headers and SHA-256).")
    download.add_argument("--data-dir", default=None,
                          help="MNIST directory (default: ${} or {}/)".format(
                              data.DATA_DIR_ENV, data.DEFAULT_DATA_DIR))
    download.set_defaults(func=cmd_download)
    return parser


def cmd_train(args):
    from tf1_mnist import checkpoint, data, input_data
    from tf1_mnist.train import iterations_for_epochs, train

    model_dir = checkpoint.resolve_model_dir(args.model_dir)
    checkpoint.check_writable(model_dir)
    mnist = input_data.read_data_sets(data.resolve_data_dir(args.data_dir), one_hot=True,
                                      seed=args.seed)
    n_iterations = args.n_iterations
    if args.epochs:
        n_iterations = iterations_for_epochs(args.epochs, mnist.train.num_examples,
                                             args.batch_size)
    hparams = {"learning_rate": args.learning_rate, "n_iterations": n_iterations,
               "batch_size": args.batch_size, "dropout": args.dropout}
    train(mnist, model_dir, hparams=hparams, variant=args.variant, seed=args.seed,
          log=lambda line: print(line, flush=True), log_dir=args.log_dir)
    print("Model saved to {}/".format(model_dir.rstrip("/")))
    return 0


def cmd_predict(args):
    from tf1_mnist import checkpoint
    from tf1_mnist.predict import predict_files

    model_dir = checkpoint.resolve_model_dir(args.model_dir)
    checkpoint.load_description(model_dir)  # no model: say so before reading images
    failed = predict_files(args.images, model_dir, raw=args.raw)
    return EXIT_USER_ERROR if failed else 0


def cmd_evaluate(args):
    from tf1_mnist import checkpoint, data, input_data
    from tf1_mnist.evaluate import evaluate, format_report, save_confusion_picture

    model_dir = checkpoint.resolve_model_dir(args.model_dir)
    checkpoint.load_description(model_dir)  # no model: say so before loading MNIST
    test = input_data.from_arrays(data.load_mnist(data.resolve_data_dir(args.data_dir))).test
    result = evaluate(model_dir, test.images, test.labels)
    print(format_report(result))
    if args.confusion_png:
        save_confusion_picture(result, args.confusion_png)
        print("\nConfusion matrix saved to {}".format(args.confusion_png))
    return 0


def cmd_reproduce(args):
    import time

    from tf1_mnist import data, hparams, reproduce

    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v not in hparams.VARIANTS]
    if unknown or not variants:
        raise UserError("--variants: unknown {}; choose from {}".format(
            ", ".join(unknown) or "(none given)", ", ".join(hparams.VARIANTS)))
    arrays = data.load_mnist(data.resolve_data_dir(args.data_dir))
    started = time.time()
    records = reproduce.run(arrays, list(range(args.seeds)), variants=variants,
                            n_iterations=args.n_iterations, long_epochs=args.long_epochs,
                            long_seeds=args.long_seeds,
                            log=lambda line: print(line, flush=True))
    report = reproduce.write_report(args.out, records, started, time.time())
    print()
    print(reproduce.format_markdown(report).split("\n\n![")[0])
    print("\nReport written to {}/ (report.md, report.json, histogram.png, curves.png)"
          .format(args.out.rstrip("/")))
    return 0


def cmd_download(args):
    from tf1_mnist import data

    data_dir = data.resolve_data_dir(args.data_dir)
    arrays = data.load_mnist(data_dir)
    print("MNIST verified in {}/: {} training and {} test images".format(
        data_dir.rstrip("/"), len(arrays["train_images"]), len(arrays["test_images"])))
    return 0


def main(argv=None):
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv = ["train"] + argv  # no command: train, as `docker run tf1-mnist` does
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print("error: {}".format(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("error: interrupted; nothing was saved, the previous model (if any) is "
              "unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED


def console_main():
    """Entry point of the installed ``tf1-mnist`` command."""
    sys.exit(main())
