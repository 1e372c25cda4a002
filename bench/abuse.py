#!/usr/bin/env python3
"""abuse: registryd's front doors under hostile load (issue 12), measured
by an honest client.

Holds IDLE EPP connections (TLS done, greeting read, then nothing) and
hostile clients, each from a loopback source address of its own
(127.2-5.x.y: run the daemon with [epp] exempt empty so the per-source
limits apply as on the Internet):

  slowloris   a frame sent a byte a second, again when the server closes it
  nonreaders  hellos pipelined without reading a byte, again when closed
  flooders    hello after hello before login, reading each greeting

Once the idle connections are up and the hostile clients running, it runs
regbench (one session, domain:check) as the honest client and prints its
rate and latency with the daemon's resident memory and CPU time over the
run, and what happened to each kind of client. Standard library only.

    python3 bench/abuse.py --regbench build/regbench --port 7000 \\
        --clid DEMO --pw PW --pid PID --idle 1000 --slowloris 50 \\
        --nonreaders 50 --flooders 4 [--count 5000] [--json]
"""
import argparse
import asyncio
import json
import os
import ssl
import struct
import subprocess
import sys
import threading
import time

HELLO = (b'<?xml version="1.0" encoding="UTF-8"?>'
         b'<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><hello/></epp>')
HELLO_FRAME = struct.pack(">I", len(HELLO) + 4) + HELLO
KINDS = {"idle": 2, "slowloris": 3, "nonreaders": 4, "flooders": 5}  # 127.K.x.y


