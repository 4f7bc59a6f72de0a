"""nnlib.check and the shared judges: verdicts, strict mode, no results file, time limits.

Each chapter's table of typical wrong and right answers is in tests/answer_keys/chNN.py,
judged by the one contract in tests/test_answer_keys.py.
"""
from __future__ import annotations

import re
import signal
import threading
import time

import numpy as np
import pytest
import sympy as sp

from nnlib import check as check_module

from nnlib.check import CORRECT, NOT_ATTEMPTED, WRONG, CheckFailed, check, is_blank, judge
from nnlib.exercises.judges import Array, Expression, Shape
from nnlib.exercises.timelimit import run_with_time_limit

from answer_keys.learner_code import crashes, endless, endless_and_stubborn, forgets_return

x, s, t, y = sp.symbols("x s t y")
FAST = 0.3  # seconds: the time limit for learners' functions in these tests


def test_functions_whose_body_is_only_ellipsis_are_not_attempted():
    def central_difference(f, x, h):
        """(f(x + h) - f(x - h)) / 2h."""
        # YOUR CODE HERE
        ...

    def sigmoid_prime(x):
        pass

    assert is_blank(central_difference) and is_blank(sigmoid_prime) and is_blank(lambda x: ...)
    assert not is_blank(forgets_return) and not is_blank(np.sin) and not is_blank(0)
    assert judge("1.6b", central_difference).status == NOT_ATTEMPTED
    assert judge("1.4d", sigmoid_prime).status == NOT_ATTEMPTED


def test_check_never_raises_on_odd_answers_and_prints_a_verdict(capsys, monkeypatch):
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)

    class Weird:
        def __float__(self):
            raise RuntimeError("no float for you")

        def __call__(self, *args):
            raise SystemExit("bye")

    for answer in (Weird(), object(), (v for v in range(3)), {"a": 1}, b"9", 1j, np.array([])):
        for exercise_id in ("1.1a", "1.1b", "1.4d", "1.7a"):
            check(exercise_id, answer, time_limit=FAST)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 * 4
    assert all(line.startswith("✘ ") for line in lines), lines


def test_check_prints_the_three_kinds_of_verdict(capsys, monkeypatch):
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)
    check("1.1a", 12 * x**3 - 10 * x + 7)  # 1.1b builds on it
    capsys.readouterr()
    check("1.1b", 9)
    check("1.1b", 3)
    check("1.1b", ...)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✔ 1.1b correct (1/1)"
    assert out[1].startswith("✘ 1.1b wrong (0/1): that is f(1)")
    assert out[2].startswith("… 1.1b not attempted (0/1)")


def test_strict_mode_raises_on_wrong_only(monkeypatch, capsys):
    monkeypatch.setenv("NNLIB_CHECK_STRICT", "1")
    with pytest.raises(CheckFailed, match="1.5b wrong"):
        check("1.5b", -1)
    check("1.5b", ...)   # not attempted: the blank exercises notebook must still run
    check("1.5b", 3)
    with pytest.raises(CheckFailed):
        check("9.9z", 3)
    monkeypatch.setenv("NNLIB_CHECK_STRICT", "0")
    check("1.5b", -1)
    check("9.9z", 3)
    assert "no exercise '9.9z'" in capsys.readouterr().out


def test_check_keeps_each_verdict_in_its_process_and_writes_no_results_file(tmp_path,
                                                                            monkeypatch):
    # The grader judges the answers' values itself: a results file a notebook could append
    # to is no longer written (nor read).
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv("NNLIB_CHECK_RESULTS", str(results))
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)
    before = len(check_module.recorded)
    check("1.4c", 1 - t**2)
    check("1.4b", 1 - s)
    assert not results.exists()
    kept = check_module.recorded[before:]
    assert [(v.id, v.status, v.points, v.max_points) for v in kept] == [
        ("1.4c", CORRECT, 1, 1), ("1.4b", WRONG, 0, 2)]
    assert "only one factor" in kept[1].feedback


def test_slow_simplify_falls_back_to_values_at_random_points(monkeypatch):
    def simplify_forever(expr, *args, **kwargs):
        while True:
            pass

    monkeypatch.setattr(sp, "simplify", simplify_forever)
    judge_ = Expression(x * sp.exp(x), {x: (-1.0, 1.0)}, simplify_seconds=0.2)
    start = time.perf_counter()
    assert judge_(sp.exp(x) * x) == (True, "")
    correct, feedback = judge_(sp.exp(x))
    assert not correct and "at x = " in feedback
    assert time.perf_counter() - start < 3


