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
    cmd += ["-XX:+UseSerialGC", "-Xmx128m", "-Xmn32m"] if memory else ["-XX:+UseParallelGC", "-Xms1g", "-Xmx1g"]
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
                if b"-" in data[:1] or b"\r\n-" in data:
                    raise SystemExit(f"bench: error while loading: {data[:200]!r}")
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--tests", default="ping", help="comma-separated suites: " + ",".join(SUITES))
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    ap.add_argument("--record", action="store_true", help="write the table into README.md")
    ap.add_argument("--memory", action="store_true", help="measure RSS growth per key instead of throughput")
    args = ap.parse_args()
    server_cpu, client_cpus = cpus()
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