def source(kind, i):
    return "127.%d.%d.%d" % (KINDS[kind], i // 250, i % 250 + 1)


def usage(pid):
    """(CPU seconds, resident MiB, open descriptors) of the daemon."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    with open("/proc/%d/status" % pid) as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return cpu, rss / 1024, len(os.listdir("/proc/%d/fd" % pid))


class Load:
    def __init__(self, args):
        self.args = args
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE
        self.stats = {k: {"connected": 0, "refused": 0, "closed_by_server": 0} for k in KINDS}
        self.idle_done = threading.Event()
        self.idle_settled = 0
        self.hostile = args.slowloris + args.nonreaders + args.flooders
        self.hostile_done = threading.Event()  # each has connected once (or been refused)
        self.hostile_settled = 0

    async def connect(self, kind, i):
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(
                self.args.host, self.args.port, ssl=self.ctx, local_addr=(source(kind, i), 0)),
                60)
            (n,) = struct.unpack(">I", await r.readexactly(4))
            await r.readexactly(n - 4)  # the greeting
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            self.stats[kind]["refused"] += 1
            return None
        self.stats[kind]["connected"] += 1
        return r, w

    def closed(self, kind, w):
        self.stats[kind]["closed_by_server"] += 1
        w.close()

    async def idle(self, i):
        conn = await self.connect("idle", i)
        self.idle_settled += 1
        if self.idle_settled == self.args.idle:
            self.idle_done.set()
        if conn:
            r, w = conn
            await r.read()  # until the server closes it
            self.closed("idle", w)

    async def again(self, kind, i, attack):
        """Connects from kind's i-th source and attacks; once the server
        has closed the connection, a second later, again."""
        first = True
        while True:
            conn = await self.connect(kind, i)
            if first:
                first = False
                self.hostile_settled += 1
                if self.hostile_settled == self.hostile:
                    self.hostile_done.set()
            if conn:
                try:
                    await attack(*conn)
                except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
                    pass
                self.closed(kind, conn[1])
            await asyncio.sleep(1)

    @staticmethod
    async def trickle(r, w):
        """A frame a byte a second."""
        for b in HELLO_FRAME:
            w.write(bytes([b]))
            await w.drain()
            await asyncio.sleep(1)
            if r.at_eof():
                return

    @staticmethod
    async def pipeline(r, w):
        """Hellos, never reading the greetings."""
        while True:
            w.write(HELLO_FRAME * 100)
            await w.drain()  # blocks once the server stops reading

    @staticmethod
    async def flood(r, w):
        """Hello after hello, each greeting read."""
        while True:
            w.write(HELLO_FRAME)
            (n,) = struct.unpack(">I", await r.readexactly(4))
            await r.readexactly(n - 4)

    async def main(self):
        tasks = []
        for i in range(self.args.idle):
            tasks.append(asyncio.ensure_future(self.idle(i)))
            if i % 100 == 99:
                await asyncio.sleep(0.05)  # no SYN storm against the backlog
        if not self.args.idle:
            self.idle_done.set()
        if not self.hostile:
            self.hostile_done.set()
        for kind, attack in (("slowloris", self.trickle), ("nonreaders", self.pipeline),
                             ("flooders", self.flood)):
            for i in range(getattr(self.args, kind)):
                tasks.append(asyncio.ensure_future(self.again(kind, i, attack)))
        await asyncio.gather(*tasks)

    def run(self):
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_until_complete, args=(self.main(),),
                         daemon=True).start()


def main():
    p = argparse.ArgumentParser(description="hostile load on registryd, measured by regbench")
    p.add_argument("--regbench", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7000)
    p.add_argument("--clid", required=True)
    p.add_argument("--pw", required=True)
    p.add_argument("--pid", type=int, required=True, help="registryd's process id")
    p.add_argument("--idle", type=int, default=0)
    p.add_argument("--slowloris", type=int, default=0)
    p.add_argument("--nonreaders", type=int, default=0)
    p.add_argument("--flooders", type=int, default=0)
    p.add_argument("--count", type=int, default=5000, help="the honest client's checks")
    p.add_argument("--settle", type=float, default=3, help="seconds of hostile load first")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()

    load = Load(args)
    before = usage(args.pid)
    load.run()
    if not load.idle_done.wait(600) or not load.hostile_done.wait(600):
        sys.exit("abuse: the clients did not all connect in 600 s")
    time.sleep(args.settle)
    cpu0, _, _ = usage(args.pid)
    t0 = time.monotonic()
    out = subprocess.run([args.regbench, "--host", args.host, "--port", str(args.port),
                          "--clid", args.clid, "--pw", args.pw, "--sessions", "1",
                          "--count", str(args.count), "--mix", "check", "--json"],
                         capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - t0
    cpu1, rss, fds = usage(args.pid)
    try:
        honest = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.exit("abuse: regbench failed:\n%s%s" % (out.stdout, out.stderr))
    result = {
        "idle": args.idle, "slowloris": args.slowloris, "nonreaders": args.nonreaders,
        "flooders": args.flooders,
        "honest_per_second": honest["per_second"], "honest_p50_ms": honest["p50_ms"],
        "honest_p99_ms": honest["p99_ms"], "honest_errors": honest["errors"],
        "daemon_rss_mib": round(rss, 1), "daemon_rss_before_mib": round(before[1], 1),
        "daemon_cpu_percent": round(100 * (cpu1 - cpu0) / seconds, 1),
        "daemon_fds": fds, "clients": load.stats,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print("idle %d, slowloris %d, nonreaders %d, flooders %d" % (
            args.idle, args.slowloris, args.nonreaders, args.flooders))
        print("honest check: %.0f/s  p50 %.3f ms  p99 %.3f ms  errors %d" % (
            honest["per_second"], honest["p50_ms"], honest["p99_ms"], honest["errors"]))
        print("registryd: RSS %.1f MiB (%.1f before), CPU %.0f%% of a core, %d descriptors" % (
            rss, before[1], result["daemon_cpu_percent"], fds))
        for kind, s in load.stats.items():
            print("  %-10s %s" % (kind, ", ".join("%s %d" % kv for kv in s.items())))
    sys.stdout.flush()
    os._exit(0)  # the hostile clients stop with the process


if __name__ == "__main__":
    main()
