"""The cells and wrappers of ``tf.contrib.rnn`` that TF 1.15 had beyond
``tf.nn.rnn_cell``, for ``run`` on TensorFlow 2: graph code over Keras 2's legacy cells
(tf-keras), as TF 1.15 wrote them.

Each builds what TF 1.15's built, under the same variable names and shapes
(``rnn/OutputProjectionWrapper/kernel``, ``lstm_cell/kernel``, ``gru_cell/w_ru``, ...),
so a TF 1.15 checkpoint restores here and computes the same numbers
(tests/legacy/test_rnn.py compares them with TF 1.15.5's own ``tf.contrib.rnn``).
LSTMBlockCell and GRUBlockCell run TensorFlow's own fused kernels; TensorFlow 2 keeps the
kernels but not their gradients, which TF 1.15 registered in tf.contrib: they are
registered here when the cells are first made.

The cell classes subclass this stack's ``RNNCell``, which tf-keras makes only when
``tf.nn.rnn_cell`` is first used, so they are made then too (the module's
``__getattr__``).
"""
import math
import sys

CELLS = ("EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper",
         "AttentionCellWrapper", "LayerNormBasicLSTMCell", "LSTMBlockCell", "GRUBlockCell",
         "GRUBlockCellV2", "LayerRNNCell")
_MADE = {}


def _tf():
    return sys.modules["tensorflow"]


def _dim(shape, i):
    return _tf().compat.dimension_value(shape[i])


def __getattr__(name):
    if name not in CELLS:
        raise AttributeError(name)
    if not _MADE:
        _MADE.update(_cells())
    return _MADE[name]


class _Linear(object):
    """TF 1.15's ``core_rnn_cell._Linear``: ``kernel`` and ``bias`` in the current
    variable scope; called, ``concat(args) @ kernel + bias``."""

    def __init__(self, args, output_size, build_bias, bias_initializer=None,
                 kernel_initializer=None):
        tf = _tf()
        args = list(args) if isinstance(args, (list, tuple)) else [args]
        total = sum(_dim(a.get_shape(), 1) for a in args)
        dtype = args[0].dtype
        scope = tf.get_variable_scope()
        with tf.variable_scope(scope) as outer:
            self._weights = tf.get_variable("kernel", [total, output_size], dtype=dtype,
                                            initializer=kernel_initializer)
            self._biases = None
            if build_bias:
                with tf.variable_scope(outer) as inner:
                    inner.set_partitioner(None)
                    self._biases = tf.get_variable(
                        "bias", [output_size], dtype=dtype,
                        initializer=bias_initializer or tf.constant_initializer(
                            0.0, dtype=dtype))

    def __call__(self, args):
        tf = _tf()
        args = list(args) if isinstance(args, (list, tuple)) else [args]
        res = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), self._weights)
        return tf.nn.bias_add(res, self._biases) if self._biases is not None else res


def _cells():
    """The classes of ``CELLS``, on this stack's ``RNNCell`` and ``LayerRNNCell``."""
    tf = _tf()
    RNNCell = tf.nn.rnn_cell.RNNCell
    LayerRNNCell = sys.modules[RNNCell.__module__].LayerRNNCell
    _register_block_gradients(tf)
    made = dict(_wrappers(tf, RNNCell), LayerRNNCell=LayerRNNCell)
    made.update(_lstm_cells(tf, RNNCell, LayerRNNCell))
    made.update(_gru_cells(tf, LayerRNNCell))
    return made


class _Wrapping(object):
    """What TF 1.15's wrappers share: the wrapped cell's state and output sizes, and its
    zero state under the wrapper's name."""

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        tf = _tf()
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)


