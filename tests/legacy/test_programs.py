"""TF1 research programs (tests/programs/) unchanged under ``tf1-mnist run -m``.

Each is a package run as ``python -m pkg.entry`` runs it, with flags, its own reader,
checkpoints and pictures, using what TensorFlow 2's stack removed (SciPy 1.1's image
functions, Pillow 9's names, tf.contrib.learn.preprocessing).
"""
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, run_in
from tf1_mnist.compat import TF_VERSION

PROGRAMS = os.path.join(ROOT, "tests", "programs")
sys.path.insert(0, PROGRAMS)
import make_data  # noqa: E402
OTHER = os.environ.get("TF1_MNIST_OTHER_PYTHON")  # CI: the other stack's python
ERROR_END = ("run it from the folder that holds the package (or pip install -e it)\n")


def _programs(tmp_path):
    folder = str(tmp_path / "work")
    shutil.copytree(PROGRAMS, folder)
    return folder


def _run(folder, args, python=sys.executable):
    return run_in(folder, args, python=python)


def _on_tf_1_15(folder, args):
    """``python -m ARGS`` run by TensorFlow 1.15.5 itself (the other stack), with no
    ``run``: (status, out, err). Skips where that stack is this one or is not given."""
    if TF_VERSION.startswith("1."):
        pytest.skip("this is TensorFlow 1.15 itself: compared from the TF 2 stack")
    if not OTHER:
        pytest.skip("TF1_MNIST_OTHER_PYTHON (the legacy stack's python) is not set; CI sets it")
    return run_in(folder, ["-m"] + args, python=OTHER, command=())


