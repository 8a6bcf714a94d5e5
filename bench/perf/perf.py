#!/usr/bin/env python3
"""Performance bench: each request shape a client sends, at a fixed concurrency, against
the release binary on a database grown to a region's size; then the same answers as the
minimal SQL through pgbench or sqlite-floor (the floor). Writes
bench/perf/REPORT-<backend>.md and prints it. See README.md next to this file.

    python3 bench/perf/perf.py BINARY        # what bench/perf/run calls

Settings (environment): BENCH_SIZE `institutions,filings,outlets` (default
100000,150000,20000), BENCH_SECONDS per request (10), BENCH_CONNECTIONS (32),
BENCH_SMOKE=1 (a small data set, one second a request: checks that every request answers
what it should, measures nothing worth reading), BENCH_FLAME=<label> (a flame graph of the
server for each request, in bench/perf/flame/), BENCH_ONLY=<regex> (only the requests
whose name matches). DATABASE_URL or TEST_DATABASE_URL naming a
PostgreSQL server runs on a throwaway database there; otherwise SQLite.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "attack"))
from attack import DEMO_PASSWORD, Gql, free_port, machine, parse_wrk, throwaway_database  # noqa: E402

SMOKE = os.environ.get("BENCH_SMOKE") == "1"
SIZE = [int(n) for n in os.environ.get("BENCH_SIZE", "2000,3000,400" if SMOKE else "100000,150000,20000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "1" if SMOKE else "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
# BENCH_FLAME=<label> also records a flame graph of the server per request, named after the
# label (e.g. "before", "after"); needs perf and inferno (`cargo install inferno`).
FLAME = os.environ.get("BENCH_FLAME")
# BENCH_ONLY=<regex> runs only the requests whose name matches.
ONLY = os.environ.get("BENCH_ONLY")
FLAME_DIR = os.path.join(HERE, "flame")
DEPARTMENTS = ["150100", "150200", "150300", "150400", "150500", "150600", "150700",
               "150800", "150900", "152200", "152500", "152900", "150781", "152501"]


def log(message):
    print(f"[perf-bench] {message}", file=sys.stderr, flush=True)


# =======================================================================================
# The requests: what each client sends, the check of its answer, and the floor's SQL
# =======================================================================================

INSTITUTION_PAGE = """query($d: String) { institutions(first: 20, filter: {departmentCode: $d}) {
  totalCount edges { node { id uscc name kind department { code name } address
    contact { name phone } staff { name employment title } databases { name source }
    serviceItems { serviceType description channels } version updatedAt } } } }"""

FILING_PAGE = """query($s: FilingState) { filings(first: 20, filter: {state: $s}) {
  totalCount edges { cursor node { id kind state version submittedAt updatedAt
    institution { id name uscc department { code name } } } } pageInfo { hasNextPage endCursor } } }"""

INSTITUTION = """query($id: ID!) { institution(id: $id) { id uscc name kind department { code name }
    address website version } filings(first: 10, filter: {institutionId: $id}) {
    edges { node { id kind state version submittedAt updatedAt } } } }"""

COUNTS = "{ " + " ".join(
    f'd{code}: institutions(first: 1, filter: {{departmentCode: "{code}"}}) {{ totalCount }}' for code in DEPARTMENTS) + " }"

COVERAGE = """{ coverage { asOf total departments { department { code name } outlets
    byKind { name count } byIpCategory { name count } byServiceType { name count } byServiceMode { name count } } } }"""

COMPLIANCE = """query($y: Int!) { annualReportCompliance(year: $y) { year dueOn
    departments { department { code } owed submittedOnTime submittedLate missing } } }"""

PUBLIC_LIST = """query($d: String) { publishedOutlets(first: 20, filter: {departmentCode: $d}) {
  totalCount edges { node { id number name kind department { code name } address
    publicContact { name } ipCategories serviceModes serviceItems { serviceType description }
    validFrom validUntil } } } }"""


def body(query, variables=None):
    return json.dumps({"query": query, "variables": variables or {}}, ensure_ascii=False)


def requests_to_run(institution_ids, this_year):
    """(name, who, bodies, check, floor SQL) for each request measured."""
    def page_of(field, n=20):
        # A full page, or every row when fewer match (the smoke run's small data).
        return lambda d: 0 < d[field]["totalCount"] and len(d[field]["edges"]) == min(n, d[field]["totalCount"])

    return [
        ("reviewer: page of 20 institutions with staff, databases and service items", "reviewer",
         [body(INSTITUTION_PAGE, {"d": d}) for d in DEPARTMENTS[:12]], page_of("institutions"),
         FLOOR_INSTITUTION_PAGE),
        ("reviewer: page of 20 filings", "reviewer",
         [body(FILING_PAGE, {"s": s}) for s in ["SUBMITTED", "RECOMMENDED", "RETURNED", "DRAFT"]], page_of("filings"),
         FLOOR_FILING_PAGE),
        ("recommender: page of 20 filings of the department", "rec.hohhot",
         [body(FILING_PAGE, {"s": s}) for s in ["SUBMITTED", "RETURNED", "DRAFT"]], page_of("filings"),
         FLOOR_RECOMMENDER_PAGE),
        ("reviewer: one institution with its filings", "reviewer",
         [body(INSTITUTION, {"id": str(i)}) for i in institution_ids],
         lambda d: d["institution"]["id"] and len(d["filings"]["edges"]) >= 1, FLOOR_INSTITUTION),
        ("reviewer: institution count per 盟市 (totalCount x 14)", "reviewer", [body(COUNTS)],
         lambda d: sum(v["totalCount"] for v in d.values()) >= SIZE[0], FLOOR_COUNTS),
        ("analyst: coverage", "reviewer", [body(COVERAGE)],
         lambda d: d["coverage"]["total"] > 0.8 * SIZE[2], FLOOR_COVERAGE),
        ("analyst: annual-report compliance", "reviewer", [body(COMPLIANCE, {"y": this_year - 1})],
         lambda d: sum(x["owed"] for x in d["annualReportCompliance"]["departments"]) > 0, None),
        ("public: published list, page of 20", None,
         [body(PUBLIC_LIST, {"d": d}) for d in [None] + DEPARTMENTS[:12]], page_of("publishedOutlets"),
         FLOOR_PUBLIC_LIST),
        ("anyone: { __typename }", None, [body("{ __typename }")], lambda d: d["__typename"] == "QueryRoot", None),
    ]


# The minimal SQL for the same answers: statements with named parameters (`:d` a department
# code, `:s` a filing state, `:id` an institution id) and the values a run takes in turn, as
# the clients' bodies do. pgbench runs it on PostgreSQL (`pgbench_script`), sqlite-floor
# (bench/floor) on SQLite; the SQL is written once, in the dialect both speak.
PAGE_DEPARTMENTS = [{"d": d} for d in DEPARTMENTS[:12]]

FLOOR_INSTITUTION_PAGE = ("""
SELECT count(*) FROM institutions WHERE department_code = :d;
SELECT id, uscc, name, kind, department_code, address, contact_name, contact_phone, version, updated_at
  FROM institutions WHERE department_code = :d ORDER BY id LIMIT 21;
