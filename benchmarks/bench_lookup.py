"""Benchmark: the public results lookup under load (п. 11; target ≥ 500 requests/s with p99 < 100 ms).

    python benchmarks/bench_lookup.py [--duration 30] [--connections 32] [--workers 2,3,4] [--threads 1]
    python benchmarks/bench_lookup.py --reuse --workers 3 --html      # keep the built database; also the form

What it does, step by step:

1. PostgreSQL: installs the Debian package ``postgresql`` when missing (``apt-get``; root), then starts
   its own cluster like ``.ci/run`` does (``initdb`` as ``postgres``, ``fsync=off``) in ``--pgdata``
   (default ``/tmp/itog-bench-lookup-pg``) on ``--pgport`` (default 54339, so it never clashes with CI's
   54329). A cluster already answering on that port is used as it is.
2. Data: drops and re-creates the database ``--dbname`` (default ``itog_bench_lookup``) and runs
   ``itog demo --no-serve`` into it (1–3 minutes; with ``ITOG_SCAN_WORKERS=1``, as the demo's scan batch
   is not measured here). With ``--reuse`` an already built database is kept.
3. Exports (work code, document number, expected result) of every published work of the demo
   (``Work.session.results_date`` set and reached, a result present) to a temporary file. About
   ``--wrong-share`` (10 %) of the requests carry a wrong document number; those use codes kept apart
   from the valid ones, so a code's failure counter never blocks a valid lookup. Each wrong request
   writes one audit row (``LOOKUP_REFUSED``), as in production.
4. For every ``--workers`` × ``--threads`` combination: starts ``itog serve`` on a free port in a
   subprocess (access log off unless ``--access-log``), waits until it answers (``--start-timeout``),
   runs a short warm-up, then **wrk** (Debian package ``wrk``, installed when missing) as a second process
   with a generated Lua script that cycles through the pairs and posts JSON to
   ``POST /api/v1/results/lookup``; ``--latency`` gives the percentiles. With ``--html`` the HTML form
   ``POST /results/`` is measured as well (a CSRF cookie + token fetched once and replayed).
5. Prints requests/s, p50/p90/p99, non-2xx responses, socket errors, the load average, the CPU time per
   request of the server, of the PostgreSQL backends and of wrk (from /proc), and how many cores the rest
   of the machine used meanwhile (other engineers' processes may share the 2 cores). It then checks a few
   answers by hand (valid → ``found: true`` and the expected result, wrong document → ``found: false``,
   no document number in any answer) and stops the server. The server is always stopped
   (``try/finally``); PostgreSQL is stopped at the end when this script started it, unless ``--keep-pg``.

Redis (the production setting, default): a throw-away ``redis-server`` (Debian package, installed when
missing) on a free port; the server runs with ``ITOG_REDIS_URL`` so every request increments and reads the
shared counters there (``--no-redis``: the per-process memory counters of the demo). In the same run and
against the same server, **a static file** (``GET /static/itog/itog.css`` through WhiteNoise) is measured
with the same wrk settings as the yardstick of what the machine gives at that moment.

Runs are serialized by a lock file next to ``--pgdata`` (``--lock-timeout``). Other options:
``--access-log`` (gunicorn's access log on, as by default in production), ``--wrk-threads``,
``--warmup``, ``--pgport``/``--pgdata``/``--dbname``/``--data-dir``.

Rate limits: the per-address limit ``ITOG_LOOKUP_PER_IP_PER_HOUR`` (600 by default) would refuse a load
tool that runs from one address, so it is raised to ``--per-ip-limit`` (1,000,000,000); the per-code
failure limit ``ITOG_LOOKUP_FAILURES_PER_CODE`` is raised to ``--per-code-limit`` (1,000,000,000) too.
Both limiters still run on every request (cache increments and reads); only the thresholds change.
"""

from __future__ import annotations

import argparse
import fcntl
import http.cookiejar
import itertools
import json
import os
import random
import re
import resource
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def say(text: str) -> None:
    print(text, flush=True)


def die(text: str) -> None:
    raise SystemExit(f"bench_lookup: ERROR: {text}")


