"""How an answer is judged: by meaning, never by spelling.

Each judge is called as ``judge(answer, time_limit) -> (correct, feedback)`` and never
raises: whatever a learner hands in (None, NaN, a string, a function that loops or
crashes) comes back as "wrong" with a sentence that says what is wrong and where.

- ``Number``      one real number within a tolerance
- ``Shape``       an array of a given shape
- ``Array``       an array of the right shape whose entries match within a tolerance
- ``Expression``  a sympy expression equal to the expected one (``simplify(a - b) == 0``,
                  and, where simplify gives up or runs out of time, equal values at
                  random points of the variables' ranges)
- ``Function``    a Python function compared with a reference (an exact formula or
                  central differences) on several inputs; it runs under a time limit
                  and must not change its inputs in place

``mistakes`` lists typical wrong answers with the feedback each deserves: an answer
that equals one of them gets that sentence rather than a generic one.
"""
from __future__ import annotations

import copy
import zlib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .timelimit import run_with_time_limit

Judgement = tuple[bool, str]  # (correct, feedback)


def fmt(value) -> str:
    """A number as a reader would write it: 6 significant digits, no trailing noise."""
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return repr(value)


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def fmt_pair(got, expected) -> tuple[str, str]:
    """Two numbers written with just enough digits (6 to 17 significant) to look different."""
    try:
        a, b = float(got), float(expected)
    except (TypeError, ValueError):
        return fmt(got), fmt(expected)
    for digits in range(6, 18):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            return left, right
    return left, right


def gap(got, expected) -> str:
    """'off by 3.1e-08 (relative 1.8e-06)': the distance between an answer and the right value."""
    a, b = float(got), float(expected)
    text = f"off by {abs(a - b):.2g}"
    return text + (f" (relative {abs(a - b) / abs(b):.2g})" if b != 0 else "")


def _is_sympy(answer) -> bool:
    return type(answer).__module__.startswith("sympy")


def _told(answer) -> str:
    """The phrase a grader's stand-in for a learner's value carries, or ''."""
    try:
        space = vars(answer)
    except TypeError:  # no __dict__: numbers, strings, arrays, ...
        return ""
    told = space.get("__nnlib_describe__") if isinstance(space, dict) else None
    return told if isinstance(told, str) else ""


def describe(answer) -> str:
    """A short phrase naming what an answer is, in a learner's words (never a library's class
    name): 'None', 'the string ...', 'the number 3', 'the formula 3*x**2', 'a list of 3 items'.

    A value the grader could only receive as a description from a learner's kernel
    (``nnlib.grade_kernel.Opaque``) carries the phrase this function gave for it there.
    """
    told = _told(answer)
    if told:
        return told
    if answer is None:
        return "None"
    if isinstance(answer, (bool, np.bool_)):
        return f"{answer} (a yes-or-no value, not a number)"
    if isinstance(answer, str):
        return f"the string {answer[:40]!r}"
    if isinstance(answer, np.ndarray):
        return f"an array of shape {answer.shape}"
    if isinstance(answer, (int, float, complex, np.number)):
        return f"the number {answer}"
    if isinstance(answer, (list, tuple, set, dict)):
        items = "item" if len(answer) == 1 else "items"
        kind = {list: "list", tuple: "tuple", set: "set", dict: "dict"}.get(type(answer), "collection")
        return f"{_a(kind)} of {len(answer)} {items}"
    if _is_sympy(answer):
        if getattr(answer, "is_Function", False) or isinstance(answer, type):
            return f"the function {answer} itself (not applied to anything)"
        if getattr(answer, "is_Relational", False):
            return f"the equation {str(answer)[:60]}"
        if getattr(answer, "is_number", False):
            return f"the number {str(answer)[:60]}"
        return f"the formula {str(answer)[:60]}"
    if callable(answer):
        return f"the function {getattr(answer, '__name__', 'you gave')}"
    return f"an object of type {type(answer).__name__}"


