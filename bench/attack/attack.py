#!/usr/bin/env python3
"""Attack bench: the worst request shapes against the service while a legitimate reviewer
pages through filings. See README.md next to this file for what it measures and why.

    python3 bench/attack/attack.py run BINARY          # what bench/attack/run calls

The shapes that need raw sockets (a login storm from 200 source addresses, slow-header
connections, a 20 MB anonymous upload) are sub-commands of this file, run as separate
processes so that they never share an interpreter with the reviewer being measured:

    attack.py logins PORT SECONDS CONCURRENCY [BLOCK]
    attack.py slow-headers PORT SECONDS CONNECTIONS
    attack.py big-upload PORT SECONDS PARALLEL

Each prints one JSON object with what it saw. Standard library only.
"""

import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from datetime import datetime, timezone
from http.client import HTTPConnection

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_PASSWORD = "demo-pass-2026"  # seed-demo's password for every demo account
BASELINE_SECONDS = float(os.environ.get("BASELINE_SECONDS", "15"))
STORM_SECONDS = float(os.environ.get("STORM_SECONDS", "8"))
ATTACK_SECONDS = float(os.environ.get("ATTACK_SECONDS", "25"))
ISOLATED_SECONDS = float(os.environ.get("ISOLATED_SECONDS", "6"))
SAMPLE_EVERY = 0.5


def log(message):
    print(f"[attack-bench] {message}", file=sys.stderr, flush=True)


# =======================================================================================
# Raw HTTP/1.1 over asyncio, for the shapes that need control of the socket
# =======================================================================================


