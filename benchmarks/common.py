"""What every benchmark shares: its figures, how they are printed and passed on.

Each benchmark is a script run in its own process (``python -m benchmarks.<name>``)
so that memory figures are its own and each can point at its own database
through ``DATABASE_URL``. It writes its figures as JSON lines to the file given
by ``--out``; ``benchmarks/run.py`` collects them and prints one table.

A figure is a ratio against a baseline measured in the same run on the same
data, because absolute times on a shared machine are noise.
"""

import json
import os
import resource
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    """One line of the table: ``value`` against ``baseline``, checked by ``target``.

    ``target`` is ``("<=", 1.5)`` or ``(">=", 0.25)`` on ``ratio`` (value /
    baseline), or on ``value`` itself when ``on`` is ``"value"`` (for figures
    with an absolute budget: milliseconds, megabytes, kilobytes).
    """

    code: str  # "B1", "B4a" ...
    label: str  # what was measured, in plain words
    value: float
    unit: str  # "rows/s", "ms", "MB", "KB", "s"
    baseline: float | None = None
    baseline_label: str = ""
    target: tuple[str, float] | None = None
    on: str = "ratio"  # "ratio" or "value"
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        checked = self.ratio if self.on == "ratio" else self.value
        if checked is None:
            return False
        operator, bound = self.target
        return checked <= bound if operator == "<=" else checked >= bound

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "Figure":
        data = json.loads(line)
        if data.get("target") is not None:
            data["target"] = tuple(data["target"])
        return cls(**data)


def figures_write(path: str | os.PathLike | None, figures: list[Figure]) -> None:
    """Append figures to ``path`` (the runner's collection file) and echo them."""
    lines = [figure.as_json() for figure in figures]
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in lines)
    for figure in figures:
        print(table_line(figure), flush=True)


def figures_read(path: str | os.PathLike) -> list[Figure]:
    with open(path, encoding="utf-8") as source:
        return [Figure.from_json(line) for line in source if line.strip()]


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return ("%s %s" % (text, unit)).strip()


def table_line(figure: Figure) -> str:
    ratio = "—" if figure.ratio is None else "%.2f×" % figure.ratio
    if figure.target is None:
        target, met = "", ""
    else:
        operator, bound = figure.target
        shown = ("%g×" % bound) if figure.on == "ratio" else _number(bound, figure.unit)
        target = "%s %s" % ("≤" if operator == "<=" else "≥", shown)
        met = "met" if figure.met else "NOT MET"
    return "%-4s %-46s %14s %14s %8s %12s  %s" % (
        figure.code,
        figure.label[:46],
        _number(figure.value, figure.unit),
        _number(figure.baseline, figure.unit),
        ratio,
        target,
        met,
    )


def table_header() -> str:
    return "%-4s %-46s %14s %14s %8s %12s  %s" % (
        "",
        "figure",
        "value",
        "baseline",
        "ratio",
        "target",
        "",
    )


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def django_setup() -> None:
    """Set Django up for a benchmark process, as production runs (DEBUG off)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
    # The budgets are counted as in production, but never reached by a load.
    os.environ.setdefault("API_STATS_RATE", "100000/minute")
    os.environ.setdefault("API_CAPTURE_RATE", "100000/minute")
    # The benchmarks sign officials in with a password alone: they measure
    # pages and exports, not the authenticator app's second step.
    os.environ.setdefault("MFA_REQUIRED_ROLES", "")
    import django

    django.setup()