def _none_feedback(what: str) -> str:
    return (f"the answer is None, not {what}: did you assign it to the variable "
            "(rather than print it), and does your function `return` it?")


def _close(a, b, rtol, atol) -> bool:
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


# ---------------------------------------------------------------------------- numbers

def as_real_number(answer) -> tuple[float | None, str]:
    """(value, '') for anything that is one real number, else (None, why not)."""
    if answer is None:
        return None, _none_feedback("a number")
    if isinstance(answer, (bool, np.bool_)):
        return None, f"the answer is {answer} (a bool), not a number"
    if isinstance(answer, str):
        return None, f"the answer is {describe(answer)}: write the number itself, without quotes"
    if callable(answer) and not hasattr(answer, "__float__"):
        return None, f"the answer is {describe(answer)}: call it, or give the number it computes"
    if hasattr(answer, "free_symbols") and getattr(answer, "free_symbols", None):
        names = ", ".join(sorted(str(s) for s in answer.free_symbols))
        return None, (f"the answer still contains the symbol(s) {names}: substitute a value "
                      "(e.g. expr.subs(x, 1)) to get a number")
    if isinstance(answer, (list, tuple)) or isinstance(answer, np.ndarray):
        size = np.size(answer) if not isinstance(answer, (list, tuple)) else len(answer)
        if size != 1:
            return None, f"the answer is {describe(answer)}: give one number"
        answer = np.ravel(np.asarray(answer, dtype=object))[0]
        return as_real_number(answer)
    if _is_sympy(answer):
        text = str(answer)
        if text == "nan":
            return None, ("the answer is nan, 'not a number': what sympy gives for 0/0 (or a "
                          "limit it cannot take by substitution); simplify before substituting")
        if text in ("zoo", "oo", "-oo"):
            return None, (f"the answer is {text}, an infinity: what sympy gives for a division "
                          "by zero such as 1/0")
    try:
        value = complex(answer)
    except (TypeError, ValueError, OverflowError):
        return None, f"the answer is {describe(answer)}, not a number"
    if np.isnan(value.real) or np.isnan(value.imag):
        return None, "the answer is NaN (not a number): a 0/0 or a log of a negative number?"
    if value.imag != 0:
        return None, f"the answer is the complex number {value}, expected a real number"
    value = value.real
    if np.isnan(value):
        return None, "the answer is NaN (not a number): a 0/0 or a log of a negative number?"
    if np.isinf(value):
        return None, "the answer is infinite: a division by zero?"
    return value, ""


@dataclass
class Number:
    """One real number, correct when |answer - expected| <= atol + rtol * |expected|.

    ``mistakes``: (value, feedback) or (value, feedback, atol) for a wider match.
    """

    expected: float
    rtol: float = 1e-6
    atol: float = 1e-9
    mistakes: tuple = ()

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        value, why = as_real_number(answer)
        if value is None:
            return False, why
        if _close(value, self.expected, self.rtol, self.atol):
            return True, ""
        for wrong, message, *tolerance in self.mistakes:
            if _close(value, wrong, 1e-9, 1e-12):  # exactly a known mistake
                return False, message
        confusion = log_base_confusion(value, self.expected)
        if confusion:
            return False, f"{fmt(value)} is {confusion}"
        for wrong, message, *tolerance in self.mistakes:
            # A mistake may carry its own absolute tolerance (e.g. a ratio read off a table).
            if _close(value, wrong, self.rtol, tolerance[0] if tolerance else self.atol):
                return False, message
        if self.expected != 0 and _close(value, -self.expected, self.rtol, self.atol):
            return False, f"{fmt(value)} has the wrong sign"
        side = "too large" if value > self.expected else "too small"
        return False, f"{fmt(value)} is {side}"