SELECT s.institution_id, s.name, s.employment, s.title FROM institution_staff s
  WHERE s.institution_id IN (SELECT id FROM institutions WHERE department_code = :d ORDER BY id LIMIT 20)
  ORDER BY s.position;
SELECT d.institution_id, d.name, d.source FROM institution_databases d
  WHERE d.institution_id IN (SELECT id FROM institutions WHERE department_code = :d ORDER BY id LIMIT 20)
  ORDER BY d.position;
SELECT i.institution_id, i.service_type, i.description, i.channels FROM institution_service_items i
  WHERE i.institution_id IN (SELECT id FROM institutions WHERE department_code = :d ORDER BY id LIMIT 20)
  ORDER BY i.position;
""", PAGE_DEPARTMENTS)

FLOOR_FILING_PAGE = ("""
SELECT count(*) FROM filings WHERE state = :s;
SELECT f.id, f.kind, f.state, f.version, f.submitted_at, f.updated_at, i.id, i.name, i.uscc, i.department_code
  FROM filings f JOIN institutions i ON i.id = f.institution_id
  WHERE f.state = :s ORDER BY f.id LIMIT 21;
""", [{"s": s} for s in ["SUBMITTED", "RECOMMENDED", "RETURNED", "DRAFT"]])

# Filings carry their institution's department (migration 23), so the minimal SQL filters on it.
FLOOR_RECOMMENDER_PAGE = ("""
SELECT count(*) FROM filings f WHERE f.department_code = '150100' AND f.state = :s;
SELECT f.id, f.kind, f.state, f.version, f.submitted_at, f.updated_at, i.id, i.name, i.uscc
  FROM filings f JOIN institutions i ON i.id = f.institution_id
  WHERE f.department_code = '150100' AND f.state = :s ORDER BY f.id LIMIT 21;
