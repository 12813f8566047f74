"""``tf.contrib.legacy_seq2seq`` as TF 1.15 had it, for ``run`` on TensorFlow 2: the
sequence-to-sequence models of char-RNN and of TF1's translate tutorial, graph code over
``tf.nn.rnn_cell`` (Keras 2's legacy cells, tf-keras).

The functions build what TF 1.15's built, under the same variable names and shapes
(``embedding_attention_seq2seq/rnn/embedding_wrapper/embedding``, ``.../Attention_0/
kernel``, ...), so a TF 1.15 checkpoint of such a model restores here and computes the
same numbers (tests/legacy/test_seq2seq.py compares them with TF 1.15.5's own module).
"""
import copy
import sys

from tf1_mnist.legacy import rnn
from tf1_mnist.legacy.rnn import _Linear


def _tf():
    return sys.modules["tensorflow"]


def _dim(shape, i):
    return _tf().compat.dimension_value(shape[i])


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop function: the previous output's argmax symbol, embedded."""
    tf = _tf()

    def loop_function(prev, _):
        if output_projection is not None:
            prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        embedded = tf.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
        return embedded if update_embedding else tf.stop_gradient(embedded)
    return loop_function


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Runs ``cell`` over ``decoder_inputs`` from ``initial_state``; with
    ``loop_function``, each input after the first is made from the previous output.
    Returns (outputs, state)."""
    tf = _tf()
    with tf.variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=None, scope=None):
    """Encodes with a copy of ``cell``, decodes with ``cell`` from the last state."""
    tf = _tf()
    with tf.variable_scope(scope or "basic_rnn_seq2seq"):
        _, enc_state = tf.nn.static_rnn(copy.deepcopy(cell), encoder_inputs,
                                        dtype=dtype or tf.float32)
        return rnn_decoder(decoder_inputs, enc_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=None,
                     scope=None):
    """Encoder and decoder share ``cell``'s variables."""
    tf = _tf()
    with tf.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, enc_state = tf.nn.static_rnn(cell, encoder_inputs, dtype=dtype or tf.float32,
                                        scope=scope)
        tf.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, enc_state, cell, loop_function=loop_function,
                           scope=scope)


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """``rnn_decoder`` over embedded symbols; ``feed_previous``: greedy decoding."""
    tf = _tf()
    with tf.variable_scope(scope or "embedding_rnn_decoder") as scope:
        if output_projection is not None:
            dtype = scope.dtype
            weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
            weights.get_shape().assert_is_compatible_with([None, num_symbols])
            biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
            biases.get_shape().assert_is_compatible_with([num_symbols])
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) \
            if feed_previous else None
        embedded = (tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(embedded, initial_state, cell, loop_function=loop_function)


def _either_way(feed_previous, decoder, outputs_len, encoder_state):
    """A decoder built for both values of a boolean tensor ``feed_previous``, chosen by
    ``tf.cond``; (outputs, state)."""
    tf = _tf()

    def built(feed):
        with tf.variable_scope(tf.get_variable_scope(), reuse=None if feed else True):
            outputs, state = decoder(feed)
            return outputs + (tf.nest.flatten(state) if tf.nest.is_nested(state)
                              else [state])

    both = tf.cond(feed_previous, lambda: built(True), lambda: built(False))
    state_list = both[outputs_len:]
    state = state_list[0]
    if tf.nest.is_nested(encoder_state):
        state = tf.nest.pack_sequence_as(structure=encoder_state, flat_sequence=state_list)
    return both[:outputs_len], state


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """Embeds and encodes ``encoder_inputs``, then ``embedding_rnn_decoder``."""
    tf = _tf()
    with tf.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = rnn.EmbeddingWrapper(copy.deepcopy(cell),
                                            embedding_classes=num_encoder_symbols,
                                            embedding_size=embedding_size)
        _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = rnn.OutputProjectionWrapper(cell, num_decoder_symbols)

        def decoder(feed, update=True):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update)

        if isinstance(feed_previous, bool):
            return decoder(feed_previous)
        return _either_way(feed_previous, lambda feed: decoder(feed, False),
                           len(decoder_inputs), encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols,
                               embedding_size, num_decoder_symbols=None,
                               output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """Encoder and decoder share one embedding and ``cell``'s variables."""
    tf = _tf()
    with tf.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        if output_projection is not None:
            weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
            weights.get_shape().assert_is_compatible_with([None, num_symbols])
            biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
            biases.get_shape().assert_is_compatible_with([num_symbols])
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        emb_encoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
        emb_decoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols
        if num_decoder_symbols is not None:
            output_symbols = num_decoder_symbols
        if output_projection is None:
            cell = rnn.OutputProjectionWrapper(cell, output_symbols)

        def decoder(feed, update=True):
            loop_function = _extract_argmax_and_embed(
                embedding, output_projection, update) if feed else None
            return tied_rnn_seq2seq(emb_encoder_inputs, emb_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        if isinstance(feed_previous, bool):
            return decoder(feed_previous)
        batch_size = _dim(encoder_inputs[0].get_shape(), 0)
        if batch_size is None:
            batch_size = tf.shape(encoder_inputs[0])[0]
        return _either_way(feed_previous, lambda feed: decoder(feed, False),
                           len(decoder_inputs), cell.zero_state(batch_size, dtype))


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """An RNN decoder reading ``attention_states`` [batch, length, size] with
    ``num_heads`` attention heads (Bahdanau et al.'s, as TF 1.15 built it)."""
    tf = _tf()
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if _dim(attention_states.get_shape(), 2) is None:
        raise ValueError("Shape[2] of attention_states must be known: %s" %
                         attention_states.get_shape())
    if output_size is None:
        output_size = cell.output_size
    with tf.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attn_length = _dim(attention_states.get_shape(), 1)
        if attn_length is None:
            attn_length = tf.shape(attention_states)[1]
        attn_size = _dim(attention_states.get_shape(), 2)
        hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
        hidden_features, v = [], []
        for a in range(num_heads):
            k = tf.get_variable("AttnW_%d" % a, [1, 1, attn_size, attn_size], dtype=dtype)
            hidden_features.append(tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME"))
            v.append(tf.get_variable("AttnV_%d" % a, [attn_size], dtype=dtype))

        def attention(query):
            """The ``num_heads`` reads of ``hidden`` for ``query`` (a state)."""
            reads = []
            if tf.nest.is_nested(query):
                query = tf.concat(tf.nest.flatten(query), 1)
            for a in range(num_heads):
                with tf.variable_scope("Attention_%d" % a):
                    y = _Linear(query, attn_size, True)(query)
                    y = tf.cast(tf.reshape(y, [-1, 1, 1, attn_size]), dtype)
                    s = tf.reduce_sum(v[a] * tf.tanh(hidden_features[a] + y), [2, 3])
                    weights = tf.cast(tf.nn.softmax(tf.cast(s, dtype=tf.float32)), dtype)
                    d = tf.reduce_sum(tf.reshape(weights, [-1, attn_length, 1, 1]) * hidden,
                                      [1, 2])
                    reads.append(tf.reshape(d, [-1, attn_size]))
            return reads

        outputs, prev, state = [], None, initial_state
        attns = [tf.zeros(tf.stack([batch_size, attn_size]), dtype=dtype)
                 for _ in range(num_heads)]
        for a in attns:
            a.set_shape([None, attn_size])
        if initial_state_attention:
            attns = attention(initial_state)
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = _dim(inp.get_shape().with_rank(2), 1)
            if input_size is None:
                raise ValueError("Could not infer input size from input: %s" % inp.name)
            inputs = [tf.cast(e, dtype) for e in [inp] + attns]
            cell_output, state = cell(_Linear(inputs, input_size, True)(inputs), state)
            if i == 0 and initial_state_attention:
                with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with tf.variable_scope("AttnOutputProjection"):
                inputs = [tf.cast(cell_output, dtype)] + attns
                output = _Linear(inputs, output_size, True)(inputs)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """``attention_decoder`` over embedded symbols; ``feed_previous``: greedy."""
    tf = _tf()
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.get_shape().assert_is_compatible_with([num_symbols])
    with tf.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) \
            if feed_previous else None
        embedded = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(embedded, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, num_heads=1,
                                output_projection=None, feed_previous=False, dtype=None,
                                scope=None, initial_state_attention=False):
    """The translate tutorial's model: embed and encode, then an attention decoder over
    the encoder's outputs."""
    tf = _tf()
    with tf.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = rnn.EmbeddingWrapper(copy.deepcopy(cell),
                                            embedding_classes=num_encoder_symbols,
                                            embedding_size=embedding_size)
        encoder_outputs, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs,
                                                          dtype=dtype)
        attention_states = tf.concat([tf.reshape(e, [-1, 1, cell.output_size])
                                      for e in encoder_outputs], 1)
        output_size = None
        if output_projection is None:
            cell = rnn.OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decoder(feed, update=True):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update,
                initial_state_attention=initial_state_attention)

        if isinstance(feed_previous, bool):
            return decoder(feed_previous)
        return _either_way(feed_previous, lambda feed: decoder(feed, False),
                           len(decoder_inputs), encoder_state)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Per example: the weighted cross-entropy summed over the time steps (lists of
    [batch, ...] tensors), divided by the summed weights if ``average_across_timesteps``."""
    tf = _tf()
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         "%d, %d, %d." % (len(logits), len(weights), len(targets)))
    with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        log_perps = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perps.append(crossent * weight)
        total = tf.add_n(log_perps)
        if average_across_timesteps:
            total /= tf.add_n(weights) + 1e-12  # all-0 weights: no division by 0
    return total


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """``sequence_loss_by_example`` summed over the batch, divided by its size if
    ``average_across_batch``."""
    tf = _tf()
    with tf.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
        return cost


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """One ``seq2seq`` model per (encoder length, decoder length) bucket, sharing
    variables; (outputs, losses), one of each per bucket."""
    tf = _tf()
    for given, wanted, what in ((len(encoder_inputs), buckets[-1][0], "encoder_inputs"),
                                (len(targets), buckets[-1][1], "targets"),
                                (len(weights), buckets[-1][1], "weights")):
        if given < wanted:
            raise ValueError("Length of %s (%d) must be at least that of last bucket (%d)."
                             % (what, given, wanted))
    losses, outputs = [], []
    with tf.name_scope(name, "model_with_buckets",
                       encoder_inputs + decoder_inputs + targets + weights):
        for j, bucket in enumerate(buckets):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:bucket[0]],
                                            decoder_inputs[:bucket[1]])
                outputs.append(bucket_outputs)
                loss = sequence_loss_by_example if per_example_loss else sequence_loss
                losses.append(loss(outputs[-1], targets[:bucket[1]], weights[:bucket[1]],
                                   softmax_loss_function=softmax_loss_function))
    return outputs, losses
