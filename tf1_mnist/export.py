"""``tf1-mnist export``: a trained model as a SavedModel for TensorFlow Serving.

Written into ``OUT/<version>/`` (TF Serving's layout; the next integer version), tag
``serve``, signature ``serving_default``: input ``images`` float32 [None, 784] in [0, 1];
outputs ``classes`` int64 [None] and ``probabilities`` float32 [None, 10]. The version
directory is built under a temporary name beside it and renamed into place, so a failed
export leaves no half version behind (TF Serving would try to load it).
"""
import os
import re
import shutil
import tempfile

from tf1_mnist import checkpoint, files
from tf1_mnist.errors import UserError, first_line

DEFAULT_OUT = "export"
SIGNATURE = "serving_default"


def next_version(out_dir):
    """One more than the largest integer directory name in ``out_dir`` (1 if none)."""
    if not os.path.isdir(out_dir):
        return 1
    versions = [int(n) for n in os.listdir(out_dir)
                if re.match(r"^\d+$", n) and os.path.isdir(os.path.join(out_dir, n))]
    return max(versions, default=0) + 1


def export(model_dir, out_dir=DEFAULT_OUT):
    """Export the model in ``model_dir``; return the version directory written."""
    from tf1_mnist import networks
    from tf1_mnist.compat import tf

    description = checkpoint.load_description(model_dir)
    files.check_writable_dir(out_dir, "SavedModel", "--out")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise UserError("{}: cannot create it ({}); choose another --out".format(
            out_dir, exc.strerror or exc))
    version = next_version(out_dir)
    target = os.path.join(out_dir, str(version))
    staging = tempfile.mkdtemp(prefix=".{}.".format(version), suffix=files.PART, dir=out_dir)
    try:
        graph = tf.Graph()
        with graph.as_default():
            g = networks.build(description["model"], description["hparams"],
                               description.get("variant") or "faithful", training_ops=False)
            saver = tf.train.Saver(tf.trainable_variables())
            with tf.Session(graph=graph) as sess:
                checkpoint.restore(sess, saver, model_dir, description)
                signature = tf.saved_model.signature_def_utils.predict_signature_def(
                    inputs={"images": g.X},
                    outputs={"classes": g.prediction, "probabilities": g.probabilities})
                builder = tf.saved_model.builder.SavedModelBuilder(
                    os.path.join(staging, "model"))
                builder.add_meta_graph_and_variables(
                    sess, [tf.saved_model.tag_constants.SERVING],
                    signature_def_map={SIGNATURE: signature}, strip_default_attrs=True)
                builder.save()
        os.rename(os.path.join(staging, "model"), target)
    except (tf.errors.OpError, OSError) as exc:
        raise UserError("{}: cannot write the SavedModel ({}); free some space or choose "
                        "another --out".format(out_dir, first_line(exc)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files.fsync_dir(out_dir)
    return target
