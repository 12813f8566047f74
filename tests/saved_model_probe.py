"""Load a SavedModel the way each stack's users load one and print its predictions.

    python saved_model_probe.py SAVED_MODEL_DIR IMAGES.npy OUT.npz

TF 1.15: ``tf.saved_model.loader.load`` and the signature's tensor names, in a session.
TF 2.x: ``tf.saved_model.load(dir).signatures["serving_default"]``, eagerly. Run by
tests/test_export.py on its own stack and on the other one.
"""
import sys

import numpy as np
import tensorflow as tf

directory, images_path, out_path = sys.argv[1:4]
images = np.load(images_path)
if tf.__version__.startswith("1."):
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], directory)
        signature = meta.signature_def["serving_default"]
        fetch = {k: v.name for k, v in signature.outputs.items()}
        result = sess.run(fetch, {signature.inputs["images"].name: images})
else:
    serving = tf.saved_model.load(directory).signatures["serving_default"]
    result = {k: v.numpy() for k, v in serving(images=tf.constant(images)).items()}
np.savez(out_path, classes=result["classes"], probabilities=result["probabilities"])
print("loaded with TensorFlow", tf.__version__)
