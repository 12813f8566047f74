"""What NumPy 1.x did that NumPy 2 does not, for ``run``: the removed functions
(``homes.py`` holds the removed names' rows) and behaviour.

Only under ``tf1-mnist run``, and only where this NumPy differs: on the legacy stack
(NumPy 1.18) nothing changes. The package itself never uses them.
"""
import functools


def asscalar(a):
    """NumPy 1.x's ``np.asscalar`` (removed in 1.23)."""
    return a.item()


def asfarray(a, dtype=None):
    """NumPy 1.x's ``np.asfarray`` (removed in 2.0): an array of floats."""
    import numpy as np
    if dtype is None or not np.issubdtype(dtype, np.inexact):
        dtype = np.float64
    return np.asarray(a, dtype=dtype)


def _reshape_accepting_newshape(reshape):
    @functools.wraps(reshape)
    def wrapper(a, *args, **kwargs):
        if "newshape" in kwargs:  # NumPy 1.x's keyword, removed in 2.4
            kwargs["shape"] = kwargs.pop("newshape")
        return reshape(a, *args, **kwargs)
    return wrapper


def restore_behaviour(np):
    """Give module ``np`` NumPy 1.x's ``reshape(newshape=)`` and printing; return what
    was changed."""
    changed = []
    try:
        np.reshape(np.zeros(1), newshape=(1,))
    except TypeError:
        np.reshape = _reshape_accepting_newshape(np.reshape)
        changed.append("reshape(newshape=)")
    if int(np.__version__.split(".")[0]) >= 2:
        # NumPy 2 shows a scalar in a list as np.float32(0.0021); NumPy 1.x, which TF1
        # scripts printed with (print(sess.run([loss, acc]))), showed 0.0021.
        np.set_printoptions(legacy="1.25")
        changed.append("printing as NumPy 1.25")
    return changed
