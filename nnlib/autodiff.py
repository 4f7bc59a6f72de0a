"""A scalar reverse-mode automatic differentiation engine: the machine behind backpropagation.

    >>> from nnlib.autodiff import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> c = a * b + a          # c = ab + a, a graph of three nodes and two operations
    >>> c.backward()           # fills dc/d(node) for every node c depends on
    >>> a.grad, b.grad         # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)

Each operation creates a new ``Value`` that remembers its inputs (``parents``) and how to
pass a gradient back to them (``_backward``, the operation's local derivatives times the
incoming gradient).  ``backward`` visits the nodes in reverse topological order, so a node
passes its gradient back only once every node that uses it has added its share: gradients
add (``+=``) where a node feeds two places.
"""
from __future__ import annotations

import math

__all__ = ["Value", "topological_order"]


class Value:
    """A scalar in an expression graph: ``data`` (its value) and ``grad`` (d output / d self).

    Supports ``+ - * /`` with Values or numbers on either side, ``** number``, unary ``-``,
    and ``exp log tanh sigmoid relu``.  ``label`` is an optional name for drawings.
    """

    __slots__ = ("data", "grad", "parents", "op", "label", "_backward")

    def __init__(self, data, parents=(), op: str = "", label: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(Value(...)): pass a number, or use the Value itself")
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self.op = op
        self.label = label
        self._backward = lambda: None

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ---- arithmetic: each result's _backward adds local derivative x incoming gradient
    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                     # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                     # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("Value ** Value is not supported: the exponent must be a number "
                            "(write exp(b * log(a)) for a**b with a Value b)")
        n = float(exponent)
        out = Value(self.data ** n, (self,), f"**{exponent:g}")

        def _backward():                     # d(aⁿ)/da = n aⁿ⁻¹
            self.grad += n * self.data ** (n - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_as_value(other))

    def __truediv__(self, other):
        return self * _as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return _as_value(other) / self

    # ---- functions of one input
    def _unary(self, value: float, local_derivative: float, op: str):
        out = Value(value, (self,), op)

        def _backward():
            self.grad += local_derivative * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """eᵃ; derivative eᵃ."""
        e = math.exp(self.data)
        return self._unary(e, e, "exp")

    def log(self):
        """ln a (a > 0); derivative 1/a."""
        if self.data <= 0:
            raise ValueError(f"log of {self.data:g}: the logarithm needs a positive number")
        return self._unary(math.log(self.data), 1.0 / self.data, "log")

    def tanh(self):
        """tanh a; derivative 1 - tanh² a."""
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t, "tanh")

    def sigmoid(self):
        """σ(a) = 1/(1 + e⁻ᵃ), computed without overflow; derivative σ(1 - σ)."""
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return self._unary(s, s * (1.0 - s), "σ")

    def relu(self):
        """max(a, 0); derivative 1 for a > 0, else 0 (0 at the kink, as nnlib's ReLU)."""
        return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0, "relu")

    # ---- the reverse pass
    def backward(self) -> None:
        """Fill ``grad`` of every node this one depends on with d(self)/d(node).

        The output's own gradient is set to 1 and every other node's ``grad`` of the graph
        is reset to 0 first, so calling ``backward`` twice gives the same gradients (it does
        not add them up).  To add the gradients of several outputs, sum the outputs first.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def _as_value(x) -> Value:
    return x if isinstance(x, Value) else Value(x)


def topological_order(output: Value) -> list[Value]:
    """Every node ``output`` depends on, each after all of its parents (inputs first).

    Depth-first, iterative (deep graphs do not hit Python's recursion limit).
    """
    order, visited = [], set()
    stack = [(output, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        stack.extend((parent, False) for parent in node.parents if id(parent) not in visited)
    return order
