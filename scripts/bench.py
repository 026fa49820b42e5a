#!/usr/bin/env python3
"""Runs redis-benchmark against Roost and redis-server side by side; see scripts/bench."""
import argparse
import csv
import datetime
import io
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.environ["ROOT"]

# (name, redis-benchmark tests, extra args) -- later issues append their workloads here.
SUITES = {
    "ping": [("PING_INLINE", "ping_inline", []), ("PING_MBULK", "ping_mbulk", [])],
    "strings": [(f"{t.upper()} {size}B", t, ["-d", str(size), "-r", "100000"])
                for size in (64, 1024) for t in ("set", "get", "incr", "hset", "mset")],
    # The traffic Spring Session's RedisSessionRepository sends for one request: read the session
    # hash, write the changed fields, push the expiry out.
    "session": [
        ("HGETALL session", "__custom__", ["-r", "100000", "HGETALL", "spring:session:sessions:__rand_int__"]),
        ("HSET changed fields", "__custom__", ["-r", "100000", "HSET", "spring:session:sessions:__rand_int__",
                                               "lastAccessedTime", "1764450000000", "sessionAttr:cart", "x" * 48]),
        ("PEXPIREAT session", "__custom__", ["-r", "100000", "PEXPIREAT", "spring:session:sessions:__rand_int__",
                                             "4102444800000"]),
    ],
}

# Loaded before the "session" suite so its reads find data.
SESSION_PRELOAD = ["-r", "100000", "-n", "200000", "HSET", "spring:session:sessions:__rand_int__",
                   "creationTime", "1764450000000", "lastAccessedTime", "1764450000000",
                   "maxInactiveInterval", "1800", "sessionAttr:user", "alice", "sessionAttr:role", "admin"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, proc, deadline_s=60):
    end = time.time() + deadline_s
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"bench: server on port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: server on port {port} did not answer PING in {deadline_s}s")


def cpus():
    n = os.cpu_count() or 1
    server_cpu = str(n - 1)
    client_cpus = ",".join(str(i) for i in range(n - 1)) or "0"
    return server_cpu, client_cpus


