"""nnlib.grade_kernel: answers leave a learner's kernel as data, never as verdicts or pickles,
and come back as values the grader's own judges can read."""
from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from nnlib import grade_kernel as gk
from nnlib.check import judge
from nnlib.exercises import ch10
from nnlib.exercises.judges import Case, Function, describe


def round_trip(value):
    text, _ = gk.dumps(value, "kernel")
    return gk.loads(text, "grader")[0]


def test_numbers_arrays_and_containers_come_back_with_their_types():
    values = [None, True, 3, 2.5, float("inf"), 1 + 2j, "word", ..., np.float32(1.5),
              np.int64(7), np.arange(6, dtype=np.float32).reshape(2, 3), np.arange(5.0)[::2],
              [1, (2, 3.0)], {"a": {4}}]
    back = round_trip(values)
    for before, after in zip(values, back):
        assert type(after) is type(before)
        if isinstance(before, np.ndarray):
            assert after.dtype == before.dtype and np.array_equal(after, before)
        elif before == before:
            assert after == before
    assert np.isnan(round_trip(float("nan")))


def test_sympy_comes_back_as_the_same_expression():
    x = sp.Symbol("x", real=True)
    for expr in (3 * x**2 - 6 * x - 9, sp.log(x) / x, sp.exp(-x**2) * (-2 * x),
                 sp.Matrix([[x, sp.pi], [sp.Rational(1, 2), sp.oo]]), sp.Eq(x, 1)):
        assert round_trip(expr) == expr


@pytest.mark.parametrize("text", [
    "exp('__import__(\"os\").system(\"true\")')",      # a string sympy would sympify
    "Symbol('x').__class__",                          # an attribute
    "S('1 + 1')", "sympify('x')", "parse_expr('x')",  # sympy's own parsers
    "Integer(1)[0]", "(lambda: 1)()", "__import__('os')",
    "Float('1e5; import os')",                        # Float takes a decimal, nothing else
    "Pow(Integer(10), Integer(1000000000))",          # a power that would take the memory
    "Symbol('x', __class__=1)",
])
def test_sympy_text_outside_the_whitelist_is_refused(text):
    with pytest.raises(ValueError):
        gk.check_srepr(text)
    value = gk.loads(json.dumps({"sympy": text, "describe": "the formula ..."}), "grader")[0]
    assert isinstance(value, gk.Opaque)


def test_data_that_would_run_code_or_forge_arrays_is_refused():
    for data in ({"array": "|O", "shape": [1], "b64": ""},
                 {"array": "<f8", "shape": [3], "b64": "AAAA"},            # bytes too few
                 {"named": ["os", "system"]},                              # only to the kernel
                 {"object": ["os", "PathLike"], "id": "o0", "state": {}}):
        with pytest.raises(Exception):
            gk.loads(json.dumps(data), "grader")


def test_an_object_that_is_no_data_is_described_as_in_the_notebook():
    class Layer:
        pass

    value = round_trip(Layer())
    assert isinstance(value, gk.Opaque)
    assert describe(value) == "an object of type Layer"
    verdict = judge("1.5b", value)
    assert verdict.status == "wrong" and "an object of type Layer" in verdict.feedback


def test_check_calls_keep_the_learners_expression():
    source = 'x_min = -1\ncheck("1.5b", x_min)\ncheck("1.1a", 3*x**2 + 1)\ncheck(i, a)\n'
    assert gk.check_calls(source) == [("1.5b", "x_min"), ("1.1a", "3*x**2 + 1")]
    assert gk.check_calls("%time check('1.7c', order)\n") == []
    assert gk.check_calls("def f(:\n check('1.1a', df)") is None


# ---- a learner's function, called in a real kernel

@pytest.fixture(scope="module")
def session(tmp_path_factory):
    from nnlib.gradebook import Session

    kernel = Session(tmp_path_factory.mktemp("kernel"), timeout=30)
    yield kernel
    kernel.shutdown()


def learner_function(session, source: str, name: str):
    from nbformat.v4 import new_code_cell

    session.run_cell(new_code_cell(source))
    entry = session.capture([{"expr": name, "names": []}])[0]
    return gk.loads(json.dumps(entry["value"]), "grader", session)[0]


def test_a_learner_function_runs_in_the_kernel_and_its_in_place_change_shows(session):
    doubles = Function(lambda x: 2 * x, [Case((np.arange(3.0),), "x = [0, 1, 2]")])
    good = learner_function(session, "def good(x):\n    return x + x", "good")
    assert isinstance(good, gk.LearnerFunction) and not good.blank
    assert doubles(good) == (True, "")
    sneaky = learner_function(session, "def sneaky(x):\n    x *= 2\n    return x", "sneaky")
    correct, feedback = doubles(sneaky)
    assert not correct and "changed its input (argument 1) in place" in feedback
    crashing = learner_function(session, "def crashing(x):\n    return x / 0 + {}[1]", "crashing")
    assert doubles(crashing) == (False, "crashing raised KeyError: 1 for x = [0, 1, 2]")
    blank = learner_function(session, "def blank(x):\n    ...", "blank")
    assert blank.blank


def test_a_learner_function_that_never_returns_is_stopped(session):
    endless = learner_function(session, "def endless(x):\n    while True:\n        pass",
                               "endless")
    correct, feedback = Function(lambda x: x, [Case((1.0,), "x = 1")], time_limit=1)(endless)
    assert not correct and "did not finish within 1 s" in feedback
    again = learner_function(session, "def again(x):\n    return x", "again")
    assert again(3.0) == 3.0  # the kernel was interrupted and answers again


def test_graph_nodes_go_in_and_come_back_as_the_same_objects(session):
    source = '''
def topological_sort(output):
    order, seen = [], set()
    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)
    visit(output)
    return order
'''
    sort = learner_function(session, source, "topological_sort")
    assert ch10.TopologicalSort()(sort) == (True, "")
