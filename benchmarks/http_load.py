"""What the HTTP benchmarks share: a served platform, logins, and wrk runs.

The platform is served as in production: gunicorn with ``config.wsgi``, DEBUG
off, hashed static files, PostgreSQL and Redis, and a Celery worker for the
refreshes and export jobs. Everything started here is stopped when the
``served`` block ends, whatever happened (each process in its own group).

Load comes from wrk with the Lua scripts of ``benchmarks/wrk``: 20 connections,
latency percentiles and the responses counted by status; each request takes
gzip, as every browser and HTTP library does. A run with a response it did
not expect raises :class:`LoadFailed`: fast errors are not a result.

    python -m benchmarks.http_load accounts   # prints the logins and a key (JSON)
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT

WRK_DIR = ROOT / "benchmarks" / "wrk"
PORTS = range(18900, 18951)
PASSWORD = "demo1234"
# Logins of the scale seed, then of the plain demo seed (used when the scale
# seed is not there).
DEMO_LOGINS = {"province": "tinh.hanoi", "member": "thanhvien.badinh"}
# Each figure is a pair of loads (baseline and measured): about 10 s a figure.
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "5"))
WARM_SECONDS = 1
CONNECTIONS = 20
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}
# Sync workers, as the image serves the platform (Dockerfile); 2 × cores + 1.
# Measured on the 2-core machine: the gthread worker keeps wrk's 20 connections
# open in whichever process accepted them, and in about one run of ten one
# process took them all and served at half the rate with a core idle; sync
# workers answer as fast as gthread's good runs, every run.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
# What the runner sets for every process it starts; a benchmark run on its own
# gets the same defaults.
ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    # The API's budgets per key or account would otherwise answer 429 to the
    # load after 120 (statistics) or 600 (capture) requests a minute: high
    # enough never to be reached.
    "API_STATS_RATE": "100000/minute",
    "API_CAPTURE_RATE": "100000/minute",
    # Officials sign in with a password alone: the load measures pages.
    "MFA_REQUIRED_ROLES": "",
    "LOG_LEVEL": "WARNING",
}


def environment_apply() -> None:
    """Give this process (and what it starts) the run's settings, unless set."""
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


class LoadFailed(RuntimeError):
    """A load run saw answers it should not have: the figure would be a lie."""


def run_dir() -> Path:
    """The run's folder (VAR_DIR): static files, logs, media of export jobs."""
    folder = Path(os.environ.get("VAR_DIR") or tempfile.mkdtemp(prefix="bench-"))
    os.environ["VAR_DIR"] = str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cores() -> int:
    return os.cpu_count() or 1


def workers() -> int:
    return 2 * cores() + 1 if WORKER_CLASS == "sync" else cores() + 1


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("No free port in %d–%d." % (PORTS.start, PORTS.stop - 1))


def static_collect(environ: dict) -> None:
    """Hashed static files once per run folder, as DEBUG off serves them."""
    if (Path(environ["VAR_DIR"]) / "static" / "staticfiles.json").is_file():
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environ,
        check=True,
    )


def _start(command: list[str], environ: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped whole
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@dataclass
class Server:
    url: str
    database_url: str
    folder: Path
    access_log: Path | None = None
    logs: list[Path] = field(default_factory=list)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        # Only ever http://127.0.0.1: the server started here.
        request = urllib.request.Request(self.url + path, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@contextmanager
def served(
    database_url: str, *, label: str, worker: bool = True, access_log: bool = False
):
    """Serve ``database_url`` with gunicorn (and a Celery worker) until the end."""
    folder = run_dir()
    environ = {**os.environ, "DATABASE_URL": database_url}
    static_collect(environ)
    port = free_port()
    error_log = folder / ("gunicorn-%s.log" % label)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind=127.0.0.1:%d" % port,
        "--workers=%d" % workers(),
        "--worker-class=%s" % WORKER_CLASS,
        "--threads=%d" % (THREADS if WORKER_CLASS == "gthread" else 1),
        "--log-level=warning",
        "--timeout=120",
    ]
    server = Server("http://127.0.0.1:%d" % port, database_url, folder)
    if access_log:
        server.access_log = folder / ("access-%s.log" % label)
        command += [
            "--access-logfile=%s" % server.access_log,
            "--access-logformat=%(r)s %(s)s %(B)s",
        ]
    processes = []
    try:
        processes.append(_start(command, environ, error_log))
        server.logs.append(error_log)
        # The workers of a deployment (scripts/start.sh, docker-compose.yml):
        # one for the statistics refreshes, one for the exports' queue.
        for queue in ("default", "exports") if worker else ():
            worker_log = folder / ("celery-%s-%s.log" % (label, queue))
            processes.append(
                _start(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "worker",
                        "-Q",
                        queue,
                        "--concurrency=1",
                        "--loglevel=WARNING",
                        "--without-gossip",
                        "--without-mingle",
                        "--hostname=bench-%s-%s-%d@%%h" % (label, queue, port),
                    ],
                    environ,
                    worker_log,
                )
            )
            server.logs.append(worker_log)
        _wait_ready(server, processes[0], error_log)
        yield server
    finally:
        for process in reversed(processes):
            _stop(process)


def _wait_ready(server: Server, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "gunicorn stopped at start:\n%s" % log.read_text()[-3000:]
            )
        try:
            status, _body = server.get("/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s; see %s" % log)


