#!/usr/bin/env python3
"""zone_latency: the time from an EPP answer to the change being answerable
at the DNS primary (issue 14 item 2; docs/zone.md "Incremental
publication"), under a steady rate of updates.

Starts Knot DNS as the dynamic primary of .dk (tests/system/knot.py) and a
registryd publishing to it (tests/system/daemon.py, `--only epp,jobs`),
creates DOMAINS domains with a name server, then for SECONDS sends RATE
domain:update commands a second over SESSIONS EPP sessions (paced, not as
fast as possible), each moving one domain from one external name server
to the other (round robin, so a domain changes again only after every
other one did). A poller asks the primary over UDP (a referral: NS of the
domain, recursion off) every POLL ms for every change in flight, and takes
the time from the EPP answer to the first referral with the new NS set.
Prints the achieved rate, the EPP answer times, and the latency to the
primary (p50, p90, p99, max), optionally as JSON. Standard library only;
the DNS queries are built here (a benchmark's probe, not registryd).

    REGCTL=build/regctl REGISTRYD=build/registryd \\
        python3 bench/zone_latency.py [--backend sqlite|pgsql] [--rate 100] \\
        [--seconds 30] [--domains 1000] [--sessions 4] [--json]

--backend pgsql needs REG_TEST_PG_URL_FILE (sh tests/pg-server.sh start DIR
writes DIR/url).
"""
import argparse
import json
import os
import random
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "system"))

from daemon import Daemon  # noqa: E402
from eppclient import EPPClient, with_terms  # noqa: E402
from knot import KnotPrimary  # noqa: E402
from test_epp_domain import CONTACT_NS, EXT_URIS, HOST_NS, create_xml, update_xml  # noqa: E402

REG, PW = "BENCH", "bench-pass1"
NS = ("ns1.example.net", "ns2.example.net")


# --- a DNS probe: one NS question, the referral's NS targets -------------------------------

def encode_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"


def read_name(msg, off):
    labels, jumped, end = [], False, None
    while True:
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off, jumped = ((n & 0x3F) << 8) | msg[off + 1], True
            continue
        off += 1
        if n == 0:
            break
        labels.append(msg[off:off + n].decode().lower())
        off += n
    return ".".join(labels), (end if jumped else off)


def ns_of(sock, server, name):
    """The NS targets the primary gives for name (answer or authority)."""
    qid = random.randrange(65536)
    sock.sendto(struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + encode_name(name)
                + struct.pack(">HH", 2, 1), server)
    while True:
        msg = sock.recv(4096)
        if struct.unpack(">H", msg[:2])[0] == qid:
            break
    _, _, qd, an, ns, _ = struct.unpack(">HHHHHH", msg[:12])
    off = 12
    for _ in range(qd):
        off = read_name(msg, off)[1] + 4
    got = set()
    for _ in range(an + ns):
        owner, off = read_name(msg, off)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        if rtype == 2 and owner == name:
            got.add(read_name(msg, off)[0])
        off += rdlen
    return got