def _wrappers(tf, RNNCell):
    """TF 1.15's core_rnn_cell wrappers and AttentionCellWrapper."""

    class EmbeddingWrapper(_Wrapping, RNNCell):
        """Embeds integer inputs (``embedding``, uniform in +-sqrt(3) unless the
        scope has an initializer), then runs ``cell``."""

        def __init__(self, cell, embedding_classes, embedding_size, initializer=None,
                     reuse=None):
            super(EmbeddingWrapper, self).__init__(_reuse=reuse)
            if embedding_classes <= 0 or embedding_size <= 0:
                raise ValueError("Both embedding_classes and embedding_size must be > 0: "
                                 "%d, %d." % (embedding_classes, embedding_size))
            self._cell = cell
            self._embedding_classes = embedding_classes
            self._embedding_size = embedding_size
            self._initializer = initializer

        def call(self, inputs, state):
            with tf.device("/cpu:0"):
                initializer = self._initializer or tf.get_variable_scope().initializer
                if not initializer:
                    sqrt3 = math.sqrt(3)
                    initializer = tf.random_uniform_initializer(-sqrt3, sqrt3)
                dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
                embedding = tf.get_variable(
                    "embedding", [self._embedding_classes, self._embedding_size],
                    initializer=initializer, dtype=dtype)
                embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
            return self._cell(embedded, state)

    class InputProjectionWrapper(_Wrapping, RNNCell):
        """Projects the input to ``num_proj`` (``kernel``, ``bias``), then runs ``cell``."""

        def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
            super(InputProjectionWrapper, self).__init__(_reuse=reuse)
            self._cell = cell
            self._num_proj = num_proj
            self._activation = activation
            self._linear = None

        def call(self, inputs, state):
            if self._linear is None:
                self._linear = _Linear(inputs, self._num_proj, True)
            projected = self._linear(inputs)
            if self._activation:
                projected = self._activation(projected)
            return self._cell(projected, state)

    class OutputProjectionWrapper(_Wrapping, RNNCell):
        """Runs ``cell``, then projects its output to ``output_size``."""

        def __init__(self, cell, output_size, activation=None, reuse=None):
            super(OutputProjectionWrapper, self).__init__(_reuse=reuse)
            if output_size < 1:
                raise ValueError("Parameter output_size must be > 0: %d." % output_size)
            self._cell = cell
            self._output_size = output_size
            self._activation = activation
            self._linear = None

        @property
        def output_size(self):
            return self._output_size

        def call(self, inputs, state):
            output, res_state = self._cell(inputs, state)
            if self._linear is None:
                self._linear = _Linear(output, self._output_size, True)
            projected = self._linear(output)
            if self._activation:
                projected = self._activation(projected)
            return projected, res_state

    return {"EmbeddingWrapper": EmbeddingWrapper,
            "InputProjectionWrapper": InputProjectionWrapper,
            "OutputProjectionWrapper": OutputProjectionWrapper,
            "AttentionCellWrapper": _attention_wrapper(tf, RNNCell)}


def _attention_wrapper(tf, RNNCell):
    class AttentionCellWrapper(RNNCell):
        """TF 1.15's attention over the last ``attn_length`` outputs
        (arXiv:1601.06733): the state is (cell state, attention, attention window)."""

        def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None,
                     input_size=None, state_is_tuple=True, reuse=None):
            super(AttentionCellWrapper, self).__init__(_reuse=reuse)
            if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
                raise ValueError("Cell returns tuple of states, but the flag state_is_tuple "
                                 "is not set. State size is: %s" % str(cell.state_size))
            if attn_length <= 0:
                raise ValueError("attn_length should be greater than zero, got %s"
                                 % str(attn_length))
            self._state_is_tuple = state_is_tuple
            self._cell = cell
            self._attn_size = cell.output_size if attn_size is None else attn_size
            self._attn_vec_size = attn_vec_size or self._attn_size
            self._input_size = input_size
            self._attn_length = attn_length
            self._linears = [None, None, None]

        @property
        def state_size(self):
            size = (self._cell.state_size, self._attn_size,
                    self._attn_size * self._attn_length)
            return size if self._state_is_tuple else sum(size)

        @property
        def output_size(self):
            return self._attn_size

        def _linear(self, i, args, size):
            if self._linears[i] is None:
                self._linears[i] = _Linear(args, size, True)
            return self._linears[i](args)

        def call(self, inputs, state):
            state, attns, attn_states = self._split(state)
            attn_states = tf.reshape(attn_states, [-1, self._attn_length, self._attn_size])
            input_size = self._input_size or inputs.get_shape().as_list()[1]
            inputs = self._linear(0, [inputs, attns], input_size)
            cell_output, new_state = self._cell(inputs, state)
            new_state_cat = (tf.concat(tf.nest.flatten(new_state), 1)
                             if self._state_is_tuple else new_state)
            new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
            with tf.variable_scope("attn_output_projection"):
                output = self._linear(1, [cell_output, new_attns], self._attn_size)
            new_attn_states = tf.concat([new_attn_states, tf.expand_dims(output, 1)], 1)
            new_attn_states = tf.reshape(new_attn_states,
                                         [-1, self._attn_length * self._attn_size])
            new_state = (new_state, new_attns, new_attn_states)
            return output, new_state if self._state_is_tuple else tf.concat(
                list(new_state), 1)

        def _split(self, state):
            if self._state_is_tuple:
                return state
            cell, attn = self._cell.state_size, self._attn_size
            return (tf.slice(state, [0, 0], [-1, cell]),
                    tf.slice(state, [0, cell], [-1, attn]),
                    tf.slice(state, [0, cell + attn], [-1, attn * self._attn_length]))

        def _attention(self, query, attn_states):
            with tf.variable_scope("attention"):
                k = tf.get_variable("attn_w", [1, 1, self._attn_size, self._attn_vec_size])
                v = tf.get_variable("attn_v", [self._attn_vec_size])
                hidden = tf.reshape(attn_states, [-1, self._attn_length, 1, self._attn_size])
                hidden_features = tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME")
                y = self._linear(2, query, self._attn_vec_size)
                y = tf.reshape(y, [-1, 1, 1, self._attn_vec_size])
                s = tf.reduce_sum(v * tf.tanh(hidden_features + y), [2, 3])
                a = tf.nn.softmax(s)
                d = tf.reduce_sum(tf.reshape(a, [-1, self._attn_length, 1, 1]) * hidden,
                                  [1, 2])
                new_attns = tf.reshape(d, [-1, self._attn_size])
                return new_attns, tf.slice(attn_states, [0, 1, 0], [-1, -1, -1])

    return AttentionCellWrapper


