"""Every TF1-era name that ``tf1-mnist run`` gives a home today: one table.

A row: the old dotted name (a module, or a name in one), what stands there now, and
the library that needs beside TensorFlow 2.16+, if any. ``engine.py`` puts a row in
place only where the running stack lacks the name, and only under ``run``; rows under
``tensorflow`` apply on TensorFlow 2 only. docs/run.md lists every row (a test checks).

The homes:

* ``Ref("module:name")``: what is there today, under its new name;
* ``Value(v)``: a plain value;
* ``Call("module:function")``: a module that function makes (once, on first use);
* ``View("module", ...)``: a module whose names come from those, in order;
* ``Package(rest)``: a path that holds rows; ``rest`` says why any other name below
  has no home (a stand-in refuses in one line when it is used);
* ``OWN``: TensorFlow still has it, with the library the row names.

Adding a home is one row here, its line in docs/run.md, and a test that uses it.
"""
from tf1_mnist.legacy.engine import OWN, Call, Package, Ref, Row, Value, View
from tf1_mnist.legacy.policy import NO_HOME

# requirements-run.txt's pins (a test keeps them equal), named so the hint works from any
# folder: --no-deps, or tf-keras would pull in a second TensorFlow over tensorflow-cpu.
RUN_LIBRARIES = ("tf-keras==2.21.0", "tf-slim==1.1.0")
DISTRIBUTIONS = {"tf_keras": "tf-keras", "tf_slim": "tf-slim"}

CONTRIB = "tensorflow.contrib."
_CONTRIB = "tf1_mnist.legacy.contrib:"
_MNIST = "tf1_mnist.legacy.mnist:"
_SCIPY = "tf1_mnist.legacy.scipy1:"
_NUMPY = "tf1_mnist.legacy.numpy1:"
_PILLOW = "tf1_mnist.legacy.pillow9:"
_RNN = "tf1_mnist.legacy.rnn:"
_TFP = "tensorflow.python."
LEARN = CONTRIB + "learn."
LONG_LEARN = LEARN + "python.learn."

