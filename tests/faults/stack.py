"""Real processes for the fault tests: a private PostgreSQL and Redis, gunicorn and a Celery worker.

Everything listens on 127.0.0.1 on ports of its own and lives in temporary folders, so stopping and killing
these never touches the PostgreSQL and Redis the rest of the suite (and everyone else) uses. Every wait is
bounded; every process runs in its own session so it is stopped together with its children.
"""

import contextlib
import glob
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent  # gunicorn and celery beside the python running the tests
PG_TOOLS = ("initdb", "pg_ctl", "postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, what: str, interval: float = 0.1):
    """Call ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def postgres_bindir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian keeps them off the PATH)."""
    candidates = [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / tool, os.X_OK) for tool in PG_TOOLS):
            return bindir
    return None


def _version(path: str) -> tuple:
    return tuple(int(part) for part in re.findall(r"\d+", path))


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Postgres:
    """A throwaway cluster: ``initdb`` into a temporary folder, its own port, started and stopped by ``pg_ctl``.

    As root the server runs as the ``postgres`` user (PostgreSQL refuses to run as root)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ecfs-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/ecfs"

    def _pg(self, tool: str, *args: str, timeout: float = 60) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bindir / tool), *args],
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"{tool} failed:\n{done.stdout}\n{done.stderr}\n{tail(self.log)}")

    def create(self) -> None:
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"
        )
        self.start()
        admin = self.connect(dbname="postgres")
        try:
            admin.autocommit = True
            admin.cursor().execute("CREATE DATABASE ecfs")
        finally:
            admin.close()

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB "
            "-c max_connections=40"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def connect(self, dbname: str = "ecfs"):
        return psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=3)

    def destroy(self) -> None:
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Process:
    """A subprocess in its own session, its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, env: dict, log_dir: Path):
        self.name = name
        self.log = log_dir / f"{name}.log"
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def children(self) -> set[int]:
        return children_of(self.pid)

    def kill(self) -> None:
        """SIGKILL the process and everything it started, as if the machine under it had gone."""
        _signal_group(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        if self.alive():
            _signal_group(self.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        _signal_group(self.pid, signal.SIGKILL)  # anything it left behind
        if self.alive():
            self.popen.wait(timeout=10)


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(Path(stat).parent.name))
    return found


class Redis:
    """``redis-server`` on its own port, nothing saved to disk; stop and start it again on the same port."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log_dir = log_dir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Process | None = None

    def start(self) -> None:
        argv = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(self.log_dir),
        ]
        self.process = Process("redis", argv, env=dict(os.environ), log_dir=self.log_dir)
        wait_until(self.ping, timeout=15, what="redis-server to answer PING")

    def ping(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


@dataclass
class Response:
    status: int
    url: str
    body: str
    seconds: float

    def json(self):
        return json.loads(self.body)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Enough of a browser over plain urllib: cookies, redirects, CSRF tokens, a bounded wait for each page."""

    def __init__(self, base_url: str, timeout: float = 20):
        self.base_url = base_url
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method, headers=self.headers)  # noqa: S310
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                status, url, content = answer.status, answer.url, answer.read()
        except urllib.error.HTTPError as error:
            status, url, content = error.code, error.url, error.read()
        return Response(status, url, content.decode(errors="replace"), time.monotonic() - started)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form to it."""
        page = self.get(path)
        token = CSRF.search(page.body)
        assert token, f"no CSRF token on {path} ({page.status})"
        return self.request(
            "POST",
            urllib.parse.urlparse(page.url)._replace(scheme="", netloc="").geturl(),
            {"csrfmiddlewaretoken": token.group(1), **data},
        )

    def sign_in(self, email: str, password: str, totp_key: str | None = None) -> Response:
        answer = self.post_form("/sign-in/", {"username": email, "password": password})
        if urllib.parse.urlparse(answer.url).path == "/sign-in/code/":
            assert totp_key, f"{email} was asked for a two-factor code"
            answer = self.post_form(
                urllib.parse.urlparse(answer.url)._replace(scheme="", netloc="").geturl(),
                {"code": totp_code(totp_key)},
            )
        assert answer.status == 200 and not urllib.parse.urlparse(answer.url).path.startswith("/sign-in/"), (
            f"sign-in as {email} ended on {answer.url} ({answer.status})"
        )
        return answer


def totp_code(hex_key: str) -> str:
    """The code an authenticator app shows now, for a django-otp TOTP device's key."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(hex_key)):06d}"


PASSWORD = "fault-tests-password-0001"
PARTNER_TOKEN = "fault-tests-partner-token-0001"