#: (factor, what mixes up to give it): logarithms of two bases differ by a constant factor
LOG_FACTORS = (
    (np.log(10), "ln 10 ≈ 2.303", "the natural log (np.log) in one place and log base 10 "
                                  "(np.log10) in another"),
    (np.log2(10), "log₂ 10 ≈ 3.322", "log base 2 (np.log2) in one place and log base 10 "
                                      "(np.log10) in another"),
    (1 / np.log(2), "1/ln 2 ≈ 1.443", "log base 2 (np.log2) in one place and the natural log "
                                       "(np.log) in another"),
)


def log_base_confusion(value: float, expected: float, rtol: float = 0.02) -> str:
    """'' or the phrase naming a known confusion: value/expected is a ratio of two logarithms,
    such as ln 10 when natural and base-10 logs are mixed (e.g. np.log(y) against np.log10(x))."""
    if expected == 0 or value == 0 or not np.isfinite(value):
        return ""
    ratio = value / expected
    for factor, name, mix in LOG_FACTORS:
        for r, times in ((factor, name), (1 / factor, f"1/({name})")):
            if abs(ratio - r) <= rtol * r:
                return (f"{times} times the right value: that is what mixing {mix} gives; "
                        "use one kind of logarithm for both axes")
    return ""


# ----------------------------------------------------------------------------- arrays

def as_float_array(answer, what: str) -> tuple[np.ndarray | None, str]:
    """(array, '') for anything numpy reads as real numbers, else (None, why not)."""
    if answer is None:
        return None, _none_feedback(what)
    if isinstance(answer, str) or (callable(answer) and not hasattr(answer, "__array__")):
        return None, f"the answer is {describe(answer)}, not {what}"
    try:
        array = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError) as error:
        return None, f"the answer ({describe(answer)}) cannot be read as numbers: {error}"
    return array, ""


@dataclass
class Shape:
    """An array (or anything numpy reads as one) of exactly ``expected`` shape."""

    expected: tuple
    what: str = "an array"

    def problem(self, array: np.ndarray) -> str:
        """'' when the shape is right, else the sentence that says how it is wrong."""
        if array.shape == tuple(self.expected):
            return ""
        return f"the answer has shape {array.shape}, expected shape {tuple(self.expected)}"

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        array, why = as_float_array(answer, self.what)
        if array is None:
            return False, why
        why = self.problem(array)
        return not why, why


@dataclass
class Array:
    """An array of ``expected``'s shape whose entries all agree within the tolerance.

    ``label(i)`` names entry ``i`` in feedback (e.g. 'h = 0.01'); by default 'index i'.
    """

    expected: Any
    rtol: float = 1e-6
    atol: float = 0.0
    mistakes: tuple = ()
    label: Callable[[tuple], str] | None = None
    what: str = "an array"

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        expected = np.asarray(self.expected, dtype=np.float64)
        array, why = as_float_array(answer, self.what)
        if array is None:
            return False, why
        why = Shape(expected.shape, self.what).problem(array)
        if why:
            return False, why
        bad = ~np.isfinite(array)
        if bad.any():
            index = tuple(int(i) for i in np.argwhere(bad)[0])
            return False, f"the entry at {self._name(index)} is {array[index]} (not a finite number)"
        if _close(array, expected, self.rtol, self.atol):
            return True, ""
        for wrong, message in self.mistakes:
            if np.shape(wrong) == array.shape and _close(array, wrong, self.rtol, self.atol):
                return False, message
        far = ~np.isclose(array, expected, rtol=self.rtol, atol=self.atol)
        index = tuple(int(i) for i in np.argwhere(far)[0])
        got, want = fmt_pair(array[index], expected[index])
        return False, (f"the entry at {self._name(index)} is {got}, it should be about {want}"
                       + _far_apart(array[index], expected[index], answer))

    def _name(self, index: tuple) -> str:
        return self.label(index) if self.label else f"index {index if len(index) > 1 else index[0]}"


