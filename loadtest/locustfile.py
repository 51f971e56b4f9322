"""ECFS Case under load: workers, team managers and commissioners using the service through a real server.

Run by ``make loadtest`` (see docs/performance.md, "Load test through a real server"), which prepares the
database (``loadtest/prepare.py`` writes the cast this file reads from ``LOADTEST_CAST``), starts gunicorn on
loopback and runs Locust headless against it. The role mix is 80% workers, 15% team managers, 5%
commissioners; every user signs in through the sign-in page, managers and commissioners then enter a real
TOTP code computed from their test authenticator app's key (``django_otp.oath``), and every form is posted
with its CSRF token, as a browser would. Between tasks each user thinks for ``LOADTEST_THINK`` seconds
(``min,max``; default 3 to 10).

A request counts as failed when its status is not the one the page answers (200 for pages, 302 for a form
that succeeded) or when a page that should show something does not.
"""

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django_otp.oath import TOTP, hotp
from locust import HttpUser, LoadTestShape, between, events, task
from locust.exception import StopUser

THINK = [float(s) for s in os.environ.get("LOADTEST_THINK", "3,10").split(",")]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cast() -> dict:
    path = os.environ.get("LOADTEST_CAST", ".loadtest/cast.json")
    with open(path) as handle:
        return json.load(handle)


CAST = _cast()
# Each Locust user plays the next account of its role; with more users than accounts, accounts are shared.
_ACCOUNTS = {role: itertools.cycle(CAST[role]) for role in ("workers", "managers", "commissioners")}
# Work to do, shared by everyone playing the same manager (each referral is allocated, each plan approved, once).
_WORK = {m["email"]: {"accepted": list(m["accepted"]), "approve": list(m["approve"])} for m in CAST["managers"]}
# The last TOTP time step each account used: the server accepts a code once, and one step either side of now.
_LAST_STEP: dict[str, int] = defaultdict(lambda: -1)


def totp_code(email: str, key_hex: str) -> str:
    """The code the account's app would show, never one this run used already (waiting for the next step)."""
    totp = TOTP(bytes.fromhex(key_hex))  # django-otp's defaults: 30 s steps, 6 digits, as the devices have
    while True:
        now = totp.t()
        # Now's code, or the next step's if now's was used (the server accepts one step either side of its now,
        # so a code posted up to 30 s late, behind a queue of requests, still passes).
        step = max(now, _LAST_STEP[email] + 1)
        if step <= now + 1:
            _LAST_STEP[email] = step
            return str(hotp(bytes.fromhex(key_hex), step, digits=6)).zfill(6)
        time.sleep(totp.step - time.time() % totp.step + 0.2)  # gevent-patched: only this user waits


