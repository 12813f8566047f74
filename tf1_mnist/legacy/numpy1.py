"""The NumPy 1.x names TF1 scripts used, put back for ``run`` on NumPy 2.

Only under ``tf1-mnist run``, and only the names this NumPy lacks: on the legacy
stack (NumPy 1.18) nothing changes. The package itself never uses them.
"""
import builtins
import functools
import warnings

# Removed aliases and functions, each with what NumPy 1.x meant by it.
ALIASES = {
    # Deprecated in 1.20, removed in 1.24: the builtins under NumPy's name.
    "float": builtins.float, "int": builtins.int, "bool": builtins.bool,
    "object": builtins.object, "complex": builtins.complex, "str": builtins.str,
    "long": builtins.int, "unicode": builtins.str,
    # Removed in 2.0.
    "float_": "float64", "complex_": "complex128", "string_": "bytes_",
    "unicode_": "str_", "cfloat": "complex128", "singlecomplex": "complex64",
    "longfloat": "longdouble", "longcomplex": "clongdouble", "clongfloat": "clongdouble",
    "Inf": float("inf"), "Infinity": float("inf"), "infty": float("inf"),
    "PINF": float("inf"), "NINF": float("-inf"), "NaN": float("nan"),
    "PZERO": 0.0, "NZERO": -0.0,
    "round_": "round", "alltrue": "all", "sometrue": "any", "product": "prod",
    "cumproduct": "cumprod", "mat": "asmatrix",
}


def _asscalar(a):
    """NumPy 1.x's ``np.asscalar`` (removed in 1.23)."""
    return a.item()


def _asfarray(a, dtype=None):
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


def restore(np):
    """Give module ``np`` back what NumPy 1.x scripts use; return the names added."""
    added = []
    for name, value in sorted(ALIASES.items()):
        if _missing(np, name):
            setattr(np, name, getattr(np, value) if isinstance(value, str) else value)
            added.append(name)
    for name, value in (("asscalar", _asscalar), ("asfarray", _asfarray)):
        if _missing(np, name):
            setattr(np, name, value)
            added.append(name)
    try:
        np.reshape(np.zeros(1), newshape=(1,))
    except TypeError:
        np.reshape = _reshape_accepting_newshape(np.reshape)
        added.append("reshape(newshape=)")
    if int(np.__version__.split(".")[0]) >= 2:
        # NumPy 2 shows a scalar in a list as np.float32(0.0021); NumPy 1.x, which TF1
        # scripts printed with (print(sess.run([loss, acc]))), showed 0.0021.
        np.set_printoptions(legacy="1.25")
        added.append("printing as NumPy 1.25")
    return added


def _missing(np, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name NumPy still has, deprecated
        try:
            getattr(np, name)
        except (AttributeError, RuntimeError):
            return True
    return False