def _lstm_cells(tf, RNNCell, LayerRNNCell):
    """TF 1.15's LayerNormBasicLSTMCell and LSTMBlockCell."""
    LSTMStateTuple = tf.nn.rnn_cell.LSTMStateTuple

    class LayerNormBasicLSTMCell(RNNCell):
        """A basic LSTM with layer normalization (arXiv:1607.06450) before its
        nonlinearities and recurrent dropout (arXiv:1603.05118)."""

        def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tf.tanh,
                     layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                     dropout_prob_seed=None, reuse=None):
            super(LayerNormBasicLSTMCell, self).__init__(_reuse=reuse)
            self._num_units = num_units
            self._activation = activation
            self._forget_bias = forget_bias
            self._keep_prob = dropout_keep_prob
            self._seed = dropout_prob_seed
            self._layer_norm = layer_norm
            self._norm_gain = norm_gain
            self._norm_shift = norm_shift

        @property
        def state_size(self):
            return LSTMStateTuple(self._num_units, self._num_units)

        @property
        def output_size(self):
            return self._num_units

        def _norm(self, inp, scope, dtype):
            """tf.contrib.layers.layer_norm over the last axis, its gamma and beta in
            ``scope``."""
            shape = inp.get_shape()[-1:]
            with tf.variable_scope(scope):
                gamma = tf.get_variable("gamma", shape=shape, dtype=dtype,
                                        initializer=tf.constant_initializer(self._norm_gain))
                beta = tf.get_variable("beta", shape=shape, dtype=dtype,
                                       initializer=tf.constant_initializer(self._norm_shift))
                mean, variance = tf.nn.moments(inp, [1], keep_dims=True)
                return tf.nn.batch_normalization(inp, mean, variance, offset=beta,
                                                 scale=gamma, variance_epsilon=1e-12)

        def _linear(self, args):
            out_size = 4 * self._num_units
            weights = tf.get_variable("kernel", [args.get_shape()[-1], out_size],
                                      dtype=args.dtype)
            out = tf.matmul(args, weights)
            if not self._layer_norm:
                out = tf.nn.bias_add(out, tf.get_variable("bias", [out_size],
                                                          dtype=args.dtype))
            return out

        def call(self, inputs, state):
            c, h = state
            args = tf.concat([inputs, h], 1)
            dtype = args.dtype
            i, j, f, o = tf.split(value=self._linear(args), num_or_size_splits=4, axis=1)
            if self._layer_norm:
                i, j, f, o = (self._norm(gate, name, dtype) for gate, name in zip(
                    (i, j, f, o), ("input", "transform", "forget", "output")))
            g = self._activation(j)
            if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
                g = tf.nn.dropout(g, self._keep_prob, seed=self._seed)
            new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
            if self._layer_norm:
                new_c = self._norm(new_c, "state", dtype)
            new_h = self._activation(new_c) * tf.sigmoid(o)
            return new_h, LSTMStateTuple(new_c, new_h)

    class LSTMBlockCell(LayerRNNCell):
        """A basic LSTM in one fused kernel (TensorFlow's LSTMBlockCell op), its
        variables named as LSTMCell's (``lstm_cell/kernel``, ``bias``, ``w_*_diag``)."""

        def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                     dtype=None, reuse=None, name="lstm_cell"):
            super(LSTMBlockCell, self).__init__(_reuse=reuse, dtype=dtype, name=name)
            self._num_units = num_units
            self._forget_bias = forget_bias
            self._use_peephole = use_peephole
            self._cell_clip = cell_clip if cell_clip is not None else -1

        @property
        def state_size(self):
            return LSTMStateTuple(self._num_units, self._num_units)

        @property
        def output_size(self):
            return self._num_units

        def build(self, inputs_shape):
            input_size = tf.compat.dimension_value(inputs_shape[1])
            if not input_size:
                raise ValueError("Expecting inputs_shape[1] to be set: %s" % str(inputs_shape))
            units = self._num_units
            self._kernel = self.add_weight("kernel", [input_size + units, units * 4])
            self._bias = self.add_weight("bias", [units * 4],
                                         initializer=tf.constant_initializer(0.0))
            if self._use_peephole:
                self._diags = [self.add_weight(name, [units])
                               for name in ("w_i_diag", "w_f_diag", "w_o_diag")]
            self.built = True

        def call(self, inputs, state):
            if len(state) != 2:
                raise ValueError("Expecting state to be a tuple with length 2.")
            diags = self._diags if self._use_peephole else [
                tf.zeros([self._num_units], dtype=self.dtype)] * 3
            cs_prev, h_prev = state
            _, cs, _, _, _, _, h = tf.raw_ops.LSTMBlockCell(
                x=inputs, cs_prev=cs_prev, h_prev=h_prev, w=self._kernel, wci=diags[0],
                wcf=diags[1], wco=diags[2], b=self._bias, forget_bias=self._forget_bias,
                cell_clip=self._cell_clip, use_peephole=self._use_peephole)
            return h, LSTMStateTuple(cs, h)

    return {"LayerNormBasicLSTMCell": LayerNormBasicLSTMCell, "LSTMBlockCell": LSTMBlockCell}