""", [{"s": s} for s in ["SUBMITTED", "RETURNED", "DRAFT"]])

# Its values are the institutions the clients ask for (`measure_requests`).
FLOOR_INSTITUTION = ("""
SELECT id, uscc, name, kind, department_code, address, website, version FROM institutions WHERE id = :id;
SELECT id, kind, state, version, submitted_at, updated_at FROM filings WHERE institution_id = :id ORDER BY id LIMIT 11;
""", None)

FLOOR_COUNTS = ("""SELECT department_code, count(*) FROM institutions GROUP BY department_code;
""", [{}])

FLOOR_COVERAGE = ("""SELECT department_code, kind, count(*) FROM outlets
  WHERE status = 'ACTIVE' AND valid_from <= CURRENT_DATE AND valid_until >= CURRENT_DATE GROUP BY 1, 2;
SELECT o.department_code, t.tag, count(*) FROM outlets o JOIN outlet_tags t ON t.outlet_id = o.id
  WHERE o.status = 'ACTIVE' AND o.valid_from <= CURRENT_DATE AND o.valid_until >= CURRENT_DATE GROUP BY 1, 2;
""", [{}])

FLOOR_PUBLIC_LIST = ("""
SELECT count(*) FROM outlets WHERE department_code = :d
  AND status = 'ACTIVE' AND valid_from <= CURRENT_DATE AND valid_until >= CURRENT_DATE;
SELECT id, number, name, kind, department_code, address, contact_name, ip_categories, service_modes,
       service_items, valid_from, valid_until, national_recommended_on
  FROM outlets WHERE department_code = :d
  AND status = 'ACTIVE' AND valid_from <= CURRENT_DATE AND valid_until >= CURRENT_DATE ORDER BY id LIMIT 21;
""", PAGE_DEPARTMENTS)


def pgbench_script(sql, bindings):
    """A floor as a pgbench script: `n` picks one set of values a transaction, and each
    named parameter becomes that set's value, read from a literal array."""
    if len(bindings) == 1 and not bindings[0]:
        return sql
    quote = lambda v: str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"
    for name in bindings[0]:
        values = ",".join(quote(b[name]) for b in bindings)
        sql = re.sub(rf":{name}\b", f"(ARRAY[{values}])[:n]", sql)
    return f"\\set n random(1, {len(bindings)})\n" + sql


# =======================================================================================
# Measuring
# =======================================================================================


