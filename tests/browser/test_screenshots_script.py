"""scripts/screenshots.py: the README's pictures, under their stable names."""

import io
import socket
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshots.py"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def screenshots(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_page_is_written_at_both_sizes_under_its_name(live_server, tmp_path):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())

    done = screenshots(live_server.url, str(tmp_path), "--only", "ward-households")

    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "ward-households-desktop.png",
        "ward-households-phone.png",
    ]
    assert png_size(tmp_path / "ward-households-desktop.png") == (1366, 768)
    width, height = png_size(tmp_path / "ward-households-phone.png")
    assert width == 360 and 740 <= height <= 1480


def test_without_a_platform_it_says_how_to_start_one(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free again once closed: nothing listens

    done = screenshots("http://127.0.0.1:%d" % port, str(tmp_path))

    assert done.returncode == 1
    assert "bash scripts/start.sh" in done.stderr
    assert list(tmp_path.iterdir()) == []