# Logins


def accounts(database_url: str) -> dict:
    """The province official's and team member's logins, and a province key.

    Run in a child process on ``database_url``, so one benchmark can prepare
    two databases.
    """
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.http_load", "accounts"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _accounts_prepare() -> dict:
    from benchmarks.common import django_setup

    django_setup()
    from accounts.api_keys import api_key_issue
    from accounts.models import ApiKey, User
    from demo.scale import SCALE_LOGINS

    found = {}
    for role in ("province", "member"):
        for username in (SCALE_LOGINS[role], DEMO_LOGINS[role]):
            if User.objects.filter(username=username, is_active=True).exists():
                found[role] = username
                break
        else:
            raise RuntimeError(
                "No %s login (%s or %s) in the database: seed it first."
                % (role, SCALE_LOGINS[role], DEMO_LOGINS[role])
            )
    official = User.objects.get(username=found["province"])
    secret = api_key_issue(
        key=ApiKey(
            name="Benchmark", level=ApiKey.Level.PROVINCE, province=official.province
        ),
        created_by=official,
    )
    return {**found, "api_key": secret, "province_code": official.province_id}


def login(server: Server, username: str) -> dict:
    """Sign in through the real login page; return the session's headers."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = server.url + "/accounts/login/"
    form = opener.open(page, timeout=30).read().decode()  # noqa: S310
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD}
    ).encode()
    sign_in = urllib.request.Request(page, data=data, headers={"Referer": page})  # noqa: S310
    opener.open(sign_in, timeout=30).read()  # noqa: S310
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("Could not sign in as %s." % username)
    return {
        "Cookie": "; ".join("%s=%s" % item for item in cookies.items()),
        "X-CSRFToken": cookies["csrftoken"],
    }


# Load


@dataclass
class Load:
    label: str
    requests: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    statuses: dict
    extra: dict

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def note(self) -> str:
        return "%d requests, %.0f/s, p99 %.0f ms" % (self.requests, self.rate, self.p99)


def load(
    server: Server,
    path: str,
    *,
    label: str,
    headers: dict,
    expected: tuple[int, ...] = (200,),
    script: str = "get.lua",
    args: tuple[str, ...] = (),
    seconds: int = LOAD_SECONDS,
    connections: int = CONNECTIONS,
    threads: int = 2,
    warm: bool = True,
) -> Load:
    """Put ``path`` under load with wrk; refuse a run with unexpected answers."""
    if warm and script == "get.lua":
        # One request first computes what the page or answer keeps (at
        # province scale that takes seconds); the load then measures what
        # every later reader gets, not twenty readers computing it at once.
        status, _body = server.get(path, headers)
        if status not in expected:
            raise LoadFailed("%s: the first request answered %d" % (label, status))
    if warm:
        # The workers' first requests import views and open connections.
        _wrk(server, path, label, headers, expected, script, args, WARM_SECONDS,
             connections, threads)  # fmt: skip
    return _wrk(
        server, path, label, headers, expected, script, args, seconds,
        connections, threads,
    )  # fmt: skip


def _wrk(server, path, label, headers, expected, script, args, seconds,
         connections, threads) -> Load:  # fmt: skip
    command = [
        "wrk",
        "--threads=%d" % threads,
        "--connections=%d" % connections,
        "--duration=%ds" % seconds,
        "--timeout=10s",
        "--latency",
        "--script=%s" % (WRK_DIR / script),
    ]
    # Browsers, phones and HTTP libraries (requests, curl --compressed) all
    # take gzip; wrk says so only when told.
    for name, value in {**CLIENT_HEADERS, **headers}.items():
        command += ["--header", "%s: %s" % (name, value)]
    command.append(server.url + path)
    if args:
        command += ["--", *args]
    done = subprocess.run(
        command,
        env={**os.environ, "WRK_LIB": str(WRK_DIR)},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_JSON")]
    if done.returncode != 0 or not lines:
        raise LoadFailed(
            "wrk failed on %s (exit %d):\n%s%s"
            % (path, done.returncode, done.stdout, done.stderr)
        )
    result = json.loads(lines[-1].removeprefix("WRK_JSON "))
    statuses = {int(code): count for code, count in result["statuses"].items()}
    wrong = {code: n for code, n in statuses.items() if code not in expected}
    errors = {name: n for name, n in result["errors"].items() if n}
    if wrong or errors or result.get("unexpected") or not statuses:
        raise LoadFailed(
            "%s: answers other than %s under load: statuses %s, socket errors %s, "
            "out of order %s. Server logs: %s\n%s"
            % (
                label,
                expected,
                statuses,
                errors,
                result.get("unexpected", 0),
                ", ".join(str(log) for log in server.logs),
                done.stderr[-2000:],
            )
        )
    return Load(
        label=label,
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50=result["p50_us"] / 1000,
        p95=result["p95_us"] / 1000,
        p99=result["p99_us"] / 1000,
        statuses=statuses,
        extra={name: result[name] for name in ("sent", "unexpected") if name in result},
    )


if __name__ == "__main__":
    environment_apply()
    if sys.argv[1:] == ["accounts"]:
        print(json.dumps(_accounts_prepare()))
    else:
        sys.exit("usage: python -m benchmarks.http_load accounts")