def _far_apart(got, expected, answer) -> str:
    """The gap, when the two numbers agree in their first 6 digits (so they look alike), and
    a note when the answer was computed in single precision."""
    a, b = fmt(got), fmt(expected)
    close = a == b or abs(float(got) - float(expected)) < 1e-4 * abs(float(expected))
    note = f", {gap(got, expected)}" if close else ""
    if np.asarray(answer).dtype in (np.float32, np.float16):
        note += (": your numbers are float32, which keeps only about 7 digits; compute in "
                 "float64 (numpy's default) instead")
    return note


# ------------------------------------------------------------------------ expressions

@dataclass
class Expression:
    """A sympy expression equal to ``expected`` as a function of ``variables``.

    ``variables`` maps each allowed sympy Symbol to the (low, high) range where the
    expressions are compared (e.g. x > 0 for ln x).  Symbols are matched by name, so
    a learner's ``sp.Symbol('x', real=True)`` is the same x.  A string such as
    ``'3*x**2'`` is read with those symbols.  ``symbol_note`` is added when the answer
    uses a symbol it should not (e.g. 'write it in s only: s stands for σ(x)').
    ``simplify_seconds`` bounds sympy's simplify (the values at random points decide when
    it runs out), ``evaluate_seconds`` the evaluation of the learner's expression.
    """

    expected: Any
    variables: dict
    mistakes: tuple = ()
    symbol_note: str = ""
    n_points: int = 8
    rtol: float = 1e-8
    simplify_seconds: float = 2.0
    evaluate_seconds: float = 5.0

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        import sympy as sp

        limit = time_limit or self.evaluate_seconds
        expr, why = self._as_expression(answer, limit)
        if expr is None:
            return False, why
        names = {s.name: s for s in self.variables}
        unknown = sorted(s.name for s in expr.free_symbols if s.name not in names)
        if unknown:
            allowed = ", ".join(names)
            note = f" ({self.symbol_note})" if self.symbol_note else ""
            return False, (f"your expression uses {', '.join(unknown)}, but the answer must be "
                           f"written in {allowed} only{note}")
        expr = expr.xreplace({s: names[s.name] for s in expr.free_symbols})
        if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return False, "your expression contains nan or an infinity (zoo, oo): a division by zero?"
        if expr.atoms(sp.core.function.AppliedUndef):
            return False, "your expression contains an undefined function: write it out with x, exp, log, ..."

        points = self._points()
        mine = run_with_time_limit(lambda: [self._value(expr, p) for p in points], limit)
        if mine.timed_out:
            return False, f"your expression took more than {limit:g} s to evaluate"
        if mine.error is not None:
            return False, f"your expression cannot be evaluated: {type(mine.error).__name__}: {mine.error}"
        target = [self._value(self.expected, p) for p in points]
        for p, a, e in zip(points, mine.value, target):
            if np.isfinite(e) and not (np.isfinite(a) and abs(a.imag) <= 1e-12 * (1 + abs(a))):
                return False, f"at {self._where(p)} your expression is {a}, not a real number"

        difference = run_with_time_limit(lambda: sp.simplify(expr - self.expected),
                                         time_limit or self.simplify_seconds)
        if difference.error is None and not difference.timed_out and difference.value == 0:
            return True, ""
        # simplify does not always find a zero (nor in time); equal values at random
        # points of the range are then the evidence.
        if self._same(mine.value, target):
            return True, ""
        return False, self._diagnose(expr, points, mine.value, target)

    def _as_expression(self, answer, limit):
        import sympy as sp

        if answer is None:
            return None, _none_feedback("an expression")
        if isinstance(answer, (bool, np.bool_)):
            return None, f"the answer is {answer} (a bool), not an expression"
        if isinstance(answer, sp.FunctionClass):
            return None, (f"the answer is the function {answer} itself: apply it, "
                          f"e.g. {answer}(x), inside your expression")
        if isinstance(answer, str):
            local = {s.name: s for s in self.variables}
            # convert_xor reads x^2 as a power, as a reader of the string means it.
            rules = sp.parsing.sympy_parser.standard_transformations + (
                sp.parsing.sympy_parser.convert_xor,)
            parsed = run_with_time_limit(
                lambda: sp.parse_expr(answer, local_dict=local, transformations=rules), limit)
            if parsed.error is not None or parsed.timed_out:
                return None, f"the string {answer!r} is not a formula sympy can read"
            answer = parsed.value
        if isinstance(answer, (int, float, np.integer, np.floating)):
            answer = sp.sympify(answer)
        if isinstance(answer, sp.logic.boolalg.Boolean) and answer.has(sp.Xor):
            return None, "`^` is 'exclusive or' in Python: write powers with `**`, e.g. x**3"
        if isinstance(answer, sp.core.relational.Relational):
            return None, "the answer is an equation: give only the expression (its right-hand side)"
        if isinstance(answer, sp.Expr):
            # An unevaluated Derivative (or Integral, Limit) is the question, not an answer.
            unevaluated = answer.atoms(sp.Derivative, sp.Integral, sp.Limit)
            if unevaluated:
                kind = {sp.Derivative: "derivative", sp.Integral: "integral",
                        sp.Limit: "limit"}[type(next(iter(unevaluated)))]
                return None, (f"your answer is an unevaluated {kind}, {next(iter(unevaluated))}: "
                              "that restates the question; work it out and give the result")
            return answer, ""
        if callable(answer):
            return None, (f"the answer is {describe(answer)}, a Python function: give a sympy "
                          "expression instead, e.g. 3*x**2")
        return None, f"the answer is {describe(answer)}, expected one sympy expression"

    def _points(self) -> list[dict]:
        # Fixed per exercise, so a verdict never changes from one run to the next.
        rng = np.random.default_rng(zlib.crc32(str(self.expected).encode()))
        return [{s: float(rng.uniform(lo, hi)) for s, (lo, hi) in self.variables.items()}
                for _ in range(self.n_points)]

    @staticmethod
    def _value(expr, point) -> complex:
        try:
            return complex(expr.evalf(30, subs=point))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return complex(np.nan)

    def _same(self, values, target) -> bool:
        return all(abs(a - e) <= self.rtol * (1 + abs(e)) for a, e in zip(values, target))

    def _where(self, point) -> str:
        return ", ".join(f"{s} = {v:.3g}" for s, v in point.items())

    def _diagnose(self, expr, points, values, target) -> str:
        for wrong, message in self.mistakes:
            if self._same(values, [self._value(wrong, p) for p in points]):
                return message
        names = {s.name for s in self.variables}
        if not expr.free_symbols and any(
                s.name in names for s in getattr(self.expected, "free_symbols", ())):
            needed = ", ".join(sorted(s.name for s in self.expected.free_symbols))
            return (f"your answer is {describe(expr)}, with no {needed} in it, but the "
                    f"right answer changes with {needed}. (If a cell gave {needed} a "
                    f"number, e.g. {needed} = 1, then {needed} is no longer the symbol "
                    f"{needed} and every formula after it uses that number.)")
        a, e = np.array(values).real, np.array(target).real
        if self._same(values, list(-np.array(target))):
            return "your expression has the wrong sign (it is minus the right answer)"
        big = np.abs(e) > 1e-9
        if big.sum() >= 2:
            ratio = a[big] / e[big]
            if np.allclose(ratio, ratio[0], rtol=1e-7) and ratio[0] != 0:
                return (f"your expression is {fmt(ratio[0])} times the right answer: a constant "
                        "factor is missing or extra (for the chain rule: the inner derivative)")
        offset = a - e
        if np.allclose(offset, offset[0], rtol=1e-7, atol=1e-9):
            return (f"your expression is off by the constant {fmt(offset[0])} everywhere: "
                    "check its constant terms")
        first = next(i for i in range(len(points))
                     if abs(values[i] - target[i]) > self.rtol * (1 + abs(target[i])))
        return (f"at {self._where(points[first])} your expression equals {fmt(a[first])}, "
                f"but the right answer there is {fmt(e[first])}")


