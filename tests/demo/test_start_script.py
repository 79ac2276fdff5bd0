"""The README's run command, run for real: it starts, says where and who, and stops.

An official runs ``bash scripts/start.sh`` and stops it with Ctrl+C or a kill;
nothing it started may be left holding the port or the database.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from demo.management.commands.seed_demo import USERS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.script


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    except OSError:
        return False
    return True


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def processes_of(var_dir: Path) -> list[int]:
    """Processes whose command line or environment names this VAR_DIR."""
    marker = str(var_dir).encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            text = (proc / "cmdline").read_bytes() + (proc / "environ").read_bytes()
        except OSError:
            continue
        if marker in text:
            found.append(int(proc.name))
    return found


@pytest.fixture
def started(tmp_path):
    """scripts/start.sh in the embedded mode on a free port and a fresh VAR_DIR."""
    var_dir, port = tmp_path / "var", free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    env.update(
        VAR_DIR=str(var_dir),
        PORT=str(port),
        SKIP_SETUP="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
    )
    output = tmp_path / "start.out"
    with output.open("wb") as out:
        # Its own session only so that a failing test can still clean up.
        starter = subprocess.Popen(
            ["bash", "scripts/start.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield starter, port, var_dir, output
    finally:
        if starter.poll() is None or processes_of(var_dir):
            os.killpg(starter.pid, signal.SIGKILL)


def test_it_prints_the_logins_last_and_a_sigterm_stops_everything(started):
    starter, port, var_dir, output = started
    last_line = "Dừng bằng Ctrl+C."

    assert wait_for(lambda: last_line in output.read_text(), 50), output.read_text()

    assert answers(port)
    printed = output.read_text()
    welcome = printed[printed.index("Nền tảng đang chạy tại") :]
    assert f"http://127.0.0.1:{port}/" in welcome
    for username, *_rest in USERS:
        assert username in welcome
    assert printed.rstrip().endswith(last_line)
    assert "celery@" not in printed  # the workers' banners are in the logs
    assert "Starting development server" not in printed
    assert (var_dir / "log" / "celery-worker.log").exists()

    starter.send_signal(signal.SIGTERM)

    assert starter.wait(timeout=30) == 0
    assert not answers(port)
    assert wait_for(lambda: not processes_of(var_dir), 5), processes_of(var_dir)