HOMES = (
    # TensorFlow's own families that need a library beside TensorFlow 2.16+.
    Row("tensorflow.layers", OWN, "tf_keras"),
    Row("tensorflow.keras", OWN, "tf_keras"),
    Row("tensorflow.nn.rnn_cell", OWN, "tf_keras"),
    Row("tensorflow.python", Ref("tensorflow.python")),  # as TF 1.15's tf.python
    Row("tensorflow.estimator", Call("tf1_mnist.legacy.estimator:module")),
    Row("tensorflow.estimator.inputs", Call("tf1_mnist.legacy.estimator:inputs_module")),
    Row("tensorflow.estimator.export", Call("tf1_mnist.legacy.estimator:export_module")),
    # What tf-slim 1.1 (2020) reads of TensorFlow's internals and TF 2.21 moved: found by
    # looking up every attribute tf-slim takes from a tensorflow.python module.
    Row("tensorflow.python.framework.ops.Tensor", Ref(_TFP + "framework.tensor:Tensor")),
    Row("tensorflow.python.framework.ops.IndexedSlices",
        Ref(_TFP + "framework.indexed_slices:IndexedSlices")),
    Row("tensorflow.python.ops.array_ops.stack", Ref(_TFP + "ops.array_ops_stack:stack")),
    Row("tensorflow.python.ops.array_ops.unstack", Ref(_TFP + "ops.array_ops_stack:unstack")),
    Row("tensorflow.python.ops.control_flow_ops.cond", Ref(_TFP + "ops.cond:cond")),
    Row("tensorflow.python.ops.control_flow_ops.case", Ref(_TFP + "ops.control_flow_case:case")),
    Row("tensorflow.python.ops.control_flow_ops.while_loop",
        Ref(_TFP + "ops.while_loop:while_loop")),
    Row("tensorflow.python.ops.control_flow_ops.Assert",
        Ref(_TFP + "ops.control_flow_assert:Assert")),
    # TF 1.15's variable_scope.variable made a VariableV1 (tf.Variable).
    Row("tensorflow.python.ops.variable_scope.variable", Ref(_TFP + "ops.variable_v1:VariableV1")),
    # tf.contrib: the families that have a home; any other is refused when used.
    Row("tensorflow.contrib", Package(rest=NO_HOME)),
    Row(CONTRIB + "layers", View("tf_slim"), "tf_slim"),
    Row(CONTRIB + "slim", View("tf_slim"), "tf_slim"),
    Row(CONTRIB + "framework", View("tf_slim"), "tf_slim"),
    Row(CONTRIB + "rnn", View("tensorflow:nn.rnn_cell"), "tf_keras"),
    Row(CONTRIB + "rnn.static_rnn", Ref("tensorflow:nn.static_rnn")),
    Row(CONTRIB + "rnn.static_bidirectional_rnn", Ref("tensorflow:nn.static_bidirectional_rnn")),
    Row(CONTRIB + "rnn.static_state_saving_rnn",
        Ref("tensorflow:nn.static_state_saving_rnn")),
    # tf.contrib.rnn's own cells and wrappers, as TF 1.15 wrote them (its variable names).
    Row(CONTRIB + "rnn.EmbeddingWrapper", Ref(_RNN + "EmbeddingWrapper")),
    Row(CONTRIB + "rnn.InputProjectionWrapper", Ref(_RNN + "InputProjectionWrapper")),
    Row(CONTRIB + "rnn.OutputProjectionWrapper", Ref(_RNN + "OutputProjectionWrapper")),
    Row(CONTRIB + "rnn.AttentionCellWrapper", Ref(_RNN + "AttentionCellWrapper")),
    Row(CONTRIB + "rnn.LayerNormBasicLSTMCell", Ref(_RNN + "LayerNormBasicLSTMCell")),
    Row(CONTRIB + "rnn.LSTMBlockCell", Ref(_RNN + "LSTMBlockCell")),
    Row(CONTRIB + "rnn.GRUBlockCell", Ref(_RNN + "GRUBlockCell")),
    Row(CONTRIB + "rnn.GRUBlockCellV2", Ref(_RNN + "GRUBlockCellV2")),
    Row(CONTRIB + "rnn.LayerRNNCell", Ref(_RNN + "LayerRNNCell")),
    Row(CONTRIB + "rnn.stack_bidirectional_rnn", Ref(_RNN + "stack_bidirectional_rnn")),
    Row(CONTRIB + "rnn.stack_bidirectional_dynamic_rnn",
        Ref(_RNN + "stack_bidirectional_dynamic_rnn")),
    Row(CONTRIB + "keras", View("tensorflow:keras"), "tf_keras"),
    Row(CONTRIB + "compiler.jit.experimental_jit_scope",
        Ref("tensorflow:xla.experimental.jit_scope")),
    Row(CONTRIB + "losses", View(_CONTRIB + "LOSSES")),
    Row(CONTRIB + "losses.get_total_loss", Ref("tensorflow:losses.get_total_loss")),
    Row(CONTRIB + "losses.get_losses", Ref("tensorflow:losses.get_losses")),
    Row(CONTRIB + "losses.get_regularization_losses",
        Ref("tensorflow:losses.get_regularization_losses")),
    Row(CONTRIB + "losses.get_regularization_loss",
        Ref("tensorflow:losses.get_regularization_loss")),
    Row(CONTRIB + "losses.add_loss", Ref("tensorflow:losses.add_loss")),
    Row(CONTRIB + "metrics", View(_CONTRIB + "METRICS")),
    Row(CONTRIB + "seq2seq.sequence_loss", Ref(_CONTRIB + "sequence_loss")),
    Row(CONTRIB + "legacy_seq2seq", View("tf1_mnist.legacy.seq2seq"), "tf_keras"),
    Row(CONTRIB + "eager", Call(_CONTRIB + "eager")),
    Row(LEARN + "datasets", Call(_MNIST + "datasets_module")),
    Row(LEARN + "datasets.mnist", Call(_MNIST + "mnist_module")),
    Row(LONG_LEARN + "datasets", Ref(LEARN + "datasets")),
    Row(LONG_LEARN + "datasets.mnist", Ref(LEARN + "datasets.mnist")),
    Row(LEARN + "preprocessing", Ref("tf1_mnist.legacy.text")),
    Row(LONG_LEARN + "preprocessing", Ref("tf1_mnist.legacy.text")),
    Row(LONG_LEARN + "preprocessing.text", Ref("tf1_mnist.legacy.text")),
    Row(LONG_LEARN + "preprocessing.categorical_vocabulary", Ref("tf1_mnist.legacy.text")),
    # NumPy 1.x's names, removed in 1.24 and 2.0.
    Row("numpy.float", Ref("builtins:float")),
    Row("numpy.int", Ref("builtins:int")),
    Row("numpy.bool", Ref("builtins:bool")),
    Row("numpy.object", Ref("builtins:object")),
    Row("numpy.complex", Ref("builtins:complex")),
    Row("numpy.str", Ref("builtins:str")),
    Row("numpy.long", Ref("builtins:int")),
    Row("numpy.unicode", Ref("builtins:str")),
    Row("numpy.float_", Ref("numpy:float64")),
    Row("numpy.complex_", Ref("numpy:complex128")),
    Row("numpy.cfloat", Ref("numpy:complex128")),
    Row("numpy.singlecomplex", Ref("numpy:complex64")),
    Row("numpy.string_", Ref("numpy:bytes_")),
    Row("numpy.unicode_", Ref("numpy:str_")),
    Row("numpy.longfloat", Ref("numpy:longdouble")),
    Row("numpy.longcomplex", Ref("numpy:clongdouble")),
    Row("numpy.clongfloat", Ref("numpy:clongdouble")),
    Row("numpy.Inf", Value(float("inf"))),
    Row("numpy.Infinity", Value(float("inf"))),
    Row("numpy.infty", Value(float("inf"))),
    Row("numpy.PINF", Value(float("inf"))),
    Row("numpy.NINF", Value(float("-inf"))),
    Row("numpy.NaN", Value(float("nan"))),
    Row("numpy.PZERO", Value(0.0)),
    Row("numpy.NZERO", Value(-0.0)),
    Row("numpy.round_", Ref("numpy:round")),
    Row("numpy.alltrue", Ref("numpy:all")),
    Row("numpy.sometrue", Ref("numpy:any")),
    Row("numpy.product", Ref("numpy:prod")),
    Row("numpy.cumproduct", Ref("numpy:cumprod")),
    Row("numpy.mat", Ref("numpy:asmatrix")),
    Row("numpy.asscalar", Ref(_NUMPY + "asscalar")),
    Row("numpy.asfarray", Ref(_NUMPY + "asfarray")),
    # SciPy 1.1's image functions (removed in 1.2-1.3), on Pillow, with SciPy 1.1's
    # semantics; its functions that moved to scipy.special; its private paths.
    Row("scipy.misc.imread", Ref(_SCIPY + "imread")),
    Row("scipy.misc.imsave", Ref(_SCIPY + "imsave")),
    Row("scipy.misc.imresize", Ref(_SCIPY + "imresize")),
    Row("scipy.misc.imrotate", Ref(_SCIPY + "imrotate")),
    Row("scipy.misc.imfilter", Ref(_SCIPY + "imfilter")),
    Row("scipy.misc.toimage", Ref(_SCIPY + "toimage")),
    Row("scipy.misc.fromimage", Ref(_SCIPY + "fromimage")),
    Row("scipy.misc.bytescale", Ref(_SCIPY + "bytescale")),
    Row("scipy.misc.comb", Ref("scipy.special:comb")),
    Row("scipy.misc.factorial", Ref("scipy.special:factorial")),
    Row("scipy.misc.logsumexp", Ref("scipy.special:logsumexp")),
    Row("scipy.ndimage.imread", Ref(_SCIPY + "imread")),
    Row("scipy.sparse.linalg.eigen.arpack", Ref("scipy.sparse.linalg._eigen.arpack")),
    # Pillow 10's removals.
    Row("PIL.Image.ANTIALIAS", Ref("PIL.Image:LANCZOS")),
    Row("PIL.Image.LINEAR", Ref("PIL.Image:BILINEAR")),
    Row("PIL.Image.CUBIC", Ref("PIL.Image:BICUBIC")),
    Row("PIL.ImageDraw.ImageDraw.textsize", Ref(_PILLOW + "textsize")),
    Row("PIL.ImageDraw.ImageDraw.multiline_textsize", Ref(_PILLOW + "multiline_textsize")),
    Row("PIL.ImageFont.FreeTypeFont.getsize", Ref(_PILLOW + "getsize")),
    Row("PIL.ImageFont.ImageFont.getsize", Ref(_PILLOW + "getsize")),
)


def needs(rows=HOMES):
    """('tf.x', distribution, import name) of each TensorFlow row that needs a library."""
    return tuple(("tf" + row.old[len("tensorflow"):], DISTRIBUTIONS[row.needs], row.needs)
                 for row in rows if row.needs)


def in_force(tf2, rows=HOMES):
    """The rows for this stack: all on TensorFlow 2; none under ``tensorflow`` on 1.15."""
    return [row for row in rows if tf2 or not (row.old + ".").startswith("tensorflow.")]
