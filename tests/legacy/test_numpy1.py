"""tf1_mnist/legacy/numpy1.py: NumPy 1's removed names, under `run` only."""
from conftest import run_in


def test_numpy_1_names_come_back_under_run_only(tmp_path):
    script = ("import numpy as np\nx = np.reshape(np.arange(6), newshape=(2, 3))\n"
              "print(x.shape, np.float is float, np.int is int, np.object is object, "
              "np.asscalar(np.array([4])), np.float_ is np.float64, np.NaN != np.NaN)\n"
              "print([np.float32(0.5), np.int64(3)])  # TF1 scripts print sess.run lists\n")
    with open(str(tmp_path / "old_numpy.py"), "w") as f:
        f.write(script)
    code, out, err = run_in(str(tmp_path), ["old_numpy.py"])
    assert code == 0, err
    assert out == "(2, 3) True True True 4 True True\n[0.5, 3]\n"
    import numpy
    if int(numpy.__version__.split(".")[0]) >= 2:  # outside run, NumPy stays as it is
        code, out, err = run_in(str(tmp_path), ["old_numpy.py"], command=())
        assert code == 1 and "newshape" in err