class _Form(HTMLParser):
    """The fields a browser would submit from the page's form with ``action`` (defaults and checked boxes)."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields, self.radios = action, False, [], defaultdict(list)
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or "") in ("", self.action)
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios[a["name"]].append(a.get("value", ""))
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "")))
            elif kind == "checkbox":
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((a["name"], unescape(a.get("value", ""))))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_fields(html: str, action: str = "") -> tuple[dict, dict]:
    parser = _Form(action)
    parser.feed(html)
    return dict(parser.fields), dict(parser.radios)


class EcfsUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    role = ""

    def on_start(self):
        self.account = next(_ACCOUNTS[self.role])
        self.sign_in()

    def get(self, url: str, name: str, *, expect: str | None = None):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"no {expect!r} on the page")
            elif urlsplit(response.url).path.startswith("/sign-in/") and not url.startswith("/sign-in/"):
                response.failure("signed out: redirected to the sign-in page")
            return response

    def post(self, url: str, data: dict, name: str, *, referer: str):
        """A form post that succeeds with a redirect (the page is then fetched as its own request)."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True, headers={"Referer": referer}
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}, not the redirect of a saved form")
            return response

    def sign_in(self):
        page = self.get("/sign-in/", "sign in: page")
        data = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1), "next": "/"}
        data |= {"username": self.account["email"], "password": CAST["password"]}
        with self.client.post("/sign-in/", data=data, name="sign in: password", catch_response=True) as response:
            path = urlsplit(response.url).path
            wanted = "/sign-in/code/" if "totp_key" in self.account else "/"
            if response.status_code != 200 or path != wanted:
                response.failure(f"HTTP {response.status_code} at {path}, not {wanted}")
                raise StopUser()
        if "totp_key" not in self.account:
            return
        # A code that waited in the server's queue past its 30-second step (plus one step of tolerance) is
        # refused as wrong, as it would be for a person; like a person, try again with the code shown now.
        for attempt in range(3):
            code = totp_code(self.account["email"], self.account["totp_key"])
            data = {"csrfmiddlewaretoken": CSRF.search(response.text).group(1), "code": code}
            with self.client.post(
                response.url, data=data, name="sign in: two-factor code", catch_response=True
            ) as done:
                path = urlsplit(done.url).path
                if done.status_code == 200 and path == "/":
                    return
                done.failure(f"code refused (attempt {attempt + 1}): HTTP {done.status_code} at {path}")
            time.sleep(2 ** (attempt + 1))  # the server slows down retries after a refused code
            response = done
        raise StopUser()


class Worker(EcfsUser):
    """A family support worker: their families, notes of contacts, their week, plans."""

    weight = 80
    role = "workers"

    @task(2)
    def search(self):
        self.get(f"/families/?q={random.choice(self.account['surnames'] or [''])}", "worker: family search")

    @task(4)
    def family_record(self):
        self.get(f"/families/{random.choice(self.account['families'])}/", "worker: family record")

    @task(2)
    def log_contact(self):
        family = random.choice(self.account["families"])
        url = f"/families/{family}/contacts/new/"
        page = self.get(url, "worker: contact form")
        if page.status_code != 200:
            return
        data, radios = form_fields(page.text)
        # What happened, and (a home visit, the default) whether each child was seen.
        data["notes"] = "Load test: home visit, talked through the week's routine and the nursery place."
        for name in radios:
            if name.startswith("child_"):
                data[name] = "yes"
        saved = self.post(url, data, "worker: log a contact (POST)", referer=self.host + url)
        if saved.status_code == 302:
            self.get(saved.headers["Location"], "worker: family record")

    @task(2)
    def my_week(self):
        self.get("/my-week/", "worker: My week")

    @task(2)
    def plan(self):
        if self.account["plans"]:
            self.get(f"/plans/{random.choice(self.account['plans'])}/", "worker: plan page")
        else:
            self.family_record()


class Manager(EcfsUser):
    """A team manager: the triage queue, allocating referrals, approving plans, their landing page."""

    weight = 15
    role = "managers"

    def on_start(self):
        super().on_start()
        self.work = _WORK[self.account["email"]]

    @task(4)
    def triage_queue(self):
        self.get("/referrals/", "manager: triage queue")

    @task(3)
    def landing_page(self):
        self.get("/", "manager: landing page")

    @task(2)
    def allocate(self):
        if not self.work["accepted"]:
            self.get("/referrals/?status=accepted", "manager: triage queue")
            return
        url = f"/referrals/{self.work['accepted'].pop(0)}/allocate/"
        page = self.get(url, "manager: allocate form")
        if page.status_code != 200:
            return
        data, radios = form_fields(page.text, url)
        if not radios.get("worker"):
            page.failure("no worker to allocate to")
            return
        data["worker"] = random.choice(radios["worker"])
        saved = self.post(url, data, "manager: allocate (POST)", referer=self.host + url)
        if saved.status_code == 302:
            self.get(saved.headers["Location"], "manager: family record")

    @task(2)
    def approve(self):
        if not self.work["approve"]:
            self.landing_page()
            return
        plan = f"/plans/{self.work['approve'].pop(0)}/"
        page = self.get(plan, "manager: plan to approve")
        token = CSRF.search(page.text) if page.status_code == 200 else None
        if token is None:
            return
        url = f"{plan}approve/"
        saved = self.post(
            url, {"csrfmiddlewaretoken": token.group(1)}, "manager: approve (POST)", referer=self.host + plan
        )
        if saved.status_code == 302:
            self.get(saved.headers["Location"], "manager: plan page", expect="Approved.")