async def read_response(reader):
    """Reads one HTTP/1.1 response; returns (status, body bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        body = b""
    return status, body


def error_code(body):
    match = re.search(rb'"code"\s*:\s*"([A-Z_]+)"', body)
    return match.group(1).decode() if match else "none"


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def attack_logins(port, seconds, concurrency, block=2):
    """`concurrency` clients, each from its own loopback address (127.BLOCK.x.y), send failed
    logins (wrong passwords, real and made-up usernames) back to back until time is up:
    always `concurrency` failed logins in flight at once."""

    answers, latencies = Counter(), []

    async def client(n):
        address = f"127.{block}.{1 + n // 250}.{1 + n % 250}"
        deadline = time.monotonic() + seconds
        reader = writer = None
        while time.monotonic() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
                username = random.choice(["reviewer", "admin", "rec.hohhot", f"nobody{random.randrange(10**6)}"])
                body = json.dumps({
                    "query": "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                    "variables": {"u": username, "p": f"wrong-{uuid.uuid4().hex}"},
                }).encode()
                started = time.monotonic()
                writer.write(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
                status, reply = await asyncio.wait_for(read_response(reader), 30)
                latencies.append(time.monotonic() - started)
                answers[f"{status} {error_code(reply)}"] += 1
            except Exception as error:
                answers[f"failed {type(error).__name__}"] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.05)
        if writer is not None:
            writer.close()

    async def main():
        await asyncio.gather(*(client(n) for n in range(concurrency)))

    asyncio.run(main())
    return {"answers": dict(answers), "requests": sum(answers.values()),
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99))}


def attack_slow_headers(port, seconds, connections):
    """Opens `connections` TCP connections that start a request and then trickle one
    header byte per second, never finishing the headers; a connection the server closes
    is opened again. Reports how long the server let them hang on."""

    lifetimes, closed, opened = [], Counter(), Counter()

    async def one(n):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError as error:
                closed[f"connect failed: {type(error).__name__}"] += 1
                await asyncio.sleep(0.5)
                continue
            opened["opened"] += 1
            started = time.monotonic()
            try:
                writer.write(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                await writer.drain()
                while time.monotonic() < deadline:
                    # Whatever the server sends (a 408, or nothing but a close) ends it.
                    try:
                        data = await asyncio.wait_for(reader.read(1024), 1.0)
                        if data:
                            status = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "data"
                            closed[f"answered {status}"] += 1
                        else:
                            closed["closed by server"] += 1
                        lifetimes.append(time.monotonic() - started)
                        break
                    except asyncio.TimeoutError:
                        writer.write(b"a")
                        await writer.drain()
                else:
                    closed["still open at the end"] += 1
            except (ConnectionError, OSError) as error:
                closed[f"reset ({type(error).__name__})"] += 1
                lifetimes.append(time.monotonic() - started)
            finally:
                writer.close()

    async def main():
        await asyncio.gather(*(one(n) for n in range(connections)))

    asyncio.run(main())
    return {"opened": opened["opened"], "ends": dict(closed),
            "median_lifetime_s": round(statistics.median(lifetimes), 1) if lifetimes else None,
            "max_lifetime_s": round(max(lifetimes), 1) if lifetimes else None}


def attack_big_upload(port, seconds, parallel):
    """`parallel` clients each send anonymous multipart requests declaring a 20 MB body
    (with the preflight header uploads need), streaming it until the server answers.
    Reports the answers and how much of the body went out before them."""

    size = 20 * 1024 * 1024
    answers, sent_before_answer, latencies = Counter(), [], []

    async def one():
        deadline = time.monotonic() + seconds
        chunk = b"A" * 65536
        boundary = "bench" + uuid.uuid4().hex
        ops = json.dumps({"query": "mutation($input: UploadFilingAttachmentInput!) { uploadFilingAttachment(input: $input) { filing { id } } }",
                          "variables": {"input": {"filingId": "1", "version": 1, "kind": "OTHER", "file": None}}})
        prefix = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{ops}\r\n"
                  f"--{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n"
                  '{"0":["variables.input.file"]}\r\n'
                  f"--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"big.pdf\"\r\n"
                  "Content-Type: application/pdf\r\n\r\n").encode()
        suffix = f"\r\n--{boundary}--\r\n".encode()
        total = len(prefix) + size + len(suffix)
        while time.monotonic() < deadline:
            started = time.monotonic()
            sent = 0
            writer = answer = None
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nApollo-Require-Preflight: true\r\n"
                              f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                              f"Content-Length: {total}\r\nConnection: close\r\n\r\n").encode() + prefix)
                answer = asyncio.ensure_future(read_response(reader))
                while sent < size and not answer.done():
                    part = chunk[: min(len(chunk), size - sent)]
                    writer.write(part)
                    await writer.drain()
                    sent += len(part)
                if not answer.done():
                    writer.write(suffix)
                    await writer.drain()
                status, body = await asyncio.wait_for(answer, 30)
                answers[f"{status} {error_code(body)}"] += 1
                sent_before_answer.append(sent)
                latencies.append(time.monotonic() - started)
            except Exception as error:
                # A server that answers early and closes makes the rest of our send fail;
                # the answer it sent is still there to read.
                try:
                    if answer is None:
                        raise error
                    status, body = await asyncio.wait_for(answer, 2)
                    answers[f"{status} {error_code(body)}"] += 1
                    latencies.append(time.monotonic() - started)
                except Exception:
                    answers[f"failed {type(error).__name__}"] += 1
                sent_before_answer.append(sent)
            finally:
                if writer is not None:
                    writer.close()

    async def main():
        await asyncio.gather(*(one() for _ in range(parallel)))

    asyncio.run(main())
    return {"answers": dict(answers), "requests": sum(answers.values()),
            "median_body_bytes_sent_before_answer": int(statistics.median(sent_before_answer)) if sent_before_answer else None,
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99))}


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


# =======================================================================================
# The request bodies fired with wrk
# =======================================================================================


def write_bodies(folder):
    """Writes one file of JSON bodies (one per line) per wrk-driven shape."""
    coverage = "{ " + " ".join(f"a{i}: coverage {{ total }}" for i in range(100)) + " }"
    deep = "{ __schema { types { " + "fields { type { " * 10 + "name" + " } }" * 10 + " } } }"
    aliased = "{ " + " ".join(f"r{i}: regions {{ code name }}" for i in range(300)) + " }"
    directives = "{ regions " + " ".join(f"@nope{i}" for i in range(100)) + " { code } }"
    nested_outlets = ("{ publishedOutlets(first: 100) { edges { node { number name department { name } "
                      "serviceItems { serviceType description } } } } }")
    shapes = {
        # (1) a batch of ten operations, each aliasing `coverage` a hundred times
        "batch-coverage": [json.dumps([{"query": coverage}] * 10)],
        # (3) a login flood from one address (wrong passwords)
        "login-flood": [json.dumps({"query": "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                                    "variables": {"u": u, "p": "wrong-password-123"}})
                        for u in ("reviewer", "admin", "nobody1", "nobody2", "rec.hohhot")],
        # (5) an absurd year, a deep query, hundreds of aliases, unknown directives
        "odd-queries": [json.dumps({"query": q}) for q in (
            "{ annualReportCompliance(year: 262142) { departments { owed missing } overdue { number } } }",
            deep, aliased, directives, nested_outlets)],
        # (6) a page far beyond the limit
        "big-page": [json.dumps({"query": "{ publishedOutlets(first: 5000) { edges { node { number name } } } }"})],
    }
    paths = {}
    for name, bodies in shapes.items():
        path = os.path.join(folder, f"{name}.jsonl")
        with open(path, "w") as fh:
            fh.write("\n".join(bodies) + "\n")
        paths[name] = path
    return paths


# How each shape is fired: wrk flags for the plain POST bodies, (sub-command, size) for the
# Python clients. SHAPES is the order of the report.
WRK_FLAGS = {
    "batch-coverage": ["-t1", "-c4"],
    "login-flood": ["-t1", "-c16"],
    "odd-queries": ["-t1", "-c4"],
    "big-page": ["-t1", "-c4"],
}
PY_ATTACKS = {
    "logins-200": ("logins", 200),
    "slow-headers": ("slow-headers", 256),
    "big-upload": ("big-upload", 2),
}
SHAPES = ["batch-coverage", "logins-200", "login-flood", "slow-headers", "big-upload", "odd-queries", "big-page"]
DESCRIBED = {
    "batch-coverage": ("(1) batch of 10 operations, each `coverage` aliased 100×", "wrk -c4"),
    "logins-200": ("(2) 200 concurrent failed logins from 200 addresses", "Python asyncio"),
    "login-flood": ("(3) failed-login flood from one address", "wrk -c16"),
    "slow-headers": ("(4) 256 slow-header connections, one header byte a second", "Python asyncio"),
    "big-upload": ("(4) anonymous 20 MB multipart upload, streamed", "Python asyncio, 2 at a time"),
    "odd-queries": ("(5) `annualReportCompliance(year: 262142)`, depth-23 introspection, 300 aliases, "
                    "100 unknown directives, a full public page, in turn", "wrk -c4"),
    "big-page": ("(6) `publishedOutlets(first: 5000)`", "wrk -c4"),
}


def probe_bodies(port, bodies):
    """Sends each wrk body once, before any load, and keeps its answer (status and code),
    so the report can say what each query shape gets."""
    answers = {}
    for name, path in bodies.items():
        with open(path) as fh:
            for n, body in enumerate(line for line in fh if line.strip()):
                conn = HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("POST", "/graphql", body.strip(), {"Content-Type": "application/json"})
                response = conn.getresponse()
                raw = response.read()
                conn.close()
                answers[f"{name} #{n + 1}"] = f"{response.status} {error_code(raw)}"
    return answers


def parse_wrk(output):
    answers, summary, latency = {}, {}, {}
    for line in output.splitlines():
        if line.startswith("ANSWER "):
            _, status, code, n = line.split()
            answers[f"{status} {code}"] = int(n)
        elif line.startswith("SUMMARY ") or line.startswith("LATENCY "):
            target = summary if line.startswith("SUMMARY") else latency
            for item in line.split()[1:]:
                key, value = item.split("=")
                target[key] = int(value)
    errors = {k: v for k, v in summary.items() if k.startswith("errors_") and v}
    return {"answers": answers, "requests": summary.get("requests"), "socket_errors": errors,
            "p50_ms": round(latency.get("p50_us", 0) / 1000, 1), "p99_ms": round(latency.get("p99_us", 0) / 1000, 1)}


# =======================================================================================
# The run
# =======================================================================================


class Gql:
    """A keep-alive JSON client for POST /graphql."""

    def __init__(self, port, token=None, timeout=10):
        self.port, self.token, self.timeout = port, token, timeout
        self.conn = None

    def __call__(self, query, variables=None):
        if self.conn is None:
            self.conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            self.conn.request("POST", "/graphql", json.dumps({"query": query, "variables": variables or {}}), headers)
            response = self.conn.getresponse()
            raw = response.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        return response.status, json.loads(raw) if raw else None

    def data(self, query, variables=None):
        status, body = self(query, variables)
        if status != 200 or body.get("errors"):
            raise SystemExit(f"setup request failed: HTTP {status} {json.dumps(body)[:500]}")
        return body["data"]


REVIEWER_PAGE = """query($after: String) {
  filings(first: 20, after: $after) {
    edges { cursor node { id kind state version submittedAt updatedAt
      institution { id name uscc department { code name } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


class Reviewer(threading.Thread):
    """One reviewer paging through filings, twenty at a time, over and over; every
    request's latency and any error (a non-200, a GraphQL error, no answer) is kept."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.client = Gql(port, token)
        self.latencies, self.errors = [], Counter()
        self.stop_at = 0.0

    def run(self):
        after = None
        while time.monotonic() < self.stop_at:
            started = time.monotonic()
            try:
                status, body = self.client(REVIEWER_PAGE, {"after": after})
            except Exception as error:
                self.errors[f"no answer ({type(error).__name__})"] += 1
                self.latencies.append(time.monotonic() - started)
                continue
            self.latencies.append(time.monotonic() - started)
            if status != 200 or not body or body.get("errors"):
                code = (body or {}).get("errors", [{}])[0].get("extensions", {}).get("code") if body else None
                self.errors[f"HTTP {status} {code}"] += 1
                after = None
                continue
            page = body["data"]["filings"]
            after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None

    def measure(self, seconds):
        self.stop_at = time.monotonic() + seconds
        self.start()
        return self

    def result(self):
        self.join()
        values = self.latencies
        return {"requests": len(values), "p50_ms": ms(percentile(values, 50)), "p90_ms": ms(percentile(values, 90)),
                "p99_ms": ms(percentile(values, 99)), "max_ms": ms(max(values) if values else None),
                "errors": sum(self.errors.values()), "error_kinds": dict(self.errors)}


class Sampler(threading.Thread):
    """Every half second: the server's resident memory (VmRSS, VmHWM) and a GET /readyz
    on a fresh connection with a 2 s timeout. Samples are tagged with the current phase."""

    def __init__(self, pid, port):
        super().__init__(daemon=True)
        self.pid, self.port = pid, port
        self.phase = "setup"
        self.samples = []
        self.running = True

    def memory(self):
        values = {}
        with open(f"/proc/{self.pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":")
                    values[key] = int(value.split()[0]) / 1024  # MiB
        return values

    def cpu(self):
        """CPU seconds used so far by the server, and by the whole machine (busy, total)."""
        tick = os.sysconf("SC_CLK_TCK")
        try:
            with open(f"/proc/{self.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            with open("/proc/stat") as fh:
                values = [int(v) for v in fh.readline().split()[1:]]
            idle = values[3] + values[4]
            return {"server_cpu": server, "busy": (sum(values) - idle) / tick, "total": sum(values) / tick}
        except (OSError, IndexError, ValueError):
            return {}

    def run(self):
        while self.running:
            tick = time.monotonic()
            try:
                mem = self.memory()
            except OSError:
                mem = {}
            started = time.monotonic()
            try:
                conn = HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/readyz")
                status = conn.getresponse().status
                conn.close()
            except Exception as error:
                status = type(error).__name__
            cpu = self.cpu()
            self.samples.append({"phase": self.phase, "rss": mem.get("VmRSS"), "hwm": mem.get("VmHWM"), **cpu,
                                 "ready": status, "ready_ms": (time.monotonic() - started) * 1000})
            time.sleep(max(0.0, SAMPLE_EVERY - (time.monotonic() - tick)))

    def summary(self, phase):
        rows = [s for s in self.samples if s["phase"] == phase]
        bad = [s for s in rows if s["ready"] != 200]
        cpu = {}
        if len(rows) >= 2 and "total" in rows[0] and "total" in rows[-1]:
            spent = rows[-1]["total"] - rows[0]["total"]
            if spent > 0:
                # Shares of the machine's CPU time: 100 % is both cores busy.
                cpu = {"server_cpu_pct": round(100 * (rows[-1]["server_cpu"] - rows[0]["server_cpu"]) / spent),
                       "machine_busy_pct": round(100 * (rows[-1]["busy"] - rows[0]["busy"]) / spent)}
        return {"samples": len(rows), "not_200": len(bad), **cpu,
                "not_200_kinds": dict(Counter(str(s["ready"]) for s in bad)),
                "readyz_max_ms": round(max((s["ready_ms"] for s in rows), default=0), 1),
                "rss_max_mib": round(max((s["rss"] or 0 for s in rows), default=0), 1),
                "hwm_mib": round(max((s["hwm"] or 0 for s in rows), default=0), 1)}


def spawn(args):
    """Runs this file's sub-command in its own process; returns the Popen."""
    return subprocess.Popen([sys.executable, os.path.abspath(__file__), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def collect(proc):
    out, err = proc.communicate()
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"failed": (err or out)[-500:]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f"{int(fh.readline().split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    wrk_version = (wrk.stdout + wrk.stderr).splitlines()[0] if (wrk.stdout + wrk.stderr) else "wrk"
    return (f"{os.cpu_count()} cores ({model}), {mem}, Linux {platform.release()}; "
            f"load tools: {wrk_version.split(' [')[0]}, Python {platform.python_version()} asyncio")


def throwaway_database(prefix, data_dir):
    """A database of the bench's own: a fresh one on the PostgreSQL server that DATABASE_URL
    or TEST_DATABASE_URL names, otherwise a SQLite file in `data_dir`. Returns its URL, the
    backend's name, and a function that drops it."""
    base = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""
    if not base.startswith("postgres"):
        return f"sqlite://{data_dir}/outlet-filing.db?mode=rwc", "SQLite", lambda: None
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", "-X", "-q", "-d", base, "-c", f"CREATE DATABASE {name}"], check=True)
    parts = urllib.parse.urlsplit(base)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    drop = lambda: subprocess.run(["psql", "-X", "-q", "-d", base, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
    return url, "PostgreSQL", drop


def run(binary):
    binary = os.path.abspath(binary)
    temp = tempfile.mkdtemp(prefix="attack-bench.")
    data_dir = os.path.join(temp, "data")
    os.makedirs(data_dir)
    database_url, backend, drop_database = throwaway_database("bench", data_dir)
    port = free_port()
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    # Only what a deployment sets anyway: every limit and throttle keeps its default.
    env.update({"DATABASE_URL": database_url, "OUTLET_FILING_DATA_DIR": data_dir,
                "OUTLET_FILING_BIND": f"127.0.0.1:{port}",
                "OUTLET_FILING_JWT_SECRET": "attack-bench-secret-0123456789abcdef-0123456789",
                "OUTLET_FILING_ADMIN_PASSWORD": "bench-admin-pass-2026", "RUST_LOG": "warn"})

    # Setup: migrate, seed the demo accounts, start the server.
    subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True)
    seeded = subprocess.run([binary, "seed-demo"], env=env, check=True, capture_output=True, text=True)
    logins = [line.split()[0] for line in seeded.stdout.splitlines()[1:] if line.strip()]
    applicants = [u for u in logins if u.startswith("applicant.")]
    log(f"{backend}; seed-demo created: {', '.join(logins)}")
    server_log = open(os.path.join(temp, "server.log"), "wb")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=server_log, stderr=server_log)
    for _ in range(300):
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        raise SystemExit("the server did not become ready")

    def login(username):
        data = Gql(port).data("mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                              {"u": username, "p": DEMO_PASSWORD})
        return data["login"]["token"]

    # Filings for the reviewer to page through: each demo institution opens and withdraws
    # filings (one may be open at a time), and leaves the last one open.
    for username in applicants:
        client = Gql(port, login(username))
        institution = client.data("{ me { institutionId } }")["me"]["institutionId"]
        for n in range(16):
            filing = client.data("mutation($id: ID!) { createFiling(input: {institutionId: $id, kind: INITIAL}) { filing { id version } } }",
                                 {"id": institution})["createFiling"]["filing"]
            if n < 15:
                client.data("mutation($id: ID!, $v: Int!) { withdrawFiling(input: {id: $id, version: $v}) { filing { id } } }",
                            {"id": filing["id"], "v": filing["version"]})
    reviewer_token = login("reviewer")
    total = Gql(port, reviewer_token).data("{ filings(first: 1) { totalCount } }")["filings"]["totalCount"]
    log(f"{total} filings for the reviewer to page through")

    bodies = write_bodies(temp)
    probes = probe_bodies(port, bodies)
    sampler = Sampler(server.pid, port)
    sampler.start()
    url = f"http://127.0.0.1:{port}"

    address_blocks = iter(range(2, 250))

    def launch(name, seconds):
        """Starts one attack for `seconds`; returns a function that waits for its result."""
        if name in WRK_FLAGS:
            proc = subprocess.Popen(["wrk", *WRK_FLAGS[name], f"-d{max(1, round(seconds))}s", "--timeout", "10s",
                                     "-s", os.path.join(HERE, "bodies.lua"), url, "--", bodies[name]],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            return lambda: parse_wrk(proc.communicate()[0])
        command, size = PY_ATTACKS[name]
        # Each login storm comes from fresh addresses, so that the per-address throttle
        # the previous one tripped does not turn it away before the password hasher.
        extra = [next(address_blocks)] if command == "logins" else []
        proc = spawn([command, port, seconds, size, *extra])
        return lambda: collect(proc)

    # Phase 1: the reviewer alone.
    sampler.phase = "baseline"
    log(f"baseline: the reviewer alone for {BASELINE_SECONDS:.0f} s")
    baseline = Reviewer(port, reviewer_token).measure(BASELINE_SECONDS).result()
    base_mem = sampler.summary("baseline")

    # Phase 2: the login storm alone (200 failed logins in flight), for its memory peak;
    # then every other shape alone, to tell which one the reviewer feels.
    isolated = {}
    for name in ["logins-200"] + [n for n in SHAPES if n != "logins-200"]:
        seconds = STORM_SECONDS if name == "logins-200" else ISOLATED_SECONDS
        sampler.phase = f"alone:{name}"
        log(f"{name} alone for {seconds:.0f} s, reviewer measured")
        finish = launch(name, seconds)
        time.sleep(0.5)
        reviewer = Reviewer(port, reviewer_token).measure(seconds - 1.0).result()
        result = finish()
        time.sleep(SAMPLE_EVERY * 2)
        isolated[name] = {"reviewer": reviewer, "attack": result, "server": sampler.summary(f"alone:{name}")}

    # Phase 3: every shape at once, with the reviewer measured throughout.
    sampler.phase = "attack"
    log(f"all attacks at once for {ATTACK_SECONDS:.0f} s, reviewer measured")
    finishers = {name: launch(name, ATTACK_SECONDS) for name in SHAPES}
    time.sleep(0.5)  # let every attack connect before the clock starts
    attacked = Reviewer(port, reviewer_token).measure(ATTACK_SECONDS - 1.5).result()
    attack_results = {name: finish() for name, finish in finishers.items()}
    attack_mem = sampler.summary("attack")

    sampler.phase = "after"
    time.sleep(2)
    sampler.running = False
    sampler.join()
    after_mem = sampler.summary("after")
    alive = server.poll() is None
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
    server_log.close()

    report = render(backend, total, baseline, attacked, base_mem, isolated, attack_results, attack_mem,
                    after_mem, alive, probes)
    with open(os.path.join(HERE, "REPORT.md"), "w") as fh:
        fh.write(report)
    with open(os.path.join(HERE, "results.json"), "w") as fh:
        json.dump({"baseline": baseline, "all_attacks": {"reviewer": attacked, "server": attack_mem,
                   "attacks": attack_results}, "alone": isolated, "after": after_mem, "probes": probes},
                  fh, indent=2, ensure_ascii=False)
    print(report)
    drop_database()
    if os.environ.get("KEEP") != "1":
        shutil.rmtree(temp, ignore_errors=True)
    else:
        log(f"kept {temp}")


def verdict(ok):
    return "met" if ok else "**missed**"


def answers_text(answers):
    return ", ".join(f"{k}: {v}" for k, v in sorted(answers.items(), key=lambda kv: -kv[1])) or "none"


def render(backend, total, baseline, attacked, base_mem, isolated, attacks, attack_mem, after_mem, alive, probes):
    ratio = (attacked["p99_ms"] / baseline["p99_ms"]) if baseline["p99_ms"] else float("inf")
    phases = [i["server"] for i in isolated.values()] + [attack_mem]
    readyz_bad = sum(m["not_200"] for m in phases)
    readyz_samples = sum(m["samples"] for m in phases)
    storm_mem = isolated["logins-200"]["server"]
    peak_storm = storm_mem["hwm_mib"]
    reviewer_errors = baseline["errors"] + attacked["errors"] + sum(i["reviewer"]["errors"] for i in isolated.values())
    lines = [
        "# Attack bench report",
        "",
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {machine()}; the load tools run on the same cores as the server",
        f"- Server: release build, {backend}, default limits and throttles; {total} filings seeded",
        f"- Phases: reviewer alone {BASELINE_SECONDS:.0f} s; the login storm alone {STORM_SECONDS:.0f} s, then each "
        f"other shape alone {ISOLATED_SECONDS:.0f} s; all shapes at once {ATTACK_SECONDS:.0f} s. The reviewer is "
        f"measured in every phase; RSS and /readyz are sampled every {SAMPLE_EVERY} s throughout",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| reviewer p99 under attack ≤ 3× without | {attacked['p99_ms']} ms with all attacks vs {baseline['p99_ms']} ms "
        f"({ratio:.1f}×) | {verdict(ratio <= 3)} |",
        f"| zero reviewer errors | {reviewer_errors} over all phases | {verdict(reviewer_errors == 0)} |",
        f"| /readyz always 200 | {readyz_bad} of {readyz_samples} samples not 200 during the attacks | "
        f"{verdict(readyz_bad == 0)} |",
        f"| peak RSS under the login storm < 200 MB | {peak_storm} MiB (VmHWM) | {verdict(peak_storm < 200)} |",
        "",
        "## Reviewer: `filings(first: 20, after: $cursor)`, one client, back to back",
        "",
        "| while | requests | p50 | p90 | p99 | max | errors | /readyz not 200 | server RSS max | CPU: server / whole machine |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def row(name, r, m):
        kinds = " " + json.dumps(r["error_kinds"]) if r["errors"] else ""
        return (f"| {name} | {r['requests']} | {r['p50_ms']} ms | {r['p90_ms']} ms | {r['p99_ms']} ms | "
                f"{r['max_ms']} ms | {r['errors']}{kinds} | {m['not_200']} of {m['samples']} | {m['rss_max_mib']} MiB | "
                f"{m.get('server_cpu_pct')} % / {m.get('machine_busy_pct')} % |")

    lines.append(row("nothing else (baseline)", baseline, base_mem))
    for name, i in isolated.items():
        lines.append(row(f"{DESCRIBED[name][0]} alone", i["reviewer"], i["server"]))
    lines.append(row("**all attacks at once**", attacked, attack_mem))
    lines += [
        "",
        f"Server memory: {base_mem['rss_max_mib']} MiB during the baseline, peak (VmHWM) {peak_storm} MiB after "
        f"the login storm, {attack_mem['rss_max_mib']} MiB at most with all attacks, {after_mem['rss_max_mib']} MiB "
        f"2 s after them. Slowest /readyz under all attacks: {attack_mem['readyz_max_ms']} ms. Server still running "
        f"after the attacks: {'yes' if alive else '**no**'}.",
        "",
        "## What each attack got (all at once)",
        "",
        "| shape | tool | requests | answers (status and error code) | p50 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for name in SHAPES:
        what, tool = DESCRIBED[name]
        r = attacks.get(name, {})
        if name == "slow-headers":
            lines.append(f"| {what} | {tool} | {r.get('opened')} connections | {answers_text(r.get('ends', {}))} | "
                         f"median life {r.get('median_lifetime_s')} s | longest {r.get('max_lifetime_s')} s |")
            continue
        extra = ""
        if name == "big-upload" and r.get("median_body_bytes_sent_before_answer") is not None:
            extra = (f" (median {r['median_body_bytes_sent_before_answer'] / 1048576:.1f} MiB of the body sent "
                     "before the answer)")
        socket_errors = f"; socket errors {r['socket_errors']}" if r.get("socket_errors") else ""
        failed = f" {r['failed']}" if r.get("failed") else ""
        lines.append(f"| {what} | {tool} | {r.get('requests')} | {answers_text(r.get('answers', {}))}{extra}"
                     f"{socket_errors}{failed} | {r.get('p50_ms')} ms | {r.get('p99_ms')} ms |")
    lines += ["", "Each query body sent once before the load: " +
              "; ".join(f"{k}: {v}" for k, v in probes.items()) + ".", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "run" and len(args) == 1:
        run(args[0])
    elif command == "logins":
        print(json.dumps(attack_logins(int(args[0]), float(args[1]), int(args[2]), int(args[3]) if args[3:] else 2)))
    elif command == "slow-headers":
        print(json.dumps(attack_slow_headers(int(args[0]), float(args[1]), int(args[2]))))
    elif command == "big-upload":
        print(json.dumps(attack_big_upload(int(args[0]), float(args[1]), int(args[2]))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