def percentile(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("sqlite", "pgsql"), default="sqlite")
    ap.add_argument("--rate", type=float, default=100.0, help="updates a second")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--domains", type=int, default=1000)
    ap.add_argument("--sessions", type=int, default=4)
    ap.add_argument("--poll", type=float, default=5.0, help="ms between probe rounds")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    knot = KnotPrimary("dk").start()
    d = Daemon(backend=args.backend, name="zonebench", only="epp,jobs", log_level="warn",
               settings={"zone." + k: v for k, v in knot.settings().items()})
    try:
        d.add_registrar(REG, PW)
        d.start()
        clients = []
        for _ in range(args.sessions):
            c = EPPClient(d.host, d.port)
            assert c.login(REG, PW, ext_uris=EXT_URIS).code == 1000
            clients.append(c)
        c = clients[0]
        r = c.command('<create><contact:create xmlns:contact="%s"><contact:id>holder'
                      '</contact:id><contact:postalInfo type="loc"><contact:name>Holder'
                      '</contact:name><contact:addr><contact:city>Aarhus</contact:city>'
                      '<contact:cc>DK</contact:cc></contact:addr></contact:postalInfo>'
                      '<contact:email>h@example.dk</contact:email><contact:authInfo>'
                      '<contact:pw>Cpw-12345</contact:pw></contact:authInfo></contact:create>'
                      '</create>' % CONTACT_NS)
        assert r.code == 1000, r.raw
        for ns in NS:
            r = c.command('<create><host:create xmlns:host="%s"><host:name>%s</host:name>'
                          '</host:create></create>' % (HOST_NS, ns))
            assert r.code == 1000, r.raw
        names = ["bench%05d.dk" % i for i in range(args.domains)]
        for name in names:
            r = c.command(create_xml(name, REG + ":HOLDER", ns=(NS[0],), pw="Dpw-12345"),
                          extension=with_terms())
            assert r.code == 1000, r.raw
        server = ("127.0.0.1", knot.port)
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.settimeout(2)
        deadline = time.monotonic() + 60
        while ns_of(probe, server, names[-1]) != {NS[0]}:  # the creates are all there
            if time.monotonic() > deadline:
                raise SystemExit("the creates did not reach the primary:\n" + d.stderr()[-2000:])
            time.sleep(0.1)

        lock = threading.Lock()
        pending = {}           # name -> (want, answered at)
        latencies, answers = [], []
        state = {"next": 0, "sent": 0, "done": False}
        current = {name: 0 for name in names}
        total = int(args.rate * args.seconds)
        t0 = time.monotonic() + 0.2

        def sender(c):
            while True:
                with lock:
                    i = state["next"]
                    if i >= total:
                        return
                    state["next"] += 1
                    name = names[i % len(names)]
                    old = current[name]
                    current[name] = 1 - old
                at = t0 + i / args.rate
                pause = at - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                sent = time.monotonic()
                r = c.command(update_xml(name, add={"ns": [NS[1 - old]]},
                                         rem={"ns": [NS[old]]}))
                done = time.monotonic()
                assert r.code == 1000, r.raw
                with lock:
                    answers.append(done - sent)
                    pending[name] = ({NS[1 - old]}, done)
                    state["sent"] += 1

        def poller():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.settimeout(2)
            while True:
                with lock:
                    items = list(pending.items())
                    finished = state["done"]
                if finished and not items:
                    return
                for name, (want, answered) in items:
                    if ns_of(sock, server, name) == want:
                        seen = time.monotonic()
                        with lock:
                            if pending.get(name, (None, None))[1] == answered:
                                del pending[name]
                                latencies.append(seen - answered)
                time.sleep(args.poll / 1000.0)

        threads = [threading.Thread(target=sender, args=(c,)) for c in clients]
        watcher = threading.Thread(target=poller)
        watcher.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        with lock:
            state["done"] = True
        watcher.join(timeout=60)
        res = {
            "backend": args.backend, "updates": state["sent"],
            "rate": round(state["sent"] / elapsed, 1), "domains": args.domains,
            "sessions": args.sessions,
            "epp_p50_ms": round(1000 * percentile(answers, 50), 2),
            "epp_p99_ms": round(1000 * percentile(answers, 99), 2),
            "primary_p50_ms": round(1000 * percentile(latencies, 50), 1),
            "primary_p90_ms": round(1000 * percentile(latencies, 90), 1),
            "primary_p99_ms": round(1000 * percentile(latencies, 99), 1),
            "primary_max_ms": round(1000 * max(latencies), 1) if latencies else None,
            "measured": len(latencies), "poll_ms": args.poll,
            # the publisher's detours, from its log (warn level)
            "drift_levels": d.stderr().count("event=primary-drifted"),
            "failures": d.stderr().count("event=primary-failed"),
        }
        if args.json:
            print(json.dumps(res))
        else:
            print("%(updates)d updates at %(rate).1f/s on %(backend)s (%(domains)d domains, "
                  "%(sessions)d sessions)\n"
                  "EPP answer:              p50 %(epp_p50_ms).2f ms  p99 %(epp_p99_ms).2f ms\n"
                  "EPP answer -> primary:   p50 %(primary_p50_ms).1f ms  p90 "
                  "%(primary_p90_ms).1f ms  p99 %(primary_p99_ms).1f ms  max "
                  "%(primary_max_ms)s ms  (%(measured)d measured, probe every %(poll_ms)g ms)\n"
                  "publisher:               %(drift_levels)d levels for drift, %(failures)d "
                  "failures"
                  % res)
        for c in clients:
            c.close()
    finally:
        d.cleanup()
        knot.cleanup()


if __name__ == "__main__":
    main()
