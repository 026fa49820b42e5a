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
}


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


def start_roost(port, server_cpu):
    cmd = ["taskset", "-c", server_cpu, os.environ["ROOST_JAVA"]]
    cmd += shlex.split(os.environ["ROOST_JVM_FLAGS"])
    cmd += ["-XX:+UseParallelGC", "-Xms1g", "-Xmx1g",
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
           "-c", str(clients), "-n", str(requests), "-P", str(pipeline), "-t", test, "--csv"] + list(extra)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0 or "rror" in out.stderr:
        raise SystemExit(f"bench: redis-benchmark failed on port {port}: {out.stderr.strip()}")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    for row in rows[1:]:
        return float(row[1])
    raise SystemExit(f"bench: no result from redis-benchmark: {out.stdout!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--tests", default="ping", help="comma-separated suites: " + ",".join(SUITES))
    ap.add_argument("--pipelines", default="1,16")
    ap.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    ap.add_argument("--record", action="store_true", help="write the table into README.md")
    args = ap.parse_args()
    server_cpu, client_cpus = cpus()
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
        table = "\n".join(lines)
        print(header)
        print(table)
        if args.record:
            readme = os.path.join(ROOT, "README.md")
            text = open(readme).read()
            block = f"<!-- bench:{args.tests}:start -->\n{header}\n\n{table}\n<!-- bench:{args.tests}:end -->"
            pat = re.compile(rf"<!-- bench:{re.escape(args.tests)}:start -->.*?<!-- bench:{re.escape(args.tests)}:end -->", re.S)
            text = pat.sub(lambda m: block, text) if pat.search(text) else text.rstrip() + "\n\n" + block + "\n"
            open(readme, "w").write(text)
    finally:
        for p in (roost, redis):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