def _gru_cells(tf, LayerRNNCell):
    """TF 1.15's GRUBlockCell (variables ``w_ru``, ``b_ru``, ``w_c``, ``b_c``) and
    GRUBlockCellV2 (``gates/kernel``, ... as GRUCell's)."""

    class GRUBlockCell(LayerRNNCell):
        """A GRU in one fused kernel (TensorFlow's GRUBlockCell op)."""
        _NAMES = ("w_ru", "b_ru", "w_c", "b_c")

        def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
            super(GRUBlockCell, self).__init__(_reuse=reuse, name=name)
            if (cell_size is None) == (num_units is None):
                raise ValueError("Exactly one of num_units or cell_size must be provided.")
            self._cell_size = num_units if cell_size is None else cell_size

        @property
        def state_size(self):
            return self._cell_size

        @property
        def output_size(self):
            return self._cell_size

        def build(self, input_shape):
            input_size = tf.compat.dimension_value(input_shape[1])
            if input_size is None:
                raise ValueError("Expecting input_size to be set.")
            size, (w_ru, b_ru, w_c, b_c) = self._cell_size, self._NAMES
            self._gate_kernel = self.add_weight(w_ru, [input_size + size, size * 2])
            self._gate_bias = self.add_weight(b_ru, [size * 2],
                                              initializer=tf.constant_initializer(1.0))
            self._candidate_kernel = self.add_weight(w_c, [input_size + size, size])
            self._candidate_bias = self.add_weight(b_c, [size],
                                                   initializer=tf.constant_initializer(0.0))
            self.built = True

        def call(self, inputs, h_prev):
            cell_size = _dim(h_prev.get_shape().with_rank(2), 1)
            if cell_size != self._cell_size:
                raise ValueError("Shape of h_prev[1] incorrect: cell_size %i vs %s"
                                 % (self._cell_size, cell_size))
            _, _, _, new_h = tf.raw_ops.GRUBlockCell(
                x=inputs, h_prev=h_prev, w_ru=self._gate_kernel, w_c=self._candidate_kernel,
                b_ru=self._gate_bias, b_c=self._candidate_bias)
            return new_h, new_h

    class GRUBlockCellV2(GRUBlockCell):
        _NAMES = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")

    return {"GRUBlockCell": GRUBlockCell, "GRUBlockCellV2": GRUBlockCellV2}


def _register_block_gradients(tf):
    """TF 1.15's gradients of the LSTMBlockCell and GRUBlockCell ops (TensorFlow 2 has
    the ops and their gradient kernels, not the Python gradients), unless present."""
    from tensorflow.python.framework import ops

    for op_type, gradient in (("LSTMBlockCell", _lstm_block_cell_grad),
                              ("GRUBlockCell", _gru_block_cell_grad)):
        try:
            ops.gradient_registry.lookup(op_type)
        except LookupError:
            ops.RegisterGradient(op_type)(gradient)


