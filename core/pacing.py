"""Background work that steps aside while people wait for the processor.

An export job runs at the lowest priority (:mod:`accounts.tasks`), so it only
gets a processor nobody else wants. A web server answering phones still
leaves it the short gaps between requests, and every time a request's
process wakes it must first push the export off its processor: capture's p95
came out 10 to 20 % higher while an export ran (benchmark B8c).

Linux's pressure stall information (``/proc/pressure/cpu``) counts how long
some task has waited for a processor. Between chunks of rows, :func:`paced`
reads it and, while others have been waiting, pauses; never longer than
:data:`PAUSE_PER_WORK` times what the chunk took, so a job still ends under a
load that never lets up, at a fifth of its speed at worst. Where the kernel
gives no such figure, nothing pauses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

Item = TypeVar("Item")

PRESSURE = Path("/proc/pressure/cpu")
# Others waiting for a processor this share of the time means people are.
BUSY = 0.25
# A pause is taken in steps, so that work resumes soon after the load ends.
STEP_SECONDS = 0.1
PAUSE_PER_WORK = 4
EVERY = 500


def cpu_stalled_us() -> int | None:
    """Microseconds some task has waited for a processor since boot, or None."""
    try:
        text = PRESSURE.read_text()
    except OSError:
        return None
    return stalled_in(text)


def stalled_in(text: str) -> int | None:
    """The ``some`` line's total in a PSI file's text."""
    for line in text.splitlines():
        kind, *fields = line.split() or [""]
        if kind == "some":
            for field in fields:
                name, _, value = field.partition("=")
                if name == "total" and value.isdigit():
                    return int(value)
    return None


def paced(
    items: Iterable[Item],
    *,
    every: int | None = None,
    stalled: Callable[[], int | None] | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[Item]:
    """Yield ``items``; after each ``every``, pause while the processor is
    wanted by others, for at most :data:`PAUSE_PER_WORK` times the chunk's time.
    """
    every, stalled = every or EVERY, stalled or cpu_stalled_us
    clock, sleep = clock or time.monotonic, sleep or time.sleep
    mark = stalled()
    if mark is None:
        yield from items
        return
    since = clock()
    for count, item in enumerate(items, 1):
        yield item
        if count % every:
            continue
        worked = clock() - since
        now = stalled()
        busy = _busy(now, mark, worked)
        allowed, paused = worked * PAUSE_PER_WORK, 0.0
        while busy and paused < allowed:
            step = min(STEP_SECONDS, allowed - paused)
            before, started = now, clock()
            sleep(step)
            took = clock() - started
            paused += max(took, step)
            now = stalled()
            busy = _busy(now, before, took)
        mark, since = now, clock()


def _busy(now: int | None, before: int | None, seconds: float) -> bool:
    if now is None or before is None or seconds <= 0:
        return False
    return (now - before) / 1e6 > BUSY * seconds
