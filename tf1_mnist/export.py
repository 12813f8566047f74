"""``tf1-mnist export``: a trained model as a SavedModel for TensorFlow Serving, or as a
TF Lite model (float32, or fully int8-quantized) for phones and microcontrollers.

Written into ``OUT/<version>/`` (TF Serving's layout; the next integer version), tag
``serve``, signature ``serving_default``: input ``images`` float32 [None, 784] in [0, 1];
outputs ``classes`` int64 [None] and ``probabilities`` float32 [None, 10]. The version
directory is built under a temporary name beside it and renamed into place, so a failed
export leaves no half version behind (TF Serving would try to load it).

TF Lite: TensorFlow's own converter, from the restored session (the same on both
stacks). ``tflite``: input ``X`` float32 [1, 784] in [0, 1], outputs ``probabilities``
float32 [1, 10] and ``prediction`` int64 [1]. ``tflite-int8``: post-training full-integer
quantization calibrated on ``CALIBRATION`` MNIST training images; input ``X`` int8 and
output ``probabilities`` int8, each with its scale and zero point in the model. Each is
written atomically, then run on the 10,000 test digits with TF Lite's interpreter.
"""
import contextlib
import os
import re
import shutil
import sys
import tempfile
import warnings

from tf1_mnist import files
from tf1_mnist.restore import restored, signature
from tf1_mnist.errors import UserError, first_line

DEFAULT_OUT = "export"
SIGNATURE = "serving_default"
# Every --format, in --help's order, and where it is written by default.
DEFAULT_OUTS = {"saved_model": DEFAULT_OUT, "tflite": "mnist.tflite",
                "tflite-int8": "mnist-int8.tflite", "onnx": "mnist.onnx", "web": "mnist-web"}
CALIBRATION = 300  # training images the int8 quantization is calibrated on
ONNX_OPSET = 13  # ONNX Runtime 1.10 (Python 3.6) and ONNX Runtime Web run it


def next_version(out_dir):
    """One more than the largest integer directory name in ``out_dir`` (1 if none)."""
    if not os.path.isdir(out_dir):
        return 1
    versions = [int(n) for n in os.listdir(out_dir)
                if re.match(r"^\d+$", n) and os.path.isdir(os.path.join(out_dir, n))]
    return max(versions, default=0) + 1


