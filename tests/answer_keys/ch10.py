"""Chapter 10's answer key against typical learner answers (contract: tests/test_answer_keys.py)."""
from __future__ import annotations

import math

import numpy as np

from nnlib.exercises import ch10

from .learner_code import crashes, endless, forgets_return


def sort_reversed(output):
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            order.append(node)          # before its parents: the reverse order
            for parent in node.parents:
                visit(parent)
    visit(output)
    return order


def sort_without_visited(output):
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)              # a reused node is added once per use
    visit(output)
    return order


def sort_parents_only(output):
    return list(output.parents) + [output]     # forgets the grandparents


def sort_forever(output):
    stack = [output]
    while stack:                        # never pops
        stack.append(stack[-1])


def sort_breadth_first(output):
    # Level by level from the output, reversed: wrong where a node sits at two depths.
    order, frontier, seen = [], [output], set()
    while frontier:
        nxt = []
        for node in frontier:
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
                nxt.extend(node.parents)
        frontier = nxt
    return order[::-1]


G = ch10.grad_W1_14
WRONG_ANSWERS = [
    ("10.1a", lambda a, b: (1 / b, a / b**2), "wrong sign"),
    ("10.1a", lambda a, b: (b, a), "local derivatives of a·b"),
    ("10.1a", lambda a, b: 1 / b, "returned"),
    ("10.1a", crashes, "raised ZeroDivisionError"),
    ("10.1b", lambda a, n: a ** (n - 1), "missing the factor n"),
    ("10.1b", lambda a, n: n * a**n, "exponent goes down by one"),
    ("10.1b", endless, "did not finish within"),
    ("10.1c", lambda a: 1 - math.tanh(a), "square the tanh"),
    ("10.1c", lambda a: 1 + math.tanh(a) ** 2, "derivative of tan"),
    ("10.1c", forgets_return, "forget `return`"),
    ("10.1d", lambda a: a * (1 - a), "not to a itself"),
    ("10.1d", lambda a: 1 / (1 + math.exp(-a)), "that is σ itself"),
    ("10.1d", "s*(1-s)", "not a function"),
    ("10.2a", sort_reversed, "this is the reverse order"),
    ("10.2a", sort_without_visited, "appears more than once"),
    ("10.2a", sort_parents_only, "the order lacks"),
    ("10.2a", sort_forever, "did not finish within"),
    ("10.2a", sort_breadth_first, "comes before its input"),
    ("10.2a", None, "None"),
    ("10.2b", 6, "count each node once"),
    ("10.2b", 7, "used three times"),
    ("10.2b", "5", "without quotes"),
    ("10.3a", 3.0, "with `=` instead of `+=`"),
    ("10.3a", 9.0, "the value"),
    ("10.3a", None, "None"),
    ("10.3b", 1.0, "only one of the two uses"),
    ("10.3b", [2.0, 2.0], "give one number"),
    ("10.3b", float("nan"), "NaN"),
    ("10.3c", -3.0, "add the direct 1"),
    ("10.3c", 1.0, "add the path through a·b"),
    ("10.3c", "-2", "without quotes"),
    ("10.3d", -3.0, "the other factor"),
    ("10.3d", 3.0, "only through a·b"),
    ("10.3d", None, "None"),
    ("10.4a", math.sqrt(ch10.loss_14), "its square"),
    ("10.4a", ch10.loss_14 * 2, "too large"),
    ("10.4a", None, "None"),
    ("10.4b", G.T, "transposed"),
    ("10.4b", -G, "sign is flipped"),
    ("10.4b", G[0], "shape"),
    ("10.4c", -ch10.grad_b2_14, "sign is flipped"),
    ("10.4c", ch10.grad_b2_14 / 2, "missing the 2"),
    ("10.4c", np.array([np.nan]), "not a finite number"),
    ("10.5a", 1, "one pass is reverse mode"),
    ("10.5a", 999, "too small"),
    ("10.5a", "1000", "without quotes"),
    ("10.5b", 1000, "that is forward mode"),
    ("10.5b", 0, "too small"),
    ("10.5b", None, "None"),
    ("10.5c", 50, "one pass per input"),
    ("10.5c", 150, "too large"),
    ("10.5c", None, "None"),
    ("10.5d", 3, "one pass per output"),
    ("10.5d", 150, "too large"),
    ("10.5d", None, "None"),
]


def sort_iterative(output):
    order, visited, stack = [], set(), [(output, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in visited:
            visited.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents)
    return order


RIGHT_ANSWERS = [
    ("10.1a", lambda a, b: (b ** -1, -a * b ** -2)),
    ("10.1b", lambda a, n: n * a**n / a if a != 0 else 0.0),
    ("10.1c", lambda a: 1 / math.cosh(a) ** 2),
    ("10.1d", lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2),
    ("10.2a", sort_iterative),
    ("10.2b", np.int64(5)),
    ("10.3a", np.float32(6.0)),
    ("10.3b", 2),
    ("10.3c", np.array(-2.0)),
    ("10.3d", 2),
    ("10.4a", np.float64(ch10.loss_14)),
    ("10.4b", G.tolist()),
    ("10.4c", [float(ch10.grad_b2_14[0])]),
    ("10.5a", 1000.0),
    ("10.5b", np.int32(1)),
    ("10.5c", 3.0),
    ("10.5d", 50),
]
