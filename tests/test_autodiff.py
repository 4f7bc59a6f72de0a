"""nnlib.autodiff: every gradient equals central differences, on hand-picked and random
expressions with reused nodes; a second backward() gives the same gradients."""
import math
import random

import numpy as np
import pytest

from nnlib import Dense, Tanh
from nnlib.autodiff import Value, topological_order

OPS = ["+", "-", "*", "/", "pow", "exp", "log", "tanh", "sigmoid", "relu", "neg", "rnum"]


def evaluate(ops, inputs, lift):
    """A random expression over ``inputs`` (Values or floats): ``ops`` is a list of (op, i, j),
    each combining nodes i and j of those built so far, so nodes are reused everywhere."""
    nodes = list(inputs)
    call = (lambda a, name, fn: getattr(a, name)()) if lift is Value else \
        (lambda a, name, fn: fn(a))
    for op, i, j in ops:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op == "+":
            out = a + b
        elif op == "-":
            out = a - b
        elif op == "*":
            out = a * b
        elif op == "/":
            out = a / (b * b + 1.0)                      # never divides by 0
        elif op == "pow":
            out = (a * a + 0.5) ** 1.5
        elif op == "exp":
            out = call(a * 0.3, "exp", math.exp)
        elif op == "log":
            out = call(a * a + 0.1, "log", math.log)
        elif op == "tanh":
            out = call(a, "tanh", math.tanh)
        elif op == "sigmoid":
            out = call(a, "sigmoid", lambda v: 1 / (1 + math.exp(-v)))
        elif op == "relu":
            out = call(a, "relu", lambda v: max(v, 0.0))
        elif op == "neg":
            out = -a
        else:                                           # numbers on the left of Values
            out = 2.0 - 3.0 / (1.0 + a * a) * 0.5
        nodes.append(out)
    return nodes[-1]


@pytest.mark.parametrize("seed", range(40))
def test_random_expression_gradient_matches_central_differences(seed):
    rng = random.Random(seed)
    xs = [rng.uniform(-1.5, 1.5) for _ in range(3)]
    ops = [(rng.choice(OPS), rng.randrange(100), rng.randrange(100)) for _ in range(10)]
    leaves = [Value(x) for x in xs]
    out = evaluate(ops, leaves, Value)
    out.backward()
    assert out.data == pytest.approx(evaluate(ops, xs, float), rel=1e-12, abs=1e-12)
    h = 1e-6
    for k in range(3):
        up, down = list(xs), list(xs)
        up[k] += h
        down[k] -= h
        numeric = (evaluate(ops, up, float) - evaluate(ops, down, float)) / (2 * h)
        assert leaves[k].grad == pytest.approx(numeric, rel=1e-5, abs=1e-6), (ops, k)


def test_reused_nodes_add_their_gradients():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0                       # not 3: both uses of a count
    (a + a).backward()
    assert a.grad == 2.0
    b = Value(-2.0)
    c = a * b
    (c + c * a).backward()                     # d/da (ab + a²b) = b + 2ab
    assert a.grad == pytest.approx(-2.0 + 2 * 3.0 * -2.0)


def test_second_backward_gives_the_same_gradients_not_their_sum():
    a, b = Value(2.0), Value(-3.0)
    out = a * b + a.tanh()
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first


def test_topological_order_puts_every_node_after_its_parents_and_once():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len({id(n) for n in order}) == 5
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    deep = Value(0.5)
    for _ in range(5000):                      # no recursion limit
        deep = deep * 1.0001
    assert len(topological_order(deep)) == 10001


def test_relu_derivative_is_zero_at_the_kink_and_sigmoid_does_not_overflow():
    z = Value(0.0)
    z.relu().backward()
    assert z.grad == 0.0
    big = Value(-1000.0)
    s = big.sigmoid()
    s.backward()
    assert s.data == 0.0 and big.grad == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def test_unsupported_and_invalid_operations_say_why():
    with pytest.raises(TypeError, match="exponent must be a number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(ValueError, match="positive"):
        Value(0.0).log()
    with pytest.raises(TypeError, match="pass a number"):
        Value(Value(1.0))


def test_repr_shows_data_and_grad():
    a = Value(2.0, label="a")
    (a * 3).backward()
    assert repr(a) == "Value(a: data=2, grad=3)"


def test_a_value_mlp_has_the_gradients_of_the_same_nnlib_network():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3))
    y = rng.standard_normal((4, 2))
    layer1, act, layer2 = Dense(3, 5, rng=1), Tanh(), Dense(5, 2, rng=2)
    # nnlib: hand-derived backward passes, MSE = mean over all elements
    out = layer2.forward(act.forward(layer1.forward(x)))
    layer1.backward(act.backward(layer2.backward(2 * (out - y) / out.size)))
    # the same network from scalars
    W1 = [[Value(w) for w in row] for row in layer1.params["W"]]
    b1 = [Value(b) for b in layer1.params["b"]]
    W2 = [[Value(w) for w in row] for row in layer2.params["W"]]
    b2 = [Value(b) for b in layer2.params["b"]]
    loss = Value(0.0)
    for xn, yn in zip(x, y):
        hidden = [sum((w * xi for w, xi in zip(row, xn)), b).tanh() for row, b in zip(W1, b1)]
        outs = [sum((w * hi for w, hi in zip(row, hidden)), b) for row, b in zip(W2, b2)]
        loss = loss + sum((o - t) ** 2 for o, t in zip(outs, yn))
    loss = loss / y.size
    loss.backward()
    np.testing.assert_allclose([[w.grad for w in row] for row in W1], layer1.grads["W"],
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose([b.grad for b in b2], layer2.grads["b"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose([[w.grad for w in row] for row in W2], layer2.grads["W"],
                               rtol=1e-10, atol=1e-12)