def export(model, out_dir=DEFAULT_OUT):
    """Export ``model`` (``checkpoint.open_model``'s) as a SavedModel; return the version
    directory written. A failed export leaves no folder it made."""
    files.check_writable_dir(out_dir, "SavedModel", "--out")
    from tf1_mnist.compat import tf

    made = not os.path.isdir(out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create it ({}); choose another --out".format(
            out_dir, exc.strerror or exc))
    version = next_version(out_dir)
    target = os.path.join(out_dir, str(version))
    staging = tempfile.mkdtemp(prefix=".{}.".format(version), suffix=files.PART, dir=out_dir)
    try:
        with restored(model) as (sess, g):
            signature_def = tf.saved_model.signature_def_utils.predict_signature_def(
                **signature(g))
            builder = tf.saved_model.builder.SavedModelBuilder(
                os.path.join(staging, "model"))
            builder.add_meta_graph_and_variables(
                sess, [tf.saved_model.tag_constants.SERVING],
                signature_def_map={SIGNATURE: signature_def}, strip_default_attrs=True)
            builder.save()
        os.rename(os.path.join(staging, "model"), target)
    except (tf.errors.OpError, OSError) as exc:
        raise UserError("{}: cannot write the SavedModel ({}); free some space or choose "
                        "another --out".format(out_dir, first_line(exc)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made and not os.listdir(out_dir):
            os.rmdir(out_dir)
    files.fsync_dir(out_dir)
    return target


def export_file(model, out, arrays, fmt="tflite"):
    """Convert ``model`` to ``fmt`` (``FILE_FORMATS``), write it to
    ``out`` and return what ``converted`` measured."""
    what = FILE_FORMATS[fmt][2]
    files.check_writable_dir(os.path.dirname(os.path.abspath(out)), what, "--out")
    content, result = converted(model, arrays, fmt)
    files.write_file(out, content, what=what, fix="choose another --out")
    return result


def export_web(model, out_dir, arrays, runtime=None):
    """The drawing page as a static folder ``out_dir`` (see ``tf1_mnist.static_page``) that
    runs the model as ONNX in the browser; returns what ``converted`` measured (with ONNX
    Runtime in Python), and the folder's ``total_bytes``."""
    from tf1_mnist import static_page

    files.check_writable_dir(out_dir, "web page", "--out")
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not all(
            os.path.exists(os.path.join(out_dir, name))
            for name in ("index.html", "model.onnx", "static")):
        raise UserError("{}: exists and is not a page this command wrote, so it is not "
                        "replaced; choose another --out (a new or empty folder)".format(out_dir))
    runtime_files = static_page.runtime(runtime, out=sys.stderr)
    content, result = converted(model, arrays, "onnx")
    static_page.write_folder(out_dir, content, runtime_files)
    result["total_bytes"] = sum(os.path.getsize(os.path.join(folder, name))
                                for folder, _, names in os.walk(out_dir) for name in names)
    return result


def converted(model, arrays, fmt):
    """``(content, measured)``: ``model`` (``checkpoint.open_model``'s) converted to
    ``fmt`` and run on MNIST's test set (``arrays``, ``data.load_mnist``'s), a chunk at a
    time. ``measured``: ``{"bytes", "accuracy", "agreement", "reference_accuracy",
    "seconds_per_image"}``, ``agreement`` being the share of test digits whose class is
    the restored model's; only ``bytes`` when ``arrays`` is None (converting needs no
    data, but for int8's calibration)."""
    import numpy as np

    from tf1_mnist import data, session

    convert, run, what = FILE_FORMATS[fmt]
    if arrays is None:
        if fmt == "tflite-int8":
            raise UserError("tflite-int8 is calibrated on {} MNIST training images, and no "
                            "MNIST was found; point --data-dir (or ${}) at a copy, or run "
                            "`tf1-mnist download`".format(CALIBRATION, data.DATA_DIR_ENV))
        with restored(model) as (sess, g):
            content = _convert(convert, sess, g, None, model.dir, what)
        return content, {"bytes": len(content)}
    images = data.scale(arrays["test_images"].reshape(-1, 784)).astype(np.float32)
    calibration = data.scale(arrays["train_images"][:CALIBRATION].reshape(-1, 784)) \
        .astype(np.float32)
    with restored(model) as (sess, g):
        reference = session.run_in_chunks(sess, g.prediction, g.X, images)
        content = _convert(convert, sess, g, calibration, model.dir, what)
    classes, seconds = run(content, images)
    return content, {
        "bytes": len(content), "accuracy": float(np.mean(classes == arrays["test_labels"])),
        "reference_accuracy": float(np.mean(reference == arrays["test_labels"])),
        "agreement": float(np.mean(classes == reference)), "seconds_per_image": seconds}


def _convert(convert, sess, g, calibration, model_dir, what):
    """``convert(sess, g, calibration)``, quietly; any failure is one line."""
    try:
        with _stderr_quiet():  # the converters log pages of notes to fd 2
            return convert(sess, g, calibration)
    except UserError:
        raise
    except Exception as exc:  # the converters raise several kinds, all fatal here
        raise UserError("{}: cannot convert this model to {} ({}); export it as a "
                        "SavedModel instead (--format saved_model)".format(
                            model_dir, what, first_line(exc)[:200]))


def tflite_model(sess, g, calibration, int8=False):
    """TF Lite's own converter, from the session (``int8``: calibrated on ``calibration``,
    int8 in and out)."""
    from tf1_mnist.compat import tf, tflite_converter_on_path

    tflite_converter_on_path()
    outputs = [g.probabilities] if int8 else [g.probabilities, g.prediction]
    converter = tf.lite.TFLiteConverter.from_session(sess, [g.X], outputs)
    if int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: (
            [calibration[i:i + 1]] for i in range(len(calibration)))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def onnx_model(sess, g, calibration=None):
    """The network as ONNX (tf2onnx, opset ``ONNX_OPSET``), serialized: input ``images``
    float32 [N, 784], outputs ``probabilities`` float32 [N, 10] and ``classes`` int64 [N].
    The variables become constants (the restored graph has no dropout ops to convert)."""
    import logging

    from tf1_mnist.compat import tf

    try:
        import tf2onnx
    except ImportError as exc:
        raise UserError("ONNX export needs tf2onnx ({}); install the pinned stack with "
                        "`pip install -r requirements.txt`".format(exc))
    logging.getLogger("tf2onnx").setLevel(logging.ERROR)
    frozen = tf.graph_util.convert_variables_to_constants(
        sess, sess.graph_def, [g.probabilities.op.name, g.prediction.op.name])
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, 784], name="images")
        probabilities, classes = tf.import_graph_def(
            frozen, input_map={g.X.name: images},
            return_elements=[g.probabilities.name, g.prediction.name], name="network")
        tf.identity(probabilities, name="probabilities")
        tf.identity(classes, name="classes")
    names = ("images", "probabilities", "classes")
    model, _ = tf2onnx.convert.from_graph_def(
        graph.as_graph_def(), input_names=["images:0"],
        output_names=["probabilities:0", "classes:0"], opset=ONNX_OPSET,
        tensors_to_rename={name + ":0": name for name in names})
    for value in list(model.graph.input) + list(model.graph.output):
        value.type.tensor_type.shape.dim[0].dim_param = "N"  # the batch, of any size
    return model.SerializeToString()