def run(cmd: list[str], timeout: float, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        die(f"timed out after {timeout:.0f} s: {' '.join(cmd)}")
    except subprocess.CalledProcessError as exc:
        out = "".join(
            x if isinstance(x, str) else (x or b"").decode(errors="replace") for x in (exc.stdout, exc.stderr)
        )
        die(f"failed (exit {exc.returncode}): {' '.join(cmd)}\n{out[-3000:]}")


# ---------------------------------------------------------------------------------------------- tools


def ensure_apt_package(binary_check, package: str) -> None:
    if binary_check():
        return
    if os.geteuid() != 0:
        die(f"{package} is missing and this is not root: apt-get install -y {package}")
    say(f"installing the Debian package {package!r} (apt-get)…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], 600, env=env, capture_output=True, text=True)
    run(["apt-get", "install", "-y", "-qq", package], 900, env=env, capture_output=True, text=True)
    if not binary_check():
        die(f"{package} still missing after apt-get install")


def pg_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    return found[-1].parent if found else None


def as_postgres(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    return run(["runuser", "-u", "postgres", "--", *args], timeout, capture_output=True, text=True)


def pg_ready(pgbin: Path, port: int) -> bool:
    return (
        subprocess.run([str(pgbin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)], timeout=10).returncode
        == 0
    )


def start_postgres(pgbin: Path, pgdata: Path, port: int) -> bool:
    """Start the bench's own cluster; True when this call started it (so it should stop it)."""
    if pg_ready(pgbin, port):
        say(f"PostgreSQL already answers on 127.0.0.1:{port}: using it")
        return False
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        shutil.chown(pgdata, "postgres", "postgres")
        as_postgres(
            [
                str(pgbin / "initdb"),
                "-D",
                str(pgdata),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
    opts = (
        f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        f"-c full_page_writes=off -c max_connections=200"
    )
    as_postgres(
        [
            str(pgbin / "pg_ctl"),
            "-D",
            str(pgdata),
            "-l",
            str(pgdata / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            opts,
            "start",
        ]
    )
    if not pg_ready(pgbin, port):
        die(f"PostgreSQL did not start on port {port}; see {pgdata / 'server.log'}")
    say(f"PostgreSQL started: {pgdata} on 127.0.0.1:{port}")
    return True


def stop_postgres(pgbin: Path, pgdata: Path) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", str(pgbin / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
        capture_output=True,
        timeout=120,
    )


def psql(pgbin: Path, port: int, sql: str, db: str = "postgres") -> str:
    return run(
        [str(pgbin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", db, "-XAtqc", sql],
        120,
        capture_output=True,
        text=True,
    ).stdout.strip()


# ----------------------------------------------------------------------------------------------- data

EXPORT = r"""
import json, sys
import django
django.setup()
from django.utils import timezone
from itog.conduct.models import Work
rows = (Work.objects.filter(session__results_date__isnull=False, session__results_date__lte=timezone.localdate())
        .exclude(result="").order_by("pk")
        .values_list("work_code", "application__participant__document_number", "result"))
json.dump([list(r) for r in rows], open(sys.argv[1], "w"), ensure_ascii=False)
print(len(rows))
"""


def itog_env(args, data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITOG_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "itog.settings",
            "ITOG_DATABASE_URL": f"postgres://postgres@127.0.0.1:{args.pgport}/{args.dbname}",
            "ITOG_DATA_DIR": str(data_dir),
            "ITOG_LOOKUP_PER_IP_PER_HOUR": str(args.per_ip_limit),
            "ITOG_LOOKUP_FAILURES_PER_CODE": str(args.per_code_limit),
            "ITOG_ACCESS_LOG": "-" if args.access_log else "",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
    )
    return env


def prepare_database(args, pgbin: Path, env: dict, tmp: Path) -> None:
    exists = psql(pgbin, args.pgport, f"select 1 from pg_database where datname = '{args.dbname}'") == "1"
    if exists and args.reuse:
        try:
            published = len(published_works(env, tmp))
        except SystemExit:  # no tables yet
            published = 0
        if published >= 20:
            say(f"--reuse: database {args.dbname} kept ({published} published works)")
            return
        say(f"--reuse: database {args.dbname} has no published works: rebuilding")
    if exists:
        psql(pgbin, args.pgport, f'drop database "{args.dbname}" with (force)')
    psql(pgbin, args.pgport, f'create database "{args.dbname}"')
    say(f"building the demo into {args.dbname} (itog demo --no-serve)…")
    t0 = time.perf_counter()
    # One scan process: the demo's scan batch is not what is measured here, and no process pool is needed.
    run(
        [sys.executable, "-m", "itog", "demo", "--no-serve"],
        args.demo_timeout,
        env={**env, "ITOG_SCAN_WORKERS": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    say(f"demo built in {time.perf_counter() - t0:.0f} s")


def published_works(env: dict, tmp: Path) -> list:
    out = tmp / "works.json"
    try:
        run([sys.executable, "-c", EXPORT, str(out)], 300, env=env, cwd=ROOT, capture_output=True, text=True)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def export_pairs(env: dict, tmp: Path, wrong_share: float, seed: int) -> tuple[list, list, Path]:
    """(valid [(code, document, result)], wrong [(code, document)], lua data file)."""
    rows = published_works(env, tmp)
    if len(rows) < 20:
        die(f"only {len(rows)} published works found: is the demo built?")
    rnd = random.Random(seed)
    rnd.shuffle(rows)
    n_wrong_codes = max(1, round(len(rows) * wrong_share))
    wrong = [(code, f"{doc}9" if doc else "000000") for code, doc, _ in rows[:n_wrong_codes]]
    valid = [tuple(r) for r in rows[n_wrong_codes:]]
    # The request sequence: valid pairs with a wrong one in about every 1/wrong_share-th place.
    seq, wi = [], 0
    for _i, (code, doc, _) in enumerate(valid):
        seq.append((code, doc))
        if wrong_share > 0 and rnd.random() < wrong_share / (1 - wrong_share):
            seq.append(wrong[wi % len(wrong)])
            wi += 1
    lines = tmp / "pairs.txt"
    lines.write_text("".join(f"{c}\t{d}\n" for c, d in seq), encoding="utf-8")
    share = wi / len(seq)
    say(
        f"pairs: {len(valid)} valid codes, {len(wrong)} other codes with wrong documents; request cycle of "
        f"{len(seq)} with {wi} wrong ({share:.1%})"
    )
    return valid, wrong, lines


# ------------------------------------------------------------------------------------------------ lua

LUA = r"""
-- generated by benchmarks/bench_lookup.py: cycle through (code, document) pairs and POST them
local mode = "%(mode)s"
local pairs_file = "%(pairs)s"
local cookie = "%(cookie)s"
local token = "%(token)s"
local bodies = {}
local counter = 0
local threads = {}

local function urlencode(s)
  return (s:gsub("[^%%w%%-_%%.~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
end

local function jsonstr(s)
  return '"' .. s:gsub('[%%c"\\]', function(c) return string.format("\\u%%04x", string.byte(c)) end) .. '"'
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(pairs_file) do
    local code, doc = line:match("^([^\t]*)\t(.*)$")
    if code then
      if mode == "json" then
        table.insert(bodies, '{"code": ' .. jsonstr(code) .. ', "document": ' .. jsonstr(doc) .. '}')
      else
        table.insert(bodies, "csrfmiddlewaretoken=" .. urlencode(token) .. "&code=" .. urlencode(code)
                             .. "&document=" .. urlencode(doc))
      end
    end
  end
  -- threads start at different places of the cycle
  i = math.floor(#bodies * id / 8) %% #bodies
  wrk.method = "POST"
  if mode == "json" then
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = "csrftoken=" .. cookie
  end
end

function request()
  i = i %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""


def write_lua(tmp: Path, pairs: Path, mode: str, cookie: str = "", token: str = "") -> Path:
    path = tmp / f"lookup_{mode}.lua"
    path.write_text(LUA % {"mode": mode, "pairs": str(pairs), "cookie": cookie, "token": token}, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            die(f"itog serve exited with {proc.returncode} before answering:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/results/", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.3)
    die(f"itog serve did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # the process group of this one server only (start_new_session)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        say("itog serve did not stop within 30 s: killing it")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def post_json(base: str, code: str, doc: str) -> tuple[int, dict]:
    req = urllib.request.Request(
        base + "/api/v1/results/lookup",
        method="POST",
        data=json.dumps({"code": code, "document": doc}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def csrf_pair(base: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/results/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    cookie = next((c.value for c in jar if c.name == "csrftoken"), None)
    if not token or not cookie:
        die("no CSRF token/cookie on /results/")
    return cookie, token.group(1)


def post_form(base: str, cookie: str, token: str, code: str, doc: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code, "document": doc}).encode()
    req = urllib.request.Request(
        base + "/results/",
        method="POST",
        data=data,
        headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def verify(base: str, valid: list, wrong: list, form: tuple[str, str] | None, n: int = 5) -> list[str]:
    """A few answers checked by hand after the load; returns the problems found."""
    problems = []
    for code, doc, expected in valid[:n]:
        status, body = post_json(base, code, doc)
        if status != 200 or body.get("found") is not True or body.get("result") != expected:
            problems.append(f"valid {code}: HTTP {status} {body}")
        if doc and doc in json.dumps(body, ensure_ascii=False):
            problems.append(f"valid {code}: the document number is in the answer")
    for code, doc in wrong[:n]:
        status, body = post_json(base, code, doc)
        if status != 200 or body.get("found") is not False or "result" in body and body["result"]:
            problems.append(f"wrong {code}: HTTP {status} {body}")
    if form is not None:
        for code, doc, expected in valid[:n]:
            status, html = post_form(base, *form, code, doc)
            if status != 200 or expected not in html:
                problems.append(f"form {code}: HTTP {status}, {expected!r} not on the page")
        for code, doc in wrong[:n]:
            status, html = post_form(base, *form, code, doc)
            if status != 200 or "Результат не найден" not in html:
                problems.append(f"form wrong {code}: HTTP {status}, no «not found»")
    return problems


# ------------------------------------------------------------------------------------------ CPU time


def _stat(pid: int, children: bool = False) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process — with ``children``: of its exited children —
    or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    i = 13 if children else 11
    return int(fields[1]), (int(fields[i]) + int(fields[i + 1])) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


REDIS_PID = 0  # the benchmark's redis-server (its CPU is counted with the server's)


def cpu_snapshot(server_pid: int, dbname: str, pgdata: Path) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server's processes (gunicorn master + workers) and of the PostgreSQL
    backends serving the bench database, by pid (a process started later counts from zero); "exited": the
    CPU of the postmaster's exited children (backends closed by CONN_MAX_AGE, autovacuum workers)."""
    stats = {int(d): st for d in os.listdir("/proc") if d.isdigit() and (st := _stat(int(d))) is not None}
    tree, changed = {server_pid}, True
    while changed:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in tree} - tree
        tree |= more
        changed = bool(more)
    pg = {pid for pid in stats if f"postgres: postgres {dbname} " in _cmdline(pid)}
    try:
        postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
        exited = (_stat(postmaster, children=True) or (0, 0.0))[1]
    except (OSError, ValueError, IndexError):
        exited = 0.0
    return {
        "server": {pid: stats[pid][1] for pid in tree if pid in stats},
        "postgres": {pid: stats[pid][1] for pid in pg},
        "exited": {0: exited},
        "redis": {REDIS_PID: stats[REDIS_PID][1]} if REDIS_PID in stats else {},
    }


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores; /proc/stat minus idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def cpu_used(before: dict, after: dict, what: str) -> float:
    if what == "postgres":  # backends that exited meanwhile: their whole time is in "exited", minus "before"
        return (
            sum(after["postgres"].values())
            - sum(before["postgres"].values())
            + after["exited"][0]
            - before["exited"][0]
        )
    return sum(sec - before[what].get(pid, 0.0) for pid, sec in after[what].items())


# ----------------------------------------------------------------------------------------------- wrk

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(out: str) -> dict:
    def ms(text: str) -> float:
        m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
        return float(m.group(1)) * UNITS[m.group(2)]

    res = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        res[f"p{pct}"] = ms(m.group(1)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    res["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(map(int, m.groups())) if m else 0
    return res


def run_wrk(url: str, lua: Path, args, duration: int) -> tuple[dict, str]:
    cmd = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(lua),
        url,
    ]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run(cmd, duration + 120, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = parse_wrk(proc.stdout)
    res["wrk_cpu"] = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    return res, proc.stdout


def audit_rows(pgbin: Path, args) -> int:
    return int(
        psql(pgbin, args.pgport, "select count(*) from audit_auditevent where kind = 'lookup_refused'", db=args.dbname)
        or 0
    )


def take_lock(path: Path, timeout: float):
    """One run at a time per cluster: a second run would stop or rebuild the first one's database."""
    f = open(path, "w")
    deadline, told = time.monotonic() + timeout, False
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except BlockingIOError:
            if time.monotonic() > deadline:
                die(f"another bench_lookup run has held {path} for more than {timeout:.0f} s")
            if not told:
                say(f"another bench_lookup run holds {path}: waiting (at most {timeout:.0f} s)…")
                told = True
            time.sleep(1)


# ---------------------------------------------------------------------------------------------- main


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=int, default=30, help="seconds of measured load per configuration")
    p.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load first")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument(
        "--workers", default="", help="itog serve --workers; a comma list measures each (default: serve's own default)"
    )
    p.add_argument("--threads", default="", help="itog serve --threads; a comma list measures each")
    p.add_argument("--html", action="store_true", help="also measure the HTML form POST /results/")
    p.add_argument("--reuse", action="store_true", help="keep an already built database")
    p.add_argument("--keep-pg", action="store_true", help="leave PostgreSQL running at the end")
    p.add_argument("--access-log", action="store_true", help="keep gunicorn's access log on (stdout)")
    p.add_argument(
        "--no-redis",
        action="store_true",
        help="counters in each server process's memory (the demo) instead of a shared redis-server",
    )
    p.add_argument("--no-static", action="store_true", help="skip the static-file yardstick")
    p.add_argument("--wrong-share", type=float, default=0.10)
    p.add_argument("--per-ip-limit", type=int, default=1_000_000_000)
    p.add_argument("--per-code-limit", type=int, default=1_000_000_000)
    p.add_argument("--pgport", type=int, default=54339)
    p.add_argument("--pgdata", default="/tmp/itog-bench-lookup-pg")
    p.add_argument("--dbname", default="itog_bench_lookup")
    p.add_argument("--data-dir", default="/tmp/itog-bench-lookup-data", help="ITOG_DATA_DIR of the server")
    p.add_argument("--demo-timeout", type=int, default=900)
    p.add_argument("--start-timeout", type=int, default=90)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--lock-timeout",
        type=int,
        default=1800,
        help="seconds to wait for another run of this script using the same --pgdata",
    )
    args = p.parse_args()

    lock = take_lock(Path(args.pgdata).with_suffix(".lock"), args.lock_timeout)  # noqa: F841 (held until exit)
    ensure_apt_package(lambda: pg_bin() is not None, "postgresql")
    ensure_apt_package(lambda: shutil.which("wrk") is not None, "wrk")
    pgbin = pg_bin()
    pgdata = Path(args.pgdata)
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = itog_env(args, data_dir)
    redis_server = None
    if not args.no_redis:
        sys.path.insert(0, str(ROOT))
        from tests.redis_server import RedisServer, redis_binary

        binary = redis_binary()
        if binary is None:
            die("redis-server is missing and could not be installed (apt-get install redis-server)")
        redis_server = RedisServer(binary)
        args.redis_url = redis_server.url
        global REDIS_PID
        REDIS_PID = redis_server.proc.pid
        say(f"redis-server {redis_server.url} (shared rate-limit counters and cache of the server)")
    else:
        args.redis_url = ""
    say(f"machine: {os.cpu_count()} cores, load average {load()} (1 min)")

    started_pg = start_postgres(pgbin, pgdata, args.pgport)
    tmp = Path(tempfile.mkdtemp(prefix="itog-bench-lookup-"))
    results = []
    try:
        prepare_database(args, pgbin, env, tmp)
        valid, wrong, pairs = export_pairs(env, tmp, args.wrong_share, args.seed)
        workers = [int(x) for x in args.workers.split(",") if x.strip()] or [None]
        threads = [int(x) for x in args.threads.split(",") if x.strip()] or [None]
        for w, t in itertools.product(workers, threads):
            results += measure(args, env, tmp, pairs, valid, wrong, w, t, pgbin)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if redis_server is not None:
            redis_server.stop()
        if started_pg and not args.keep_pg:
            stop_postgres(pgbin, pgdata)
            say("PostgreSQL stopped")

    say(f"\nsummary (wrk: {args.connections} connections, {args.duration} s per run):")
    say(
        "| endpoint | workers × threads | requests/s | p50 | p90 | p99 | non-2xx | CPU ms/request: serve + "
        "PostgreSQL + Redis + wrk | cores used by others | load before → after |"
    )
    say("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        c = r["cpu_ms"]
        say(
            f"| {r['endpoint']} | {r['config']} | {r['rps']:.0f} | {r['p50']:.1f} ms | {r['p90']:.1f} ms | "
            f"{r['p99']:.1f} ms | {r['non2xx']} | {c['server']:.2f} + {c['postgres']:.2f} + {c['redis']:.2f} + "
            f"{c['wrk']:.2f} | "
            f"{r['others_cores']:.2f} | {r['load_before']} → {r['load_after']} |"
        )
    bad = [r for r in results if r["problems"]]
    if bad:
        die("wrong answers: " + "; ".join(p for r in bad for p in r["problems"]))


def measure(args, env, tmp, pairs, valid, wrong, w, t, pgbin) -> list[dict]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "itog", "serve", "--bind", f"127.0.0.1:{port}"]
    if w:
        cmd += ["--workers", str(w)]
    if t:
        cmd += ["--threads", str(t)]
    log = tmp / f"serve-{port}.log"
    pgdata = Path(args.pgdata)
    env = {**env, "ITOG_REDIS_URL": args.redis_url, "ITOG_JOB_BACKEND": "celery" if args.redis_url else "thread"}
    say(f"\n=== itog serve {' '.join(cmd[4:])} ===")
    out = []
    with open(log, "w") as logf:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_up(base, proc, args.start_timeout, log)
            form = csrf_pair(base) if args.html else None
            endpoints = [("JSON API", base + "/api/v1/results/lookup", write_lua(tmp, pairs, "json"))]
            if form:
                endpoints.append(("HTML form", base + "/results/", write_lua(tmp, pairs, "form", *form)))
            if not args.no_static:
                static = tmp / "static.lua"
                static.write_text('wrk.method = "GET"\n', encoding="utf-8")
                endpoints.append(("static file", base + "/static/itog/itog.css", static))
            for name, url, lua in endpoints:
                if args.warmup:
                    run_wrk(url, lua, args, args.warmup)
                audit0 = audit_rows(pgbin, args)
                before = load()
                cpu0, busy0, t0 = cpu_snapshot(proc.pid, args.dbname, pgdata), machine_busy(), time.monotonic()
                res, raw = run_wrk(url, lua, args, args.duration)
                cpu1, busy1, t1 = cpu_snapshot(proc.pid, args.dbname, pgdata), machine_busy(), time.monotonic()
                after = load()
                config = _config_of(log, w, t)  # read now: every worker has booted and logged by now
                audits = audit_rows(pgbin, args) - audit0
                say(raw.rstrip())
                problems = (
                    [] if name == "static file" else verify(base, valid, wrong, form if name == "HTML form" else None)
                )
                res.update(
                    endpoint=name + (" (Redis counters)" if args.redis_url and name != "static file" else ""),
                    config=config,
                    load_before=before,
                    load_after=after,
                    problems=problems,
                )
                n = max(res["requests"], 1)
                res["cpu_ms"] = {
                    "server": cpu_used(cpu0, cpu1, "server") * 1000 / n,
                    "postgres": cpu_used(cpu0, cpu1, "postgres") * 1000 / n,
                    "wrk": res["wrk_cpu"] * 1000 / n,
                    "redis": cpu_used(cpu0, cpu1, "redis") * 1000 / n,
                }
                total = sum(res["cpu_ms"].values())
                # CPU the rest of the machine (other engineers' processes) used meanwhile, in cores
                res["others_cores"] = max(0.0, (busy1 - busy0) - total * n / 1000) / (t1 - t0)
                say(f"    other processes used {res['others_cores']:.2f} of the {os.cpu_count()} cores meanwhile")
                say(
                    "    CPU per request: itog serve {server:.2f} ms, PostgreSQL {postgres:.2f} ms, Redis {redis:.2f} ms, "
                    "wrk {wrk:.2f} ms".format(**res["cpu_ms"])
                    + f" = {total:.2f} ms → on 2 idle cores about "
                    f"{2000 / total:.0f} requests/s (an estimate, not a measurement)"
                )
                ok = res["rps"] >= 500 and res["p99"] < 100
                say(
                    f"--> {name}, {config}: {res['rps']:.0f} requests/s, p50 {res['p50']:.1f} ms, "
                    f"p90 {res['p90']:.1f} ms, p99 {res['p99']:.1f} ms, non-2xx {res['non2xx']}, "
                    f"socket errors {res['socket_errors']}, audit rows written {audits} "
                    f"({audits / max(res['requests'], 1):.1%} of {res['requests']}), "
                    f"load average {before} → {after}; target {'MET' if ok else 'NOT met'}; "
                    f"answers checked: {problems if problems else 'ok'}"
                )
                out.append(res)
        finally:
            stop_server(proc)
    return out


def _config_of(log: Path, w, t) -> str:
    """A label "workers × threads (worker class)"; the serve defaults when not given (from its log)."""
    text = log.read_text()
    m = re.search(r"Using worker: (\S+)", text)
    booted = len(set(re.findall(r"Booting worker with pid: (\d+)", text)))
    threads = t or 1  # itog_env passes no ITOG_THREADS: serve's default, 1
    return f"{w or booted} × {threads} ({m.group(1) if m else '?'}{'' if w else ', serve default'})"


if __name__ == "__main__":
    main()