def test_shape_and_array_judges_name_the_wrong_shape_and_entry():
    assert Shape((2, 3))(np.zeros((2, 3))) == (True, "")
    assert Shape((2, 3))(np.zeros((3, 2)))[1] == "the answer has shape (3, 2), expected shape (2, 3)"
    assert "None" in Shape((2,))(None)[1]
    judge_ = Array(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert judge_([[1, 2], [3, 4]]) == (True, "")
    assert judge_([[1, 2], [3, 5]])[1] == "the entry at index (1, 1) is 5, it should be about 4"
    assert "cannot be read as numbers" in judge_([[1, 2], [3]])[1]


def test_time_limit_stops_an_endless_loop_and_leaves_no_alarm_behind():
    previous = signal.getsignal(signal.SIGALRM)
    timer_before = signal.getitimer(signal.ITIMER_REAL)  # pytest-timeout may have one running
    outcome = run_with_time_limit(endless_and_stubborn, 0.2)
    assert outcome.timed_out
    if timer_before == (0.0, 0.0):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous
    time.sleep(0.15)  # a stray repeating alarm would fire here
    assert run_with_time_limit(lambda: 42, 1.0).value == 42
    assert isinstance(run_with_time_limit(crashes, 1.0).error, ZeroDivisionError)


def test_time_limit_keeps_a_timer_that_was_already_running():
    # pytest-timeout, for one, runs its own ITIMER_REAL alarm around each test.
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *args: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        assert run_with_time_limit(endless, 0.2).timed_out
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 4.0 < left < 5.0 and not fired
        signal.setitimer(signal.ITIMER_REAL, 0.1)  # an outer limit shorter than ours wins
        assert run_with_time_limit(endless, 5.0).timed_out
        time.sleep(0.05)
        assert fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_time_limit_works_outside_the_main_thread():
    stop = threading.Event()

    def endless_until_stopped():
        while not stop.is_set():  # the background thread cannot be killed: let it end
            pass

    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.append(
        (run_with_time_limit(endless_until_stopped, 0.2), run_with_time_limit(lambda: 7, 1.0))))
    worker.start()
    worker.join(5)
    stop.set()
    assert outcomes and outcomes[0][0].timed_out and outcomes[0][1].value == 7


# ------------------------------------------------ feedback that names the cause (issue 7)

def run_cells(*cells: str, **names) -> dict:
    """Run learner cells, as a notebook would, in one namespace that already holds `check`."""
    namespace = {"check": check, "sp": sp, "np": np, **names}
    for cell in cells:
        exec(cell, namespace)
    return namespace


def test_a_symbol_overwritten_by_a_number_is_named(capsys, monkeypatch):
    # Feedback 1: after `x = 1` every later formula in x is a number; say so, not
    # "at x = -0.615 your expression equals ...".
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)
    run_cells("x = 1", "dg = 3*x**2 - 6*x - 9", 'check("1.5a", dg)', x=x)
    out = capsys.readouterr().out
    assert out.startswith("✘ 1.5a wrong (0/1): x is no longer the symbol x: a cell set it to "
                          "the number 1")
    assert 'x = sp.Symbol("x")' in out and "your expression equals" not in out
    # A number part whose formula kept the symbol because `subs(x, ...)` found no x:
    run_cells("x = 1", "g_min = g.subs(x, 3)", 'check("1.5c", g_min)',
              g=x**3 - 3 * x**2 - 9 * x + 5)
    out = capsys.readouterr().out
    assert "x is no longer the symbol x" in out and "substitute a value" not in out
    # A loop variable does the same; a right answer is never blamed on it.
    run_cells("for x in range(3):\n    pass", 'check("1.1a", 12*sp.Symbol("x")**3 - 10*sp.Symbol("x") + 7)',
              x=x)
    assert capsys.readouterr().out.startswith("✔ 1.1a correct")


def test_a_constant_answer_says_it_has_no_x_in_it():
    verdict = judge("1.5a", -12)
    assert verdict.status == WRONG and "the number -12, with no x in it" in verdict.feedback


def test_sympy_zero_over_zero_and_one_over_zero_are_named():
    # Feedback 2: they were "the complex number (nan+nanj)".
    for answer, phrase in [(sp.Integer(0) / 0, "0/0"), (sp.Integer(1) / 0, "1/0"),
                           (sp.nan, "0/0"), (x / 0, "1/0")]:
        feedback = judge("1.1b", answer.subs(x, 1) if hasattr(answer, "subs") else answer).feedback
        assert phrase in feedback and "complex" not in feedback, feedback


def test_near_equal_numbers_never_look_equal():
    # Feedback 3: a float32 answer was "0.0176627 ..., the right value is 0.0176627".
    from nnlib import sigmoid

    def sigmoid_prime(v):
        s32 = sigmoid(np.asarray(v, dtype=np.float32))
        return s32 * (1 - s32)

    feedback = judge("1.4d", sigmoid_prime).feedback
    got, right = re.search(r"returned (\S+) at index 5, the right value is (\S+?),", feedback).groups()
    assert got != right and "off by" in feedback and "float32" in feedback
    feedback = Array(np.array([1.0, 2.0]), rtol=1e-9)([1.0, 2.0000001])[1]
    assert "is 2.0000001, it should be about 2" in feedback and "off by 1e-07" in feedback