class Commissioner(EcfsUser):
    """A commissioner: the county dashboard and the latest return's PDF."""

    weight = 5
    role = "commissioners"

    @task(3)
    def dashboard(self):
        self.get("/returns/dashboard/", "commissioner: dashboard")

    @task(1)
    def download_pdf(self):
        with self.client.get(self.account["return_pdf"], name="commissioner: return PDF", catch_response=True) as r:
            if r.status_code != 200 or not r.content.startswith(b"%PDF"):
                r.failure(f"HTTP {r.status_code}, {r.headers.get('Content-Type')}: not a PDF")


@events.test_stop.add_listener
def _report_work_left(environment, **kwargs):
    left = {kind: sum(len(w[kind]) for w in _WORK.values()) for kind in ("accepted", "approve")}
    print(f"loadtest: work left: {left['accepted']} referrals to allocate, {left['approve']} plans to approve")


# Step load (LOADTEST_STEPS=start,step,seconds,max_users): more users every `seconds` (started 2 a second), and
# per step the request rate and the percentiles of the requests completed in the step after its first
# STEP_SETTLE seconds, to find the highest rate served with p95 <= 500 ms. Sign-ins are counted apart: each
# costs ~0.5 s of CPU by design (PBKDF2, 1,000,000 iterations) and happens once a session, so the new users'
# sign-ins at the start of a step would otherwise decide its p95 at the low steps.
STEP_SETTLE = 15
if os.environ.get("LOADTEST_STEPS"):
    START, STEP, SECONDS, MAX_USERS = (int(x) for x in os.environ["LOADTEST_STEPS"].split(","))
    _steps: dict[int, dict] = defaultdict(lambda: {"times": [], "failures": 0})
    _started = [0.0]

    class StepLoad(LoadTestShape):
        def tick(self):
            users = START + int(self.get_run_time() // SECONDS) * STEP
            return None if users > MAX_USERS else (users, 2)

    @events.test_start.add_listener
    def _step_start(environment, **kwargs):
        _started[0] = time.time()

    @events.request.add_listener
    def _step_request(name, response_time, exception, **kwargs):
        elapsed = time.time() - _started[0]
        step = _steps[int(elapsed // SECONDS)]
        step["failures"] += exception is not None
        if name.startswith("sign in"):
            step["sign_ins"] = step.get("sign_ins", 0) + 1
        elif elapsed % SECONDS >= STEP_SETTLE:
            step["times"].append(response_time)

    def _pct(ordered: list[float], pct: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.4999) - 1))]

    @events.test_stop.add_listener
    def _report_steps(environment, **kwargs):
        window = SECONDS - STEP_SETTLE
        print(f"loadtest: step load, each step measured over its last {window} s, sign-ins apart")
        print(
            f"{'users':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'requests':>9} {'sign-ins':>9} "
            f"{'failed':>7}"
        )
        best = None
        for index in sorted(_steps):
            times = sorted(_steps[index]["times"])
            if not times:
                continue
            rate = len(times) / window
            p50, p95, p99 = (_pct(times, p) for p in (50, 95, 99))
            print(
                f"{START + index * STEP:>6} {rate:>7.1f} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {len(times):>9} "
                f"{_steps[index].get('sign_ins', 0):>9} {_steps[index]['failures']:>7}"
            )
            if p95 <= 500 and (best is None or rate > best[0]):
                best = (rate, START + index * STEP)
        if best:
            print(f"loadtest: highest rate with p95 <= 500 ms: {best[0]:.1f} requests/s ({best[1]} users)")