def onnx_classes(content, images):
    """The class ONNX Runtime gives each of ``images`` (float32 [N, 784]), one image per
    run, and seconds per image."""
    import time

    import numpy as np
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    session = onnxruntime.InferenceSession(content, options,
                                           providers=["CPUExecutionProvider"])
    classes = np.zeros(len(images), np.int64)
    started = time.time()
    for i in range(len(images)):
        classes[i] = session.run(["classes"], {"images": images[i:i + 1]})[0][0]
    return classes, (time.time() - started) / max(len(images), 1)


def tflite_classes(content, images):
    """The class TF Lite's interpreter gives each of ``images`` (float32 [N, 784] in
    [0, 1]; quantized here when the model takes int8), and seconds per image."""
    import time

    import numpy as np

    with warnings.catch_warnings(), _stderr_quiet():  # TF 2.x: "... is deprecated"
        warnings.simplefilter("ignore")
        interpreter = tflite_interpreter()(model_content=content)
        interpreter.allocate_tensors()
    source = interpreter.get_input_details()[0]
    probabilities = [o for o in interpreter.get_output_details()
                     if o["name"].split(":")[0].endswith("probabilities")][0]
    classes = np.zeros(len(images), np.int64)
    started = time.time()
    with _stderr_quiet():  # "Created TensorFlow Lite XNNPACK delegate for CPU."
        _invoke_all(interpreter, source, probabilities, images, classes)
    return classes, (time.time() - started) / max(len(images), 1)


def tflite_interpreter():
    """TF Lite's interpreter class: LiteRT's (``ai-edge-litert``, the maintained runtime)
    where it is installed, else TensorFlow's own (TF 1.15 on Python 3.6)."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        from tf1_mnist.compat import tf

        Interpreter = tf.lite.Interpreter
    return Interpreter


def _invoke_all(interpreter, source, probabilities, images, classes):
    import numpy as np

    scale, zero = source["quantization"]
    for i in range(len(images)):
        x = images[i:i + 1]
        if source["dtype"] == np.int8:
            x = np.clip(np.round(x / scale + zero), -128, 127).astype(np.int8)
        interpreter.set_tensor(source["index"], x)
        interpreter.invoke()
        classes[i] = int(np.argmax(interpreter.get_tensor(probabilities["index"])))


@contextlib.contextmanager
def _stderr_quiet():
    """Send file descriptor 2 (where TensorFlow's C++ code logs) to a temporary file for
    the duration; what was logged is dropped."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


# The single-file formats: (convert(sess, g, calibration), run(content, images), name).
FILE_FORMATS = {
    "tflite": (tflite_model, tflite_classes, "TF Lite model"),
    "tflite-int8": (lambda sess, g, calibration: tflite_model(sess, g, calibration, int8=True),
                    tflite_classes, "TF Lite model"),
    "onnx": (onnx_model, onnx_classes, "ONNX model"),
}