def _lstm_block_cell_grad(op, *grad):
    tf = _tf()
    x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
    i, cs, f, o, ci, co, _ = op.outputs
    _, cs_grad, _, _, _, _, h_grad = grad
    batch_size = _dim(x.get_shape().with_rank(2), 0) or -1
    input_size = _dim(x.get_shape(), 1)
    cell_size = _dim(cs_prev.get_shape().with_rank(2), 1)
    cs_prev_grad, dgates, wci_grad, wcf_grad, wco_grad = tf.raw_ops.LSTMBlockCellGrad(
        x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci, wcf=wcf, wco=wco, b=b, i=i,
        cs=cs, f=f, o=o, ci=ci, co=co, cs_grad=cs_grad, h_grad=h_grad,
        use_peephole=op.get_attr("use_peephole"))
    xh_grad = tf.matmul(dgates, w, transpose_b=True)
    x_grad = tf.slice(xh_grad, (0, 0), (batch_size, input_size))
    h_prev_grad = tf.slice(xh_grad, (0, input_size), (batch_size, cell_size))
    w_grad = tf.matmul(tf.concat([x, h_prev], 1), dgates, transpose_a=True)
    b_grad = tf.raw_ops.BiasAddGrad(out_backprop=dgates)
    return (x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad)


def _gru_block_cell_grad(op, *grad):
    tf = _tf()
    x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
    r, u, c, _ = op.outputs
    d_x, d_h_prev, d_c_bar, d_r_bar_u_bar = tf.raw_ops.GRUBlockCellGrad(
        x=x, h_prev=h_prev, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c, r=r, u=u, c=c,
        d_h=grad[3])
    d_w_ru = tf.matmul(tf.concat([x, h_prev], 1), d_r_bar_u_bar, transpose_a=True)
    d_w_c = tf.matmul(tf.concat([x, h_prev * r], 1), d_c_bar, transpose_a=True)
    return (d_x, d_h_prev, d_w_ru, d_w_c, tf.raw_ops.BiasAddGrad(out_backprop=d_r_bar_u_bar),
            tf.raw_ops.BiasAddGrad(out_backprop=d_c_bar))


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None,
                            scope=None):
    """Layers of ``static_bidirectional_rnn``, each fed the one below's outputs
    (scopes ``stack_bidirectional_rnn/cell_i``); (outputs, states_fw, states_bw)."""
    tf = _tf()
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    return _stack(tf, scope or "stack_bidirectional_rnn", cells_fw, cells_bw, inputs,
                  initial_states_fw, initial_states_bw,
                  lambda fw, bw, prev, s_fw, s_bw, cell_scope: tf.nn.static_bidirectional_rnn(
                      fw, bw, prev, initial_state_fw=s_fw, initial_state_bw=s_bw,
                      sequence_length=sequence_length, dtype=dtype, scope=cell_scope))


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None,
                                    swap_memory=False):
    """Layers of ``bidirectional_dynamic_rnn``, each fed the one below's outputs,
    forward and backward concatenated (scopes ``stack_bidirectional_rnn/cell_i``);
    (outputs, states_fw, states_bw)."""
    tf = _tf()
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)

    def layer(fw, bw, prev, s_fw, s_bw, cell_scope):
        outputs, (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
            fw, bw, prev, initial_state_fw=s_fw, initial_state_bw=s_bw,
            sequence_length=sequence_length, parallel_iterations=parallel_iterations,
            dtype=dtype, swap_memory=swap_memory, time_major=time_major)
        return tf.concat(outputs, 2), state_fw, state_bw

    return _stack(tf, scope or "stack_bidirectional_rnn", cells_fw, cells_bw, inputs,
                  initial_states_fw, initial_states_bw, layer)


def _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    for cells, way in ((cells_fw, "fw"), (cells_bw, "bw")):
        if not isinstance(cells, list):
            raise ValueError("cells_%s must be a list of RNNCells (one per layer)." % way)
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for states, way in ((initial_states_fw, "fw"), (initial_states_bw, "bw")):
        if states is not None and (not isinstance(states, list)
                                   or len(states) != len(cells_fw)):
            raise ValueError("initial_states_%s must be a list of state tensors (one per "
                             "layer)." % way)


def _stack(tf, scope, cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw,
           layer):
    states_fw, states_bw, prev = [], [], inputs
    with tf.variable_scope(scope):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            s_fw = initial_states_fw[i] if initial_states_fw else None
            s_bw = initial_states_bw[i] if initial_states_bw else None
            with tf.variable_scope("cell_%d" % i) as cell_scope:
                prev, state_fw, state_bw = layer(cell_fw, cell_bw, prev, s_fw, s_bw,
                                                 cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev, tuple(states_fw), tuple(states_bw)
