"""nnlib.check and the shared judges: verdicts, strict mode, the results file, time limits.

Each chapter's table of typical wrong and right answers is in tests/answer_keys/chNN.py,
judged by the one contract in tests/test_answer_keys.py.
"""
from __future__ import annotations

import json
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


def test_check_records_each_verdict_for_the_grader(tmp_path, monkeypatch):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv("NNLIB_CHECK_RESULTS", str(results))
    monkeypatch.delenv("NNLIB_CHECK_STRICT", raising=False)
    before = len(check_module.recorded)
    check("1.4c", 1 - t**2)
    check("1.4b", 1 - s)
    lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert [(v["id"], v["status"], v["points"], v["max_points"]) for v in lines] == [
        ("1.4c", CORRECT, 1, 1), ("1.4b", WRONG, 0, 2)]
    assert "only one factor" in lines[1]["feedback"]
    assert [v.id for v in check_module.recorded[before:]] == ["1.4c", "1.4b"]


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
