"""tf1_mnist/gpu.py: the one-line refusal of a GPU newer than the image's CUDA, on a
stand-in CUDA driver built here."""
import os
import shutil
import subprocess

import pytest

from conftest import run_cli
from tf1_mnist import gpu


FAKE_LIBCUDA = r"""
#include <string.h>
int cuInit(unsigned flags) { return 0; }
int cuDeviceGetCount(int *count) { *count = 1; return 0; }
int cuDeviceGet(int *device, int index) { *device = index; return 0; }
int cuDeviceGetAttribute(int *value, int attribute, int device) {
    *value = attribute == 75 ? MAJOR : MINOR; return 0; }
int cuDeviceGetName(char *name, int length, int device) {
    strncpy(name, NAME, length); return 0; }
"""


def _fake_libcuda(tmp_path, name, major, minor):
    """A stand-in for the CUDA driver's libcuda.so.1 that reports one GPU."""
    source = tmp_path / "fake_cuda.c"
    source.write_text(FAKE_LIBCUDA)
    library = str(tmp_path / "libcuda-{}{}.so".format(major, minor))
    subprocess.check_call(["gcc", "-shared", "-fPIC", "-DMAJOR={}".format(major),
                           "-DMINOR={}".format(minor), '-DNAME="{}"'.format(name),
                           "-o", library, str(source)])
    return library


@pytest.mark.skipif(not shutil.which("gcc"), reason="builds a stand-in libcuda with gcc")
def test_gpu_image_refuses_a_gpu_newer_than_its_cuda(tmp_path):
    """The CUDA 10.0 image on an A100 (8.0): one line naming the image to use, before
    TensorFlow starts (it would spend tens of minutes compiling PTX); a T4 (7.5) and
    CUDA_VISIBLE_DEVICES="" pass."""
    a100 = _fake_libcuda(tmp_path, "NVIDIA A100-SXM4-40GB", 8, 0)
    env = {gpu.MAX_ENV: "7.5", gpu.LIBCUDA_ENV: a100}
    assert gpu.devices(a100) == [("NVIDIA A100-SXM4-40GB", (8, 0))]
    code, out, err = run_cli(["train", "--model-dir", str(tmp_path / "model")], env=env)
    assert code == 1 and out == ""
    assert err == ("error: NVIDIA A100-SXM4-40GB has compute capability 8.0, newer than this "
                   "TensorFlow's CUDA supports (up to 7.5); use the image {}, or run on the CPU "
                   "with CUDA_VISIBLE_DEVICES=\"\"\n".format(gpu.NEWER_IMAGE))
    assert not os.path.exists(str(tmp_path / "model"))
    gpu.check_supported(dict(env, CUDA_VISIBLE_DEVICES=""))
    gpu.check_supported({gpu.MAX_ENV: "7.5",
                         gpu.LIBCUDA_ENV: _fake_libcuda(tmp_path, "Tesla T4", 7, 5)})
    gpu.check_supported({gpu.LIBCUDA_ENV: a100})  # no limit set: the CPU and TF 2 images
    assert gpu.devices(str(tmp_path / "missing.so")) == []
