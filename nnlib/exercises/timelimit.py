"""Run a learner's function under a time limit, so an endless loop gives feedback, not a hang.

In the main thread of a Unix process (a notebook kernel, pytest, the command line)
the limit is enforced with ``signal.setitimer``: the alarm raises an exception inside
the running code and stops it (unless that code catches every exception, with a bare
``except:``, and loops on).  Elsewhere (another thread, Windows) the call runs in a
daemon thread and we stop *waiting* for it after the limit; the thread itself cannot
be stopped and spins on in the background, which is still better than a frozen notebook.
"""
from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable


class TimeLimitExceeded(BaseException):
    """Raised inside the timed code.  A BaseException, so `except Exception:` cannot swallow it."""


@dataclass
class Outcome:
    """What happened: ``timed_out``, else ``error`` (the exception raised) or ``value``."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False


def run_with_time_limit(fn: Callable[[], Any], seconds: float) -> Outcome:
    """Call ``fn()``; return its value or exception, or ``timed_out=True`` after ``seconds``."""
    if _can_use_alarm():
        return _run_with_alarm(fn, seconds)
    return _run_in_thread(fn, seconds)


def _can_use_alarm() -> bool:
    # Only the main thread receives signals.
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _run_with_alarm(fn, seconds: float) -> Outcome:
    # A timer already running (pytest-timeout's, say) is paused and re-armed afterwards
    # with the time it had left, so both limits hold.
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    if outer_left > 0:
        seconds = min(seconds, outer_left)
    armed = [True]

    def on_alarm(signum, frame):
        if armed[0]:
            raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)

    def disarm():
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            left = max(outer_left - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)

    outcome = None
    # The alarm repeats every 50 ms, so code that swallows one (a bare `except:` inside
    # a loop) is likely stopped by a later one.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        try:
            outcome = Outcome(value=fn())
        except TimeLimitExceeded:
            outcome = Outcome(timed_out=True)
        except BaseException as error:  # the learner's code may raise anything, even SystemExit
            outcome = Outcome(error=error)
    except TimeLimitExceeded:  # the alarm landed in a handler above, just after fn stopped
        outcome = outcome or Outcome(timed_out=True)
    finally:
        # An alarm may land while we disarm; disarm again until it sticks.
        while True:
            try:
                disarm()
                break
            except TimeLimitExceeded:
                continue
    return outcome


def _run_in_thread(fn, seconds: float) -> Outcome:
    box: list[Outcome] = []

    def target():
        try:
            box.append(Outcome(value=fn()))
        except BaseException as error:
            box.append(Outcome(error=error))

    worker = threading.Thread(target=target, daemon=True, name="nnlib-check-call")
    worker.start()
    worker.join(seconds)
    return box[0] if box else Outcome(timed_out=True)
