"""The graph: names and shapes, the faithful defects, a forward pass checked in NumPy."""
import numpy as np

from tf1_mnist import model
from tf1_mnist.compat import tf

HP = dict(model.DEFAULT_HPARAMS)


def _build(variant="faithful", seed=0, **kw):
    graph = tf.Graph()
    with graph.as_default():
        g = model.build(HP, variant=variant, seed=seed, **kw)
        init = tf.global_variables_initializer()
    return graph, g, init


def _numpy_forward(sess, graph, x, relu):
    """The tutorial's layers in plain NumPy from the session's weights."""
    with graph.as_default():
        values = {v.op.name: v for v in tf.trainable_variables()}
    w = sess.run(values)
    h = x
    for i in (1, 2, 3):
        h = h @ w["weights/w%d" % i] + w["biases/b%d" % i]
        h = np.maximum(h, 0) if relu else h
    return h @ w["weights/out"] + w["biases/out"]


def test_tutorial_names_and_shapes():
    graph, g, _ = _build()
    assert g.X.op.name == "X" and g.X.shape.as_list() == [None, 784]
    assert g.Y.op.name == "Y" and g.Y.shape.as_list() == [None, 10]
    assert g.keep_prob.op.name == "keep_prob" and g.keep_prob.shape.as_list() == []
    assert g.output_layer.op.name == "output_layer"
    assert g.output_layer.shape.as_list() == [None, 10]
    assert g.cross_entropy.shape.as_list() == [] and g.accuracy.shape.as_list() == []
    with graph.as_default():
        shapes = {v.op.name: v.shape.as_list() for v in tf.trainable_variables()}
    assert shapes == {
        "weights/w1": [784, 512], "weights/w2": [512, 256], "weights/w3": [256, 128],
        "weights/out": [128, 10], "biases/b1": [512], "biases/b2": [256],
        "biases/b3": [128], "biases/out": [10]}
    assert sum(int(np.prod(s)) for s in shapes.values()) == 567434


def test_initial_values_follow_the_tutorial():
    graph, _, init = _build(seed=0)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        with graph.as_default():
            values = sess.run({v.op.name: v for v in tf.trainable_variables()})
    w1 = values["weights/w1"]
    assert np.abs(w1).max() <= 0.2 + 1e-6  # truncated at two standard deviations
    assert abs(w1.std() - 0.088) < 0.005   # std of N(0, 0.1) truncated at 2 sigma
    for name in ("biases/b1", "biases/b2", "biases/b3", "biases/out"):
        np.testing.assert_array_equal(values[name], np.float32(0.1))


def test_faithful_forward_pass_is_linear_and_ignores_dropout():
    graph, g, init = _build("faithful")
    x = np.random.RandomState(0).rand(5, 784).astype(np.float32)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        full = sess.run(g.output_layer, {g.X: x})
        dropped = sess.run(g.output_layer, {g.X: x, g.keep_prob: 0.1})
        reference = _numpy_forward(sess, graph, x, relu=False)
    np.testing.assert_allclose(full, reference, rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(full, dropped)  # layer_drop is built but never used
    assert "Relu" not in {op.type for op in graph.get_operations()}
    assert [op for op in graph.get_operations() if op.name.startswith("layer_drop")]


def test_intended_variant_uses_relu_and_dropout():
    graph, g, init = _build("intended")
    x = np.random.RandomState(1).rand(5, 784).astype(np.float32)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        full = sess.run(g.output_layer, {g.X: x})
        reference = _numpy_forward(sess, graph, x, relu=True)
        dropped = sess.run(g.output_layer, {g.X: x, g.keep_prob: 0.5})
    np.testing.assert_allclose(full, reference, rtol=1e-4, atol=1e-4)
    assert not np.allclose(full, dropped)


def test_accuracy_and_loss_against_numpy():
    graph, g, init = _build()
    rng = np.random.RandomState(2)
    x = rng.rand(50, 784).astype(np.float32)
    y = np.eye(10)[rng.randint(0, 10, 50)].astype(np.float32)
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        logits, loss, accuracy = sess.run([g.output_layer, g.cross_entropy, g.accuracy],
                                          {g.X: x, g.Y: y})
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    assert abs(loss - (-(y * log_softmax).sum(axis=1).mean())) < 1e-4
    assert abs(accuracy - np.mean(logits.argmax(1) == y.argmax(1))) < 1e-6


def test_same_seed_same_weights_and_prediction_graph_has_no_optimizer():
    values = []
    for _ in range(2):
        graph, _, init = _build(seed=7)
        with tf.Session(graph=graph) as sess:
            sess.run(init)
            with graph.as_default():
                values.append(sess.run(tf.trainable_variables()[0]))
    np.testing.assert_array_equal(values[0], values[1])
    graph, g, _ = _build(training_ops=False)
    assert g.train_step is None
    assert not [op for op in graph.get_operations() if "Adam" in op.type]


def test_single_fix_variants_repair_one_defect_each():
    x = np.random.RandomState(3).rand(5, 784).astype(np.float32)
    for variant, relu, uses_dropout in (("fix-activations", True, False),
                                        ("fix-dropout", False, True)):
        graph, g, init = _build(variant)
        with tf.Session(graph=graph) as sess:
            sess.run(init)
            full = sess.run(g.output_layer, {g.X: x})
            dropped = sess.run(g.output_layer, {g.X: x, g.keep_prob: 0.5})
            reference = _numpy_forward(sess, graph, x, relu=relu)
        np.testing.assert_allclose(full, reference, rtol=1e-4, atol=1e-4)
        assert np.allclose(full, dropped) != uses_dropout, variant