def steal_share():
    """(steal, total) jiffies of the whole machine so far, from /proc/stat: the time the
    hypervisor gave this virtual machine's CPUs to someone else."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    return fields[7] if len(fields) > 7 else 0, sum(fields)


def cpu_seconds(pids):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def postgres_pids():
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as fh:
                    if fh.read().strip() == "postgres":
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


class Memory(threading.Thread):
    """Samples the server's resident memory every 0.2 s: the largest anonymous and
    file-backed resident sets seen, in MiB."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.running = pid, True
        self.anon = self.file = self.rss = 0.0

    def run(self):
        while self.running:
            try:
                with open(f"/proc/{self.pid}/status") as fh:
                    for line in fh:
                        key, _, value = line.partition(":")
                        if key not in ("RssAnon", "RssFile", "VmRSS"):
                            continue
                        mib = int(value.split()[0]) / 1024
                        if key == "RssAnon":
                            self.anon = max(self.anon, mib)
                        elif key == "RssFile":
                            self.file = max(self.file, mib)
                        elif key == "VmRSS":
                            self.rss = max(self.rss, mib)
            except (OSError, ValueError, IndexError):
                pass
            time.sleep(0.2)


class Flame:
    """`perf record` on the server while one request shape runs, folded into an SVG flame
    graph by inferno (bench/perf/flame/<request>.svg). Stacks are unwound from DWARF call
    frame information, so the release build needs no frame pointers."""

    def __init__(self, pid, name):
        slug = re.sub(r"[^a-z0-9]+", "-", name.split(":", 1)[-1].lower()).strip("-")[:48]
        os.makedirs(FLAME_DIR, exist_ok=True)
        self.svg = os.path.join(FLAME_DIR, f"{FLAME}-{slug}.svg")
        self.data = os.path.join(tempfile.gettempdir(), f"perf-{slug}.data")
        self.title = f"{name} ({FLAME})"
        self.proc = subprocess.Popen(["perf", "record", "-q", "-F", "199", "-e", "cpu-clock", "--call-graph",
                                      "dwarf,16384", "-p", str(pid), "-o", self.data, "--", "sleep", str(SECONDS)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def finish(self):
        self.proc.wait()
        script = subprocess.run(["perf", "script", "--no-inline", "-i", self.data], capture_output=True, check=True).stdout
        folded = subprocess.run(["inferno-collapse-perf"], input=script, capture_output=True, check=True).stdout
        # The folded stacks too, for reading the profile as text (grep, sort).
        with open(os.path.join(tempfile.gettempdir(), f"{FLAME}-{os.path.basename(self.svg)[len(FLAME) + 1:-4]}.folded"), "wb") as fh:
            fh.write(folded)
        with open(self.svg, "wb") as fh:
            fh.write(subprocess.run(["inferno-flamegraph", "--title", self.title, "--width", "1600"],
                                    input=folded, capture_output=True, check=True).stdout)
        os.remove(self.data)
        log(f"flame graph: {os.path.relpath(self.svg)}")


def wrk(url, bodies_file, token, seconds, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", os.path.join(HERE, "..", "attack", "bodies.lua"), url, "--", bodies_file, token or ""]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = parse_wrk(out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(rate.group(1)) if rate else 0.0
    return result


def pgbench(database_url, script, seconds, connections, folder):
    path = os.path.join(folder, "floor.sql")
    with open(path, "w") as fh:
        fh.write(script)
    logs = os.path.join(folder, "pgbench-log")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    out = subprocess.run(["pgbench", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds),
                          "-f", path, "-l", "--log-prefix", os.path.join(logs, "txn"), database_url],
                         capture_output=True, text=True, cwd=folder)
    if out.returncode != 0:
        return {"failed": (out.stderr or out.stdout)[-300:]}
    tps = re.search(r"tps = ([\d.]+)", out.stdout)
    latencies = []
    for name in os.listdir(logs):
        with open(os.path.join(logs, name)) as fh:
            latencies.extend(int(line.split()[2]) for line in fh if line.strip())
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] / 1000 if latencies else 0
    return {"tps": float(tps.group(1)) if tps else 0.0, "p50_ms": round(pick(0.50), 1), "p99_ms": round(pick(0.99), 1)}


def sqlite_floor(binary, database_url, sql, bindings, seconds, connections, folder):
    """The floor on SQLite: sqlite-floor (bench/floor), built beside the server's binary,
    runs the SQL on the same database file with as many threads as wrk has connections."""
    floor = os.path.join(os.path.dirname(binary), "sqlite-floor")
    if not os.path.exists(floor):
        return {"failed": "not built: cargo build --release -p sqlite-floor"}
    path = os.path.join(folder, "floor.json")
    with open(path, "w") as fh:
        json.dump({"statements": [q.strip() for q in sql.split(";") if q.strip()], "bindings": bindings}, fh)
    database = re.match(r"sqlite://([^?]+)", database_url).group(1)
    out = subprocess.run([floor, "--database", database, "--script", path, "--connections", str(connections),
                          "--seconds", str(seconds)], capture_output=True, text=True)
    if out.returncode != 0:
        return {"failed": (out.stderr or out.stdout)[-300:]}
    return json.loads(out.stdout)


# =======================================================================================
# The run
# =======================================================================================


def run(binary):
    binary = os.path.abspath(binary)
    temp = tempfile.mkdtemp(prefix="perf-bench.")
    data_dir = os.path.join(temp, "data")
    os.makedirs(data_dir)
    database_url, backend, drop_database = throwaway_database("perf", data_dir)
    try:
        return measure(binary, temp, data_dir, database_url, backend)
    finally:
        drop_database()
        shutil.rmtree(temp, ignore_errors=True)


def measure(binary, temp, data_dir, database_url, backend):
    port = free_port()
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update({"DATABASE_URL": database_url, "OUTLET_FILING_DATA_DIR": data_dir,
                "OUTLET_FILING_BIND": f"127.0.0.1:{port}",
                "OUTLET_FILING_JWT_SECRET": "perf-bench-secret-0123456789abcdef-0123456789",
                "OUTLET_FILING_ADMIN_PASSWORD": "bench-admin-pass-2026"})
    subprocess.run([binary, "migrate"], env=env, check=True, capture_output=True)
    started = time.monotonic()
    institutions, filings, outlets = SIZE
    subprocess.run([binary, "seed-demo", "--institutions", str(institutions), "--filings", str(filings),
                    "--outlets", str(outlets)], env=env, check=True, stdout=subprocess.DEVNULL)
    seeded_in = time.monotonic() - started
    log(f"{backend}: {institutions} institutions, {filings} filings, {outlets} outlets written in {seeded_in:.0f} s")

    server_log = open(os.path.join(temp, "server.log"), "wb")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=server_log, stderr=server_log)
    try:
        wait_ready(port)
        memory = Memory(server.pid)
        memory.start()
        rows = measure_requests(binary, port, server.pid, database_url, backend, temp)
        memory.running = False
        return render(backend, rows, memory, seeded_in)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_ready(port):
    for _ in range(600):
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def measure_requests(binary, port, pid, database_url, backend, temp):
    def login(username):
        data = Gql(port).data("mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                              {"u": username, "p": DEMO_PASSWORD})
        return data["login"]["token"]

    tokens = {who: login(who) for who in ["reviewer", "rec.hohhot"]}
    last = SIZE[0] + 4
    ids = [5 + (n * 7919) % (last - 4) for n in range(200)]
    this_year = int(time.strftime("%Y"))
    url = f"http://127.0.0.1:{port}"
    on_postgres = backend == "PostgreSQL"
    rows = []
    for name, who, bodies, check, floor in requests_to_run(ids, this_year):
        if ONLY and not re.search(ONLY, name):
            continue
        token = tokens.get(who) if who else None
        client = Gql(port, token)
        for text in bodies[:3]:
            request = json.loads(text)
            data = client.data(request["query"], request["variables"])
            if not check(data):
                raise SystemExit(f"{name}: unexpected answer {json.dumps(data, ensure_ascii=False)[:400]}")
        path = os.path.join(temp, "bodies.jsonl")
        with open(path, "w") as fh:
            fh.write("\n".join(bodies) + "\n")
        pg = postgres_pids() if on_postgres else []
        cpu_before, db_before, steal_before = cpu_seconds([pid]), cpu_seconds(pg), steal_share()
        sampler = Flame(pid, name) if FLAME else None
        result = wrk(url, path, token, SECONDS, CONNECTIONS)
        if sampler:
            sampler.finish()
        requests = result["requests"] or 1
        result["cpu_ms"] = round(1000 * (cpu_seconds([pid]) - cpu_before) / requests, 2)
        steal_after = steal_share()
        result["steal"] = round(100 * (steal_after[0] - steal_before[0]) / max(1, steal_after[1] - steal_before[1]))
        if on_postgres:
            result["db_cpu_ms"] = round(1000 * (cpu_seconds(postgres_pids()) - db_before) / requests, 2)
        errors = sum(n for key, n in result["answers"].items() if not key.startswith("200 none"))
        result["errors"] = errors + sum(result["socket_errors"].values())
        if floor:
            sql, bindings = floor
            # The institutions the clients ask for; twelve of them, as pgbench reads the
            # value from an array literal it parses on every transaction.
            bindings = bindings or [{"id": i} for i in ids[:12]]
            result["floor"] = (
                pgbench(database_url.replace("postgres://", "postgresql://"), pgbench_script(sql, bindings),
                        SECONDS, CONNECTIONS, temp) if on_postgres
                else sqlite_floor(binary, database_url, sql, bindings, SECONDS, CONNECTIONS, temp))
            if SMOKE and "failed" in result["floor"]:
                raise SystemExit(f"{name}: the floor failed: {result['floor']['failed']}")
        log(f"{name}: {result['rps']:.0f} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
            f"{result['errors']} errors, {result['cpu_ms']} ms CPU each"
            + (f"; floor {result['floor']}" if "floor" in result else ""))
        if SMOKE and result["errors"]:
            raise SystemExit(f"{name}: {result['errors']} errors: {result['answers']} {result['socket_errors']}")
        rows.append((name, result))
    mixed = "mixed: reviewer's filing pages while 4 applicants update their institutions"
    if not ONLY or re.search(ONLY, mixed):
        rows.append((mixed, measure_mixed(port, pid, tokens["reviewer"], temp)))
    return rows


# =======================================================================================
# Mixed: reads under real writes
# =======================================================================================

WRITERS = ["applicant.hohhot", "applicant.imut", "applicant.baotou", "applicant.ordos"]

UPDATE_INSTITUTION = """mutation($input: UpdateInstitutionInput!) {
  updateInstitution(input: $input) { institution { id version address } } }"""


class Writer(threading.Thread):
    """An applicant that changes its institution's address again and again, each change a
    real mutation (authorization, a versioned update, an audit event, a commit)."""

    def __init__(self, port, username, until):
        super().__init__(daemon=True)
        self.port, self.username, self.until = port, username, until
        self.latencies, self.errors = [], 0

    def run(self):
        anonymous = Gql(self.port)
        token = anonymous.data("mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                               {"u": self.username, "p": DEMO_PASSWORD})["login"]["token"]
        client = Gql(self.port, token)
        institution_id = client.data("{ me { institutionId } }")["me"]["institutionId"]
        version_of = lambda: client.data("query($id: ID!) { institution(id: $id) { version } }",
                                         {"id": institution_id})["institution"]["version"]
        version = version_of()
        n = 0
        while time.monotonic() < self.until:
            n += 1
            started = time.monotonic()
            status, reply = client(UPDATE_INSTITUTION, {"input": {
                "id": institution_id, "version": version, "address": f"新华大街{n % 97 + 1}号"}})
            self.latencies.append(time.monotonic() - started)
            if status != 200 or reply.get("errors"):
                self.errors += 1
                version = version_of()
            else:
                version = reply["data"]["updateInstitution"]["institution"]["version"]


def measure_mixed(port, pid, token, temp):
    """The reviewer's filing pages from wrk while the writers write, for SECONDS."""
    path = os.path.join(temp, "bodies.jsonl")
    with open(path, "w") as fh:
        fh.write("\n".join(body(FILING_PAGE, {"s": s}) for s in ["SUBMITTED", "RECOMMENDED", "RETURNED", "DRAFT"]) + "\n")
    until = time.monotonic() + SECONDS + 1
    writers = [Writer(port, name, until) for name in WRITERS]
    for writer in writers:
        writer.start()
    time.sleep(0.5)
    cpu_before = cpu_seconds([pid])
    result = wrk(f"http://127.0.0.1:{port}", path, token, SECONDS, max(1, CONNECTIONS - len(WRITERS)))
    for writer in writers:
        writer.join()
    latencies = sorted(x for w in writers for x in w.latencies)
    pick = lambda p: round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0
    result["writes"] = {"per_s": round(len(latencies) / (SECONDS + 1), 1), "p50_ms": pick(0.5), "p99_ms": pick(0.99),
                        "errors": sum(w.errors for w in writers)}
    result["cpu_ms"] = round(1000 * (cpu_seconds([pid]) - cpu_before) / max(1, result["requests"] + len(latencies)), 2)
    errors = sum(n for key, n in result["answers"].items() if not key.startswith("200 none"))
    result["errors"] = errors + sum(result["socket_errors"].values())
    log(f"mixed: reads {result['rps']:.0f} req/s p50 {result['p50_ms']} p99 {result['p99_ms']} ms, "
        f"writes {result['writes']}")
    if SMOKE and (result["errors"] or result["writes"]["errors"] or not latencies):
        raise SystemExit(f"mixed workload failed: reads {result['answers']}, writes {result['writes']}")
    return result


def render(backend, rows, memory, seeded_in):
    lines = [f"# Performance bench — {backend}", "",
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. {machine()}.",
             f"Data: {SIZE[0]:,} institutions, {SIZE[1]:,} filings, {SIZE[2]:,} outlets (written in {seeded_in:.0f} s). "
             f"wrk, 2 threads, {CONNECTIONS} connections, {SECONDS} s a request, on the same cores as the server."
             + (" **Smoke run: the figures mean nothing.**" if SMOKE else ""), "",
             "| request | req/s | p50 / p99 ms | errors | server CPU ms/req | database CPU ms/req | floor tps (p50 / p99 ms) | req/s ÷ floor | CPU stolen |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows:
        floor = r.get("floor") or {}
        floor_text = (f"{floor['tps']:,.0f} ({floor['p50_ms']} / {floor['p99_ms']})" if "tps" in floor
                      else floor.get("failed", "—")[:60] or "—")
        ratio = f"{r['rps'] / floor['tps']:.2f}" if floor.get("tps") else "—"
        stolen = f"{r['steal']}%" if "steal" in r else "—"
        lines.append(f"| {name} | {r['rps']:,.0f} | {r['p50_ms']} / {r['p99_ms']} | {r['errors']} | {r['cpu_ms']} | "
                     f"{r.get('db_cpu_ms', '—')} | {floor_text} | {ratio} | {stolen} |")
    for name, r in rows:
        if "writes" in r:
            w = r["writes"]
            lines += ["", f"Writes in the mixed run: {w['per_s']} updateInstitution/s, p50 {w['p50_ms']} ms, "
                      f"p99 {w['p99_ms']} ms, {w['errors']} errors (4 writers, each waiting for its answer)."]
    lines += ["", "CPU stolen: the share of the machine's CPU time the hypervisor gave to other guests "
              "while the request ran (from /proc/stat); above a few per cent, the figures are low and noisy."]
    lines += ["", f"Server memory, largest seen over the run: resident {memory.rss:.1f} MiB, of which anonymous "
              f"{memory.anon:.1f} MiB and mapped files {memory.file:.1f} MiB.", ""]
    return "\n".join(lines)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: bench/perf/run installs it from Debian's packages")
    report = run(sys.argv[1])
    print(report)
    if not SMOKE:
        backend = "postgresql" if "PostgreSQL" in report.splitlines()[0] else "sqlite"
        with open(os.path.join(HERE, f"REPORT-{backend}.md"), "w") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