def test_run_m_sets_what_python_m_sets(tmp_path):
    """``__name__``, ``__package__``, ``__file__``, argv, ``sys.path[0]`` and relative
    imports, as plain ``python -m`` gives them, for a module and for a package's
    ``__main__``."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "helper.py").write_text("WHERE = __name__\n")
    show = ("import os, sys\nfrom .{} import WHERE\n"
            "print(__name__, __package__, os.path.relpath(__file__), sys.argv[1:], WHERE,\n"
            "      sys.path[0] == os.getcwd())\n")
    (package / "sub" / "train.py").write_text(show.format(".helper"))
    (package / "__main__.py").write_text(show.format("helper"))
    for module in ("pkg.sub.train", "pkg"):
        plain = subprocess.check_output([sys.executable, "-m", module, "--lr", "0.1"],
                                        cwd=str(tmp_path), universal_newlines=True)
        code, out, err = _run(str(tmp_path), ["-m", module, "--lr", "0.1"])
        assert (code, out) == (0, plain), err
    assert plain.startswith("__main__ pkg pkg/__main__.py ['--lr', '0.1'] pkg.helper")


def test_run_m_refuses_what_python_m_cannot_run_in_one_line(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "data.txt").write_text("")
    for module, error in (
            ("nosuch.train", "-m nosuch.train: no such module here; " + ERROR_END),
            ("pkg.nosuch", "-m pkg.nosuch: no such module here; " + ERROR_END),
            ("pkg", "-m pkg: no such module here; " + ERROR_END),  # no __main__.py
            (".train", "-m .train: not a module name; give it as python -m takes it "
                       "(pkg.train)\n")):
        code, out, err = _run(str(tmp_path), ["-m", module])
        assert (code, out, err) == (1, "", "error: " + error)


def test_a_gan_program_saves_its_sample_grids_with_the_era_s_scipy_and_pillow(tmp_path):
    folder = _programs(tmp_path)
    make_data.images(folder)
    code, out, err = _run(folder, ["-m", "gan.train", "--epochs", "2"])
    assert code == 0, err
    epochs = re.findall(r"^Epoch: \[(\d)\] d_loss: \d\.\d{4}, g_loss: \d\.\d{4} label "
                        r"\((\d+), (\d+)\)$", out, re.M)
    assert [epoch for epoch, _, _ in epochs] == ["0", "1"], out
    for epoch in range(2):
        grid = np.array(Image.open(os.path.join(folder, "samples",
                                                "train_{:02d}.png".format(epoch))))
        # 2 x 2 samples of 8 x 8, made 4 times larger; imsave stretched them to 0-255.
        # (Pillow's ANTIALIAS and the label's anti-aliased text leave the top below 255.)
        assert grid.shape == (64, 64) and grid.min() == 0 and grid.max() >= 250
        assert os.path.exists(os.path.join(folder, "checkpoint",
                                           "gan.model-{}.index".format(epoch)))


def _text_cnn(folder, python=sys.executable):
    make_data.reviews(folder)
    code, out, err = _run(folder, ["-m", "textcnn.train"], python)
    assert code == 0, err
    assert "Vocabulary Size: 9\nx: [[1, 2, 3, 0], [4, 5, 2, 6], [1, 7, 3, 0], [8, 5, 0, 0]]\n" \
        "pooled: (4, 4)\n" in out


def _evaluated(folder, python=sys.executable):
    code, out, err = _run(folder, ["-m", "textcnn.eval", "--out_dir", "runs",
                                   "A great, fun movie!", "it was dull"], python)
    assert code == 0, err
    return out


EVALUATED = ("ids: [[1, 2, 6, 3], [5, 0, 7, 0]]\n"
             "words: ['a great fun movie', 'it <UNK> dull <UNK>']\n"
             "TensorFlow graph mode: True\n")


def test_a_text_cnn_s_vocabulary_is_saved_and_restored(tmp_path):
    """TF 1.15's numbers (the ids above are what TF 1.15.5 gives), and its pickle: a
    vocabulary saved on either stack restores on the other."""
    folder = _programs(tmp_path)
    _text_cnn(folder)
    assert _evaluated(folder).endswith(EVALUATED)
    if not OTHER:
        pytest.skip("TF1_MNIST_OTHER_PYTHON (the other stack's python) is not set; CI sets it")
    assert _evaluated(folder, OTHER).endswith(EVALUATED)  # saved here, read there
    shutil.rmtree(os.path.join(folder, "runs"))
    _text_cnn(folder, OTHER)
    assert _evaluated(folder).endswith(EVALUATED)  # and back


LOSS = r"^(\d+)/(\d+) \(epoch (\d+)\), train_loss = (\d\.\d{4})$"


def test_a_char_rnn_resumes_from_its_checkpoint_to_tf_1_15_s_numbers(tmp_path):
    """tf.contrib.rnn's cells under legacy_seq2seq.rnn_decoder, argparse, a pickled
    vocabulary and config, a checkpoint resumed (--init_from) and sampled: the checkpoint
    trained here resumes on TensorFlow 1.15.5 to the same losses and the same text."""
    folder = _programs(tmp_path)
    make_data.text(folder)
    code, out, err = _run(folder, ["-m", "charrnn.train", "--num_epochs", "10", "--seed", "0"])
    assert code == 0, err
    assert [int(step) for step, _, _, _ in re.findall(LOSS, out, re.M)] == \
        list(range(1, 91)) and "model saved to save/model.ckpt-90\n" in out, out
    resume = ["charrnn.train", "--init_from", "save", "--save_dir", "resumed",
              "--num_epochs", "5"]
    sample = ["charrnn.sample", "--save_dir", "resumed", "-n", "30", "--prime", "the "]
    code, out, err = _run(folder, ["-m"] + resume)
    assert code == 0, err
    losses = re.findall(LOSS, out, re.M)
    assert [(int(step), total, int(epoch)) for step, total, epoch, _ in losses] == \
        [(i, "135", 10 + (i - 91) // 9) for i in range(91, 136)], out  # it goes on
    assert float(losses[-1][3]) < 1.0  # from 2.5 or so: it learnt the text
    code, text, err = _run(folder, ["-m"] + sample)
    assert code == 0, err
    # the most likely characters after "the " (15 epochs make the text's words or nearly)
    assert len(text) == 35 and text.startswith("the ") and \
        set(text) <= set(make_data.TEXT + "\n"), text
    shutil.rmtree(os.path.join(folder, "resumed"))
    code, out, err = _on_tf_1_15(folder, resume)
    assert code == 0, err
    assert re.findall(LOSS, out, re.M) == losses
    assert _on_tf_1_15(folder, sample)[1] == text


def _untimed(out):
    return re.sub(r" time= \d+\.\d{5}$", "", out, flags=re.M)


NUMBER = re.compile(r"\d+\.(\d+)")


def _to_the_last_digit(theirs, ours):
    """The same words, and the same numbers but for one unit in the last digit printed:
    a sum whose threads add in another order rounds a 5th decimal either way."""
    if NUMBER.sub("#", theirs) != NUMBER.sub("#", ours):
        return False
    pairs = zip(NUMBER.finditer(theirs), NUMBER.finditer(ours))
    return all(abs(float(a.group()) - float(b.group())) <= 1.5 * 10 ** -len(a.group(1))
               for a, b in pairs)


def test_a_graph_network_s_sparse_layers_give_tf_1_15_s_numbers(tmp_path):
    """SciPy sparse preprocessing with ARPACK at its old path
    (scipy.sparse.linalg.eigen.arpack), tf.sparse_placeholder, sparse_tensor_dense_matmul,
    sparse_retain dropout, seeded: every epoch's line is TensorFlow 1.15.5's (to the
    last digit printed)."""
    folder = _programs(tmp_path)
    make_data.graph(folder)
    runs = {}
    for model in ("gcn", "gcn_cheby"):
        args = ["gcn.train", "--model", model, "--dropout", "0.5"]
        code, out, err = _run(folder, ["-m"] + args)
        assert code == 0, err
        assert len(re.findall(r"^Epoch: \d{4} train_loss= \d\.\d{5} train_acc= \d\.\d{5} "
                              r"val_loss= \d\.\d{5} val_acc= \d\.\d{5} time= ", out,
                              re.M)) == 20, out
        accuracy = re.search(r"^Test set results: cost= \d\.\d{5} accuracy= (\S+)$", out,
                             re.M).group(1)
        assert float(accuracy) >= 0.75, out  # three classes: chance is 1/3
        runs[model] = _untimed(out), args
    assert re.match(r"Largest eigenvalue of the Laplacian: 1\.\d{5}\n", runs["gcn_cheby"][0])
    for model, (out, args) in sorted(runs.items()):
        code, theirs, err = _on_tf_1_15(folder, args)
        assert code == 0, err
        assert _to_the_last_digit(_untimed(theirs), out), (theirs, out)