# ------------------------------------------------------------------- parts that build on parts

@dataclass
class BuildsOn:
    """The judge of a part that uses the learner's own answers to earlier ``parts``.

    It judges exactly as ``judge`` does; ``nnlib.check`` reads ``builds_on`` and, when this
    part is wrong while one of those parts is wrong or not done, says so and points back.
    """

    parts: tuple
    judge: Callable

    @property
    def builds_on(self) -> tuple:
        return (self.parts,) if isinstance(self.parts, str) else tuple(self.parts)

    @property
    def variables(self) -> dict:
        return getattr(self.judge, "variables", {})

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        return self.judge(answer, time_limit)


# -------------------------------------------------------------------------- functions

@dataclass
class Case:
    """One input of a ``Function`` check: the positional ``args`` and how feedback names them."""

    args: tuple
    label: str


@dataclass
class Function:
    """A Python function that agrees with ``reference`` on every case.

    Each call runs under a time limit on copies of the inputs; an input changed in
    place, an exception, None, NaN, a wrong shape or a wrong value is reported with
    the first case where it happens.
    """

    reference: Callable
    cases: list
    rtol: float = 1e-7
    atol: float = 1e-10
    mistakes: tuple = ()
    time_limit: float = 2.0

    def __call__(self, answer, time_limit: float | None = None) -> Judgement:
        limit = time_limit or self.time_limit
        if answer is None:
            return False, _none_feedback("a function")
        if not callable(answer) or (_is_sympy(answer) and not isinstance(answer, type)):
            return False, (f"the answer is {describe(answer)}, not a function: define a Python "
                           "function with def, and return the value from it")
        name = getattr(answer, "__name__", "your function")
        for case in self.cases:
            why = self._judge_case(answer, name, case, limit)
            if why:
                return False, why
        return True, ""

    def _judge_case(self, answer, name, case, limit) -> str:
        given = copy.deepcopy(case.args)
        outcome = run_with_time_limit(lambda: answer(*given), limit)
        where = f"for {case.label}"
        if outcome.timed_out:
            return f"{name} did not finish within {limit:g} s {where} (an endless loop?)"
        if outcome.error is not None:
            error = outcome.error
            return f"{name} raised {type(error).__name__}: {error} {where}"
        for position, (before, after) in enumerate(zip(case.args, given)):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
                return (f"{name} changed its input (argument {position + 1}) in place {where}: "
                        "compute new arrays (y = x + h) instead of changing x (x += h)")
        if outcome.value is None:
            return f"{name} returned None {where}: did you forget `return`?"
        got, why = as_float_array(outcome.value, "a number or an array")
        if got is None:
            return f"{name} returned {describe(outcome.value)} {where}, not numbers"
        expected = np.asarray(self.reference(*copy.deepcopy(case.args)), dtype=np.float64)
        if got.shape != expected.shape:
            return f"{name} returned shape {got.shape} {where}, expected shape {expected.shape}"
        if not np.all(np.isfinite(got)):
            return f"{name} returned {got.ravel()[~np.isfinite(got.ravel())][0]} {where}"
        if _close(got, expected, self.rtol, self.atol):
            return ""
        for wrong, message in self.mistakes:
            guess = np.asarray(wrong(*copy.deepcopy(case.args)), dtype=np.float64)
            if guess.shape == got.shape and _close(got, guess, self.rtol, self.atol):
                return f"{message} (seen {where})"
        far = ~np.isclose(got, expected, rtol=self.rtol, atol=self.atol)
        index = tuple(int(i) for i in np.argwhere(far)[0])
        at = f" at index {index if len(index) > 1 else index[0]}" if got.ndim else ""
        mine, right = fmt_pair(got[index], expected[index])
        return (f"{name} {where} returned {mine}{at}, the right value is {right}"
                + _far_apart(got[index], expected[index], outcome.value))