# Run once in the private database (``manage.py shell -c``): reference data, a team, the people the tests sign
# in as (one manager per test, as a TOTP code is accepted once only), and a partner system's token.
SETUP_SCRIPT = """
import json, os
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from bases.models import Base, StaffProfile, Team
from reference.services import reference_data_load
from ecfs.api.models import PartnerSystem, token_hash
from ecfs.roles import Role, group_name

spec = json.loads(os.environ["FAULTS_SETUP"])
reference_data_load()
team = Team.objects.create(name="Fault tests team", base=Base.objects.order_by("name").first())
for person in spec["people"]:
    user = get_user_model().objects.create_user(
        email=person["email"], password=spec["password"], first_name="Fault", last_name=person["role"].title()
    )
    user.groups.add(Group.objects.get(name=group_name(Role(person["role"]))))
    StaffProfile.objects.create(user=user, team=team, job_title=person["role"])
    if person.get("totp_key"):
        TOTPDevice.objects.create(user=user, name="app", key=person["totp_key"], confirmed=True)
    if person["role"] == "manager" and team.manager_id is None:
        team.manager = user
        team.save()
PartnerSystem.objects.create(name="Fault tests partner", token_hash=token_hash(spec["partner_token"]))
"""


class Stack:
    """A private PostgreSQL and Redis, migrated, with people to sign in as; starts gunicorn and workers."""

    def __init__(self, bindir: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="ecfs-faults-"))
        self.logs = self.dir / "logs"
        self.logs.mkdir()
        self.postgres = Postgres(bindir)
        self.redis = Redis(self.logs)
        self.processes: list[Process] = []
        self.people: dict[str, dict] = {}
        self._workers = 0

    def env(self, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="ecfs.settings.local",  # the settings `make run` serves, DEBUG off
            DATABASE_URL=self.postgres.url,
            REDIS_URL=self.redis.url,
            MEDIA_ROOT=str(self.dir / "media"),
            DEBUG="False",
            DATABASE_CONNECT_TIMEOUT="3",
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = 180, **extra_env: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")

    def build(self) -> None:
        self.postgres.create()
        self.redis.start()
        self.manage("migrate", "--no-input", "--verbosity", "0")
        for name, role in (("worker", "worker"), *((f"manager{n}", "manager") for n in range(1, 5))):
            person = {"email": f"{name}@faults.example", "role": role}
            if role == "manager":
                person["totp_key"] = os.urandom(20).hex()
            self.people[name] = person
        spec = {"people": list(self.people.values()), "password": PASSWORD, "partner_token": PARTNER_TOKEN}
        self.manage("shell", "-c", SETUP_SCRIPT, FAULTS_SETUP=json.dumps(spec))

    def start_web(self, workers: int = 2) -> str:
        port = free_port()
        argv = [
            str(VENV_BIN / "gunicorn"),
            "ecfs.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "3",
            "--access-logfile",
            "-",
        ]
        self.processes.append(Process(f"gunicorn-{port}", argv, env=self.env(), log_dir=self.logs))
        base_url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(base_url + "/healthz"), timeout=60, what="gunicorn to answer /healthz")
        return base_url

    def start_worker(self, **extra_env: str) -> Process:
        self._workers += 1
        name = f"worker{self._workers}"
        argv = [
            str(VENV_BIN / "celery"),
            "-A",
            "ecfs",
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"{name}@127.0.0.1",
        ]
        worker = Process(f"celery-{name}", argv, env=self.env(**extra_env), log_dir=self.logs)
        self.processes.append(worker)
        wait_until(
            lambda: " ready." in worker.log.read_text(errors="replace") or not worker.alive(),
            timeout=60,
            what="the Celery worker to be ready",
        )
        assert worker.alive(), f"the Celery worker exited:\n{tail(worker.log)}"
        return worker

    def browser(self, base_url: str, name: str | None = None) -> Browser:
        browser = Browser(base_url)
        if name:
            person = self.people[name]
            browser.sign_in(person["email"], PASSWORD, person.get("totp_key"))
        return browser

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        connection = self.postgres.connect()
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def stop_processes(self) -> None:
        while self.processes:
            self.processes.pop().stop()

    def report(self) -> str:
        parts = [f"--- {log.name}\n{tail(log)}" for log in sorted(self.logs.glob("*.log"))]
        parts.append(f"--- postgres.log\n{tail(self.postgres.log)}")
        return "\n".join(parts)

    def destroy(self) -> None:
        try:
            self.stop_processes()
            self.redis.stop()
        finally:
            try:
                self.postgres.destroy()
            finally:
                shutil.rmtree(self.dir, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a loopback URL we built)
            return True
    except urllib.error.HTTPError:
        return True  # 503 while a dependency is down is still an answer
    except OSError:
        return False