def test_a_later_part_points_back_to_the_wrong_earlier_part(capsys, monkeypatch):
    # Feedback 5: a `/h` missing in 1.6b makes 1.7a wrong; the feedback must point to 1.6b.
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)
    run_cells("def central_difference(f, x, h):\n    return (f(x + h) - f(x - h)) / 2",
              'check("1.6b", central_difference)',
              "hs = 10.0 ** -np.arange(1, 5)",
              "errors_central = np.abs(central_difference(np.exp, 1.0, hs) - np.e)",
              'check("1.7a", errors_central)')
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("✘ 1.6b wrong")
    assert lines[1].startswith("✘ 1.7a wrong (0/2): This part uses your answer to 1.6b, which "
                               "is still wrong: get 1.6b right first")
    # Once 1.6b is right, 1.7a's feedback is about 1.7a alone.
    check("1.6b", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h))
    check("1.7a", np.ones(4))
    assert "1.6b" not in capsys.readouterr().out.splitlines()[-1]


def test_feedback_names_no_library_class():
    # Feedback 6: "the answer is a Mul, not a function".
    answers = [3 * x**2, x + 1, x**2, x, sp.Integer(3), sp.Float(2.5), sp.Rational(1, 3),
               sp.exp(x), sp.Function("f"), sp.sin]
    for exercise_id in ("1.4d", "1.6b", "1.1b", "1.7a"):
        for answer in answers:
            feedback = judge(exercise_id, answer, time_limit=FAST).feedback
            assert not re.search(r"\ban? (Mul|Add|Pow|Symbol|Integer|Float|Rational|exp)\b",
                                 feedback), (exercise_id, answer, feedback)


def test_mixed_logarithm_bases_are_named():
    # Feedback 7: "4.60531 is too large" when log10 and ln are mixed: a factor ln 10.
    hs = 10.0 ** -np.arange(1, 5)
    errors = np.abs((np.exp(1 + hs) - np.exp(1 - hs)) / (2 * hs) - np.e)
    mixed = np.polyfit(np.log10(hs), np.log(errors), 1)[0]
    feedback = judge("1.7b", mixed).feedback
    assert "ln 10" in feedback and "np.log10" in feedback and "too large" not in feedback
    assert "log₂ 10" in judge("1.7b", 2 * np.log2(10)).feedback


def test_an_unevaluated_derivative_is_the_question_not_an_answer():
    # "Also": sp.Derivative(f, x) scored as the derivative.
    f = 3 * x**4 - 5 * x**2 + 7 * x - 2
    verdict = judge("1.1a", sp.Derivative(f, x))
    assert verdict.status == WRONG and "unevaluated derivative" in verdict.feedback
    assert judge("1.1a", sp.Derivative(f, x).doit()).status == CORRECT


def test_a_check_cell_whose_answer_is_undefined_gets_a_verdict_not_a_name_error():
    # "Also": `1 - t^2` raises in the answer cell, so the check cell raised a bare NameError.
    from nnlib.check import explain_check_cell_error

    message = explain_check_cell_error(NameError("name 'dtanh_in_t' is not defined",
                                                 name="dtanh_in_t"),
                                       'check("1.4c", dtanh_in_t)', {"check": check})
    assert message.startswith("✘ 1.4c not checked: `dtanh_in_t` is not defined")
    # Feedback 8: `check = True`, then calling it: "'bool' object is not callable".
    message = explain_check_cell_error(TypeError("'bool' object is not callable"),
                                       'check("1.1a", df)', {"check": True})
    assert "`check` is no longer the book's check" in message and "it is now True" in message
    # Any other cell keeps its ordinary traceback.
    assert explain_check_cell_error(NameError("name 'y' is not defined"), "y + 1",
                                    {"check": check}) is None


def test_in_a_kernel_a_failed_check_cell_prints_a_verdict(tmp_path):
    # The same two cases, run in a real Jupyter kernel as a learner's notebook is.
    import nbformat
    from nbclient import NotebookClient

    cells = ["import sympy as sp\nfrom nnlib.check import check\nt = sp.Symbol('t')",
             "dtanh_in_t = 1 - t^2", 'check("1.4c", dtanh_in_t)',
             "print(undefined_name)", "check = True", 'check("1.1b", 9)']
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    shown = ["".join(o.get("traceback", [])) + o.get("text", "")
             for o in (c.outputs[-1] if c.outputs else {} for c in nb.cells[1:])]
    assert "^ is not a power" in "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert shown[1].startswith("✘ 1.4c not checked: `dtanh_in_t` is not defined")
    assert "NameError" in shown[2] and "undefined_name" in shown[2]  # an ordinary cell
    assert shown[4].startswith("✘ 1.1b not checked: `check` is no longer the book's check")
