"""An export job steps aside while people's requests wait for the processor."""

import pytest

from core import pacing

# What Linux writes in /proc/pressure/cpu (the "full" line is all zero for
# the processor as a whole).
PSI = (
    "some avg10=23.67 avg60=36.41 avg300=19.12 total=378190634\n"
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
)


class Machine:
    """A clock, a sleep and a stall counter: ``waiting`` is the share of the
    time some task waits for a processor (0 idle, 1 saturated)."""

    def __init__(self, waiting: float, *, per_item=0.01, calm_from_pause=None):
        self.now, self.stall_us = 0.0, 0
        self.waiting, self.per_item = waiting, per_item
        self.calm_from_pause = calm_from_pause  # the load ends during this pause
        self.pauses: list[float] = []

    def clock(self) -> float:
        return self.now

    def stalled(self) -> int:
        return self.stall_us

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.stall_us += int(seconds * self.waiting * 1e6)

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if len(self.pauses) == self.calm_from_pause:
            self.waiting = 0.0
        self.advance(seconds)

    def items(self, count: int):
        for number in range(count):
            self.advance(self.per_item)  # the work of producing one row
            yield number

    def paced(self, count: int, every: int) -> list[int]:
        return list(
            pacing.paced(
                self.items(count),
                every=every,
                stalled=self.stalled,
                clock=self.clock,
                sleep=self.sleep,
            )
        )


def test_an_idle_machine_never_pauses():
    machine = Machine(waiting=0.05)

    assert machine.paced(1000, every=100) == list(range(1000))
    assert machine.pauses == []


def test_a_busy_machine_pauses_after_each_chunk_at_most_four_times_its_work():
    machine = Machine(waiting=0.9)

    assert machine.paced(1000, every=100) == list(range(1000))

    # Ten chunks of one second's work: each followed by four seconds' pause
    # (the cap), in steps of at most a tenth of a second.
    assert sum(machine.pauses) == pytest.approx(10 * 4.0)
    assert max(machine.pauses) <= pacing.STEP_SECONDS + 1e-9
    assert machine.now == pytest.approx(10 * 1.0 + 40.0)


def test_work_resumes_as_soon_as_the_load_ends():
    machine = Machine(waiting=0.9, calm_from_pause=3)

    assert machine.paced(300, every=100) == list(range(300))

    # The third step found no one waiting: the pause ended there, and the
    # chunks after it ran straight on.
    assert machine.pauses == pytest.approx([0.1, 0.1, 0.1])
    assert machine.now == pytest.approx(3.0 + 0.3)


def test_without_pressure_figures_nothing_pauses(monkeypatch, tmp_path):
    monkeypatch.setattr(pacing, "PRESSURE", tmp_path / "no-psi")
    slept = []
    monkeypatch.setattr(pacing.time, "sleep", slept.append)

    assert pacing.cpu_stalled_us() is None
    assert list(pacing.paced(range(2000), every=1)) == list(range(2000))
    assert slept == []


def test_the_kernels_figure_is_read_from_the_some_line(tmp_path, monkeypatch):
    psi = tmp_path / "cpu"
    psi.write_text(PSI)
    monkeypatch.setattr(pacing, "PRESSURE", psi)

    assert pacing.cpu_stalled_us() == 378190634
    assert pacing.stalled_in("full avg10=0.00 total=12\n") is None
    assert pacing.stalled_in("\n" + PSI) == 378190634