def start_roost(port, server_cpu, memory=False):
    cmd = ["taskset", "-c", server_cpu, os.environ["ROOST_JAVA"]]
    cmd += shlex.split(os.environ["ROOST_JVM_FLAGS"])
    # The store is off-heap; the memory run gives the heap only what the request path needs.
    cmd += ["-XX:+UseSerialGC", "-Xmx128m", "-Xmn32m", "-XX:MaxDirectMemorySize=8g"] if memory else ["-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"]
    cmd += [
            f"-Dlogback.configurationFile={ROOT}/config/logback.xml",
            "-jar", os.environ["ROOST_JAR"], "--port", str(port), "--io-threads", "1",
            "--loglevel", "warning"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_redis(port, server_cpu, workdir):
    cmd = ["taskset", "-c", server_cpu, "redis-server", "--port", str(port), "--bind", "127.0.0.1",
           "--save", "", "--appendonly", "no", "--dir", workdir, "--daemonize", "no"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_benchmark(port, test, pipeline, requests, clients, client_cpus, extra):
    cmd = ["taskset", "-c", client_cpus, "redis-benchmark", "-h", "127.0.0.1", "-p", str(port),
           "-c", str(clients), "-n", str(requests), "-P", str(pipeline), "--csv"]
    cmd += list(extra) if test == "__custom__" else ["-t", test] + list(extra)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0 or "rror" in out.stderr:
        raise SystemExit(f"bench: redis-benchmark failed on port {port}: {out.stderr.strip()}")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    for row in rows[1:]:
        return float(row[1])
    raise SystemExit(f"bench: no result from redis-benchmark: {out.stdout!r}")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise SystemExit("bench: no VmRSS")


def resp(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        p = p if isinstance(p, bytes) else str(p).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)


def load(port, commands_for, count, batch=5000):
    """Sends count items (each one or more commands) pipelined; waits for every reply line."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        expected = 0
        for start in range(0, count, batch):
            chunk = []
            for i in range(start, min(count, start + batch)):
                cmds = commands_for(i)
                chunk.extend(cmds)
                expected += len(cmds)
            s.sendall(b"".join(chunk))
            got = 0
            need = expected
            buf = b""
            while got < need:
                data = s.recv(1 << 20)
                if not data:
                    raise SystemExit("bench: connection closed while loading")
                if data.startswith(b"-") or b"\r\n-" in data:
                    at = data.find(b"-") if data.startswith(b"-") else data.find(b"\r\n-") + 2
                    raise SystemExit(f"bench: error while loading: {data[at:at + 200]!r}")
                got += data.count(b"\r\n")
            expected = 0


MEMORY_CASES = {
    # 1M small strings with a TTL: the connect-redis/PHP/Django session shape.
    "1M strings with TTL (16-byte key, 100-byte value)": lambda i: [
        resp("SET", "sess:%011d" % i, "v" * 100, "EX", 86400)],
    # 1M Spring Session hashes: ~60-byte key, 5 fields, TTL.
    "1M session hashes (60-byte key, 5 fields, TTL)": lambda i: [
        resp("HSET", "spring:session:sessions:%08x-1b2c-4d3e-8f40-%012x" % (i, i * 7919),
             "creationTime", "1764450000000", "lastAccessedTime", "1764450000000",
             "maxInactiveInterval", "1800", "sessionAttr:user", "user%07d" % i, "sessionAttr:role", "member"),
        resp("PEXPIRE", "spring:session:sessions:%08x-1b2c-4d3e-8f40-%012x" % (i, i * 7919), 1800000)],
}


def measure_memory(args, server_cpu):
    lines = ["| data set | Roost bytes/key | Redis bytes/key | Roost/Redis |", "|---|---:|---:|---:|"]
    count = 100_000 if args.quick else 1_000_000
    for name, gen in MEMORY_CASES.items():
        per = {}
        for who in ("roost", "redis"):
            port = free_port()
            workdir = tempfile.mkdtemp(prefix="roost-bench-")
            proc = start_roost(port, server_cpu, memory=True) if who == "roost" else start_redis(port, server_cpu, workdir)
            try:
                wait_ready(port, proc)
                load(port, gen, 1000)  # warm the code paths and first chunks of both servers
                time.sleep(1)
                before = rss_bytes(proc.pid)
                load(port, gen, count)
                time.sleep(1)
                per[who] = (rss_bytes(proc.pid) - before) / count
            finally:
                proc.terminate()
                proc.wait(10)
        lines.append(f"| {name.replace('1M', f'{count:,}')} | {per['roost']:.0f} | {per['redis']:.0f} | {per['roost'] / per['redis']:.2f}x |")
    return lines


def cluster_script(args_list, env):
    return subprocess.run([os.path.join(ROOT, "scripts", "cluster")] + args_list, env=env,
                          capture_output=True, text=True, timeout=300)


def call(sock_file, *parts):
    sock, f = sock_file
    sock.sendall(resp(*parts))
    line = f.readline()
    if line.startswith(b"$") and not line.startswith(b"$-1"):
        f.read(int(line[1:]) + 2)
    elif line.startswith(b"*"):
        for _ in range(int(line[1:])):
            call_read(f)
    return line


def call_read(f):
    line = f.readline()
    if line.startswith(b"$") and not line.startswith(b"$-1"):
        f.read(int(line[1:]) + 2)
    elif line.startswith(b"*"):
        for _ in range(int(line[1:])):
            call_read(f)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    return s, s.makefile("rb")


def measure_cluster(args, client_cpus):
    """3 nodes (owners 2, sync) through one node vs a single node; WAIT p99; failover time."""
    env = dict(os.environ)
    env["ROOST_CLUSTER_DIR"] = tempfile.mkdtemp(prefix="roost-bench-cluster-")
    env["ROOST_CLUSTER_BASE_PORT"], env["ROOST_CLUSTER_BASE_PEER_PORT"] = "27000", "27800"
    single_port = free_port()
    lines = ["| measure | value |", "|---|---:|"]
    out = cluster_script(["start", "3", "--io-threads", "1", "--loglevel", "warning"], env)
    if out.returncode != 0:
        raise SystemExit(f"bench: cluster did not start: {out.stdout}{out.stderr}")
    single = start_roost(single_port, "0-" + str((os.cpu_count() or 1) - 1))
    try:
        wait_ready(single_port, single)
        base = 20000 if args.quick else 100000
        # Warm both up first (JIT): the cluster path runs far more code (forwarding, JGroups) and
        # its first seconds are many times slower than its steady state.
        for port in (27001, single_port):
            for test in ("set", "get"):
                run_benchmark(port, test, 16, base, args.clients, client_cpus, ("-r", "100000"))
        for test in ("set", "get"):
            for p in (1, 16):
                ratios = []
                for _ in range(args.rounds):
                    c = run_benchmark(27001, test, p, base, args.clients, client_cpus, ("-r", "100000"))
                    one = run_benchmark(single_port, test, p, base, args.clients, client_cpus, ("-r", "100000"))
                    ratios.append(c / one)
                lines.append(f"| {test.upper()} P{p}: 3 nodes (owners 2, sync) through one node / single node | "
                             f"{statistics.median(ratios):.2f}x |")
        # Why the ratios are what they are on a small machine: server CPU spent per request, every
        # node of the cluster together vs the single node (forward, replicate, acknowledge).
        node_pids = [int(open(os.path.join(env["ROOST_CLUSTER_DIR"], f"node-{i}", "pid")).read())
                     for i in (1, 2, 3)]
        for test in ("set", "get"):
            c = cpu_per_request(node_pids, 27001, test, base, args, client_cpus)
            one = cpu_per_request([single.pid], single_port, test, base, args, client_cpus)
            lines.append(f"| server CPU per {test.upper()} P16, all 3 nodes / single node (µs) | "
                         f"{c:.1f} / {one:.1f} = {c / one:.1f}x |")
        conn = connect(27001)
        waits = []
        for i in range(200 if args.quick else 2000):
            call(conn, "SET", f"wait:{i}", "x" * 64)
            t0 = time.perf_counter()
            reply = call(conn, "WAIT", 1, 1000)
            waits.append((time.perf_counter() - t0) * 1000)
            if not reply.startswith(b":") or int(reply[1:]) < 1:
                raise SystemExit(f"bench: WAIT answered {reply!r}")
        waits.sort()
        lines.append(f"| WAIT 1 round trip after a SET, p50 / p99 (ms) | {waits[len(waits) // 2]:.3f} / "
                     f"{waits[int(len(waits) * 0.99)]:.3f} |")
        # Failover: kill -9 node 2, time until the survivors assign every slot and accept writes again.
        dead = "127.0.0.1:27002"
        t0 = time.perf_counter()
        cluster_script(["kill", "2"], env)
        conn = connect(27001)
        deadline = t0 + 60
        while time.perf_counter() < deadline:
            try:
                sock, f = conn
                sock.sendall(resp("CLUSTER", "SLOTS"))
                line = f.readline()
                body = b""
                # read the nested array without parsing it: enough to search for the dead endpoint
                n = int(line[1:])
                for _ in range(n):
                    body += read_any(f)
                if b"27002" not in body:
                    ok = all(call(conn, "SET", f"failover:{k}", "v").startswith(b"+OK") for k in range(200))
                    if ok:
                        break
            except OSError:
                conn = connect(27001)
            time.sleep(0.05)
        lines.append(f"| failover after kill -9 (every slot has a primary and accepts writes), s | "
                     f"{time.perf_counter() - t0:.2f} |")
    finally:
        single.terminate()
        single.wait(10)
        cluster_script(["stop", "3"], env)
    return lines


def cpu_seconds(pids):
    """User + system CPU seconds the processes used so far (/proc/<pid>/stat utime, stime)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_per_request(pids, port, test, requests, args, client_cpus):
    """Microseconds of server CPU (all of pids) per request of one redis-benchmark run."""
    before = cpu_seconds(pids)
    run_benchmark(port, test, 16, requests, args.clients, client_cpus, ("-r", "100000"))
    return (cpu_seconds(pids) - before) * 1e6 / requests


def read_any(f):
    line = f.readline()
    out = line
    if line.startswith(b"$") and not line.startswith(b"$-1"):
        out += f.read(int(line[1:]) + 2)
    elif line.startswith(b"*") or line.startswith(b"%"):
        n = int(line[1:]) * (2 if line.startswith(b"%") else 1)
        for _ in range(n):
            out += read_any(f)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--tests", default="ping", help="comma-separated suites: " + ",".join(SUITES))
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    ap.add_argument("--record", action="store_true", help="write the table into README.md")
    ap.add_argument("--memory", action="store_true", help="measure RSS growth per key instead of throughput")
    ap.add_argument("--cluster", action="store_true", help="cluster throughput, WAIT latency and failover")
    args = ap.parse_args()
    server_cpu, client_cpus = cpus()
    if args.cluster:
        lines = measure_cluster(args, client_cpus)
        header = (f"{datetime.date.today().isoformat()}, `scripts/bench {' '.join(sys.argv[1:])}`: 3 local nodes "
                  f"(owners 2, sync, one event loop each) vs one node, {args.clients} connections, median of "
                  f"{args.rounds} rounds, {os.cpu_count()} cores shared by all nodes and the client:")
        return report(args, "cluster", header, lines)
    if args.memory:
        lines = measure_memory(args, server_cpu)
        header = (f"{datetime.date.today().isoformat()}, `scripts/bench {' '.join(sys.argv[1:])}`: RSS growth per key "
                  "while loading, Roost with -Xmx128m (data is off-heap), Redis with its defaults:")
        return report(args, "memory", header, lines)
    workdir = tempfile.mkdtemp(prefix="roost-bench-")
    roost_port, redis_port = free_port(), free_port()
    roost = start_roost(roost_port, server_cpu)
    redis = start_redis(redis_port, server_cpu, workdir)
    try:
        wait_ready(roost_port, roost)
        wait_ready(redis_port, redis)
        pipelines = [int(p) for p in args.pipelines.split(",")]
        cases = [(name, test, tuple(extra), p) for s in args.tests.split(",") for (name, test, extra) in SUITES[s]
                 for p in pipelines]
        base = 20000 if args.quick else 200000
        if "session" in args.tests.split(","):
            for port in (roost_port, redis_port):
                subprocess.run(["redis-benchmark", "-p", str(port), "-q", "-c", "50", "-P", "16"] + SESSION_PRELOAD,
                               capture_output=True, timeout=600, check=True)
        # Warm-up: the JIT compiles the request path before anything is measured.
        for name, test, extra, p in cases:
            run_benchmark(roost_port, test, p, base * (5 if p > 1 else 1), args.clients, client_cpus, extra)
        results = {c: {"roost": [], "redis": []} for c in cases}
        for r in range(args.rounds):
            for case in cases:
                name, test, extra, p = case
                n = base * (5 if p > 1 else 1)
                order = [("roost", roost_port), ("redis", redis_port)]
                if r % 2:
                    order.reverse()
                for who, port in order:
                    results[case][who].append(run_benchmark(port, test, p, n, args.clients, client_cpus, extra))
        lines = ["| test | pipeline | Roost req/s (median) | Redis req/s (median) | Roost/Redis (median of rounds) |",
                 "|---|---:|---:|---:|---:|"]
        for case in cases:
            name, test, extra, p = case
            ro, re_ = results[case]["roost"], results[case]["redis"]
            ratio = statistics.median(a / b for a, b in zip(ro, re_))
            lines.append(f"| {name} | {p} | {statistics.median(ro):,.0f} | {statistics.median(re_):,.0f} | {ratio:.2f}x |")
        redis_version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]
        header = (f"{datetime.date.today().isoformat()}, `scripts/bench {' '.join(sys.argv[1:])}`".rstrip()
                  + f", {args.rounds} interleaved rounds, {args.clients} connections, both servers pinned to CPU "
                  f"{server_cpu} (Roost with --io-threads 1), redis-benchmark on CPU {client_cpus}, "
                  f"Redis {redis_version.replace('v=', '')}, {os.cpu_count()} cores:")
        report(args, args.tests, header, lines)
    finally:
        for p in (roost, redis):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


def report(args, tag, header, lines):
    table = "\n".join(lines)
    print(header)
    print(table)
    if args.record:
        readme = os.path.join(ROOT, "README.md")
        text = open(readme).read()
        block = f"<!-- bench:{tag}:start -->\n{header}\n\n{table}\n<!-- bench:{tag}:end -->"
        pat = re.compile(rf"<!-- bench:{re.escape(tag)}:start -->.*?<!-- bench:{re.escape(tag)}:end -->", re.S)
        text = pat.sub(lambda m: block, text) if pat.search(text) else text.rstrip() + "\n\n" + block + "\n"
        open(readme, "w").write(text)


if __name__ == "__main__":
    main()
