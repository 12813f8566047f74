"""tf1_mnist/recipes.py: one hyper-parameter schema, read by the command line's flags and by
the check of a saved model.json, so the two can never disagree."""
import argparse

import pytest

from tf1_mnist import cli, recipes


def test_every_recipe_key_has_one_range():
    keys = set()
    for spec in recipes.SPECS.values():
        keys.update(spec.recipe)
    assert keys == set(recipes.SCHEMA)
    for spec in recipes.SPECS.values():  # each recipe's own values are in range
        for key, value in spec.recipe.items():
            assert recipes.problem(key, value) is None, (key, value)


# Values at and around each end of every range, as a flag's text and as model.json's.
EDGES = [0, 1, 2, -1, 0.5, 1.5, 1e-9, 0.999999, 1.000001, 512]


@pytest.mark.parametrize("key", list(recipes.SCHEMA))
def test_a_flag_takes_what_a_model_json_may_hold(key):
    flag = cli._hparam(key)
    for value in EDGES:
        try:
            taken = flag(repr(value))
        except argparse.ArgumentTypeError as exc:
            taken = None
            assert str(exc).startswith("must be " + recipes.wanted(key)), exc
        assert (taken is not None) == (recipes.problem(key, value) is None), (key, value)


def test_the_ranges_in_words():
    assert recipes.wanted("batch_size") == "a positive integer"
    assert recipes.wanted("learning_rate") == "a positive number"
    assert recipes.wanted("dropout") == "in (0, 1]"        # a keep probability
    assert recipes.wanted("dropout_rate") == "in [0, 1)"   # a fraction dropped
    assert recipes.problem("dropout", 1) is None and recipes.problem("dropout", 0)
    assert recipes.problem("dropout_rate", 0) is None and recipes.problem("dropout_rate", 1)
    assert recipes.problem("batch_size", 128.0) == "not a whole number"
    assert recipes.problem("learning_rate", True) == "not a number"
