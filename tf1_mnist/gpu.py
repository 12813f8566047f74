"""Refuse, in one line, a GPU the running TensorFlow build cannot use.

TensorFlow 1.15.5 was built for CUDA 10.0, which knows GPUs up to Turing (compute
capability 7.5). On an Ampere or newer GPU it does not fail: it starts compiling its
kernels from PTX, which takes tens of minutes and may never work. The GPU image sets
``$TF1_MNIST_MAX_COMPUTE_CAPABILITY`` to what its CUDA supports; before TensorFlow is
imported, the command line asks the CUDA driver (``libcuda``, through ctypes: no
TensorFlow, no device set-up) what GPUs there are and stops if one is newer.
No TensorFlow here.
"""
import ctypes
import os

from tf1_mnist.errors import UserError

MAX_ENV = "TF1_MNIST_MAX_COMPUTE_CAPABILITY"
LIBCUDA_ENV = "TF1_MNIST_LIBCUDA"  # another driver library (tests)
NEWER_IMAGE = "tf1-mnist:gpu-tf2 (docker/Dockerfile.gpu-tf2: Python 3.11, TensorFlow 2.21)"

_MAJOR, _MINOR = 75, 76  # CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR / _MINOR


def devices(library=None):
    """``[(name, (major, minor)), ...]`` of the GPUs the CUDA driver sees; [] without a
    driver or a GPU."""
    try:
        cuda = ctypes.CDLL(library or os.environ.get(LIBCUDA_ENV) or "libcuda.so.1")
    except OSError:
        return []
    count = ctypes.c_int(0)
    if cuda.cuInit(0) != 0 or cuda.cuDeviceGetCount(ctypes.byref(count)) != 0:
        return []
    found = []
    for index in range(count.value):
        device, major, minor = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        name = ctypes.create_string_buffer(256)
        if cuda.cuDeviceGet(ctypes.byref(device), index) != 0:
            continue
        cuda.cuDeviceGetAttribute(ctypes.byref(major), _MAJOR, device)
        cuda.cuDeviceGetAttribute(ctypes.byref(minor), _MINOR, device)
        cuda.cuDeviceGetName(name, len(name), device)
        found.append((name.value.decode("utf-8", "replace") or "GPU {}".format(index),
                      (major.value, minor.value)))
    return found


def check_supported(environ=None, found=None):
    """UserError when a visible GPU is newer than $TF1_MNIST_MAX_COMPUTE_CAPABILITY
    (unset: no check). ``CUDA_VISIBLE_DEVICES=""`` (run on the CPU) skips it too."""
    environ = os.environ if environ is None else environ
    limit = environ.get(MAX_ENV, "").strip()
    if not limit or environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return
    try:
        most = tuple(int(part) for part in limit.split("."))
    except ValueError:
        raise UserError("${}={!r}: set it like 7.5".format(MAX_ENV, limit))
    for name, capability in devices() if found is None else found:
        if capability > most:
            raise UserError(
                "{} has compute capability {}.{}, newer than this TensorFlow's CUDA supports "
                "(up to {}); use the image {}, or run on the CPU with "
                "CUDA_VISIBLE_DEVICES=\"\"".format(name, capability[0], capability[1], limit,
                                                  NEWER_IMAGE))
