#!/usr/bin/env python3
"""SMS by HTTP gateway (issue 6 item 6, DESIGN §3, §8): with `[sms] gateway`
set, the outbox-deliver job POSTs each queued SMS as JSON {"to", "from",
"text"} with `Authorization: Bearer [sms] token`; without one it writes the
same JSON to `[sms] spool` (ID.json). The gateway here is a recording HTTP
endpoint on loopback (http.server, port 0, standard library), plain or TLS;
the SMS is queued by `regctl outbox test --sms NUMBER`, the operators' check
of their gateway; time moves with `--now`. Runs on SQLite and PostgreSQL.

What a gateway's answer does to the message:
  2xx                  sent
  400, 410, 413, 422   refused for good: failed at once (staff can retry it)
  any other, or no     kept for a retry after the backoff (1 min × 2^attempts),
  connection           and the other SMS of the run wait untouched; e-mail
                       is not held back."""
import glob
import http.server
import json
import os
import re
import socket
import ssl
import sys
import threading
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import Daemon  # noqa: E402
from smtpsink import localhost_cert  # noqa: E402

T0 = 1798761600  # 2027-01-01T00:00:00Z
TOKEN = "gw-token_0123456789abcdef"
NUMBER = "+4512345678"
SUMMARY = re.compile(r"^outbox-deliver\s+ran\s+(.*)$", re.M)


def rfc3339(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gateway_json(to, text, sender="Registry"):
    """The exact body the registry sends (compact, keys in this order)."""
    return json.dumps({"to": to, "from": sender, "text": text}, separators=(",", ":"),
                      ensure_ascii=False).encode()


class Gateway:
    """A recording HTTP endpoint: every request is kept as (method, path,
    headers, body); each is answered with the next of `answers` (status,
    body), or 200 once they run out."""

    def __init__(self, tls_context=None):
        self.requests = []
        self.answers = []
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                gateway.requests.append(("POST", self.path, self.headers, body))
                status, text = gateway.answers.pop(0) if gateway.answers else (200, '{"id":"1"}')
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls_context:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.url = "%s://127.0.0.1:%d/api/sms" % ("https" if tls_context else "http",
                                                   self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class SmsDelivery:
    backend = None

    def setUp(self):
        self.gw = Gateway()
        self.addCleanup(self.gw.close)
        self.d = Daemon(backend=self.backend, name="sms",
                        settings={"mail.from": "registry@nic.example",
                                  "sms.gateway": self.gw.url, "sms.token": TOKEN})
        self.addCleanup(self.d.cleanup)
        self.sms_spool = os.path.join(self.d.var, "spool", "sms")

    # --- helpers -------------------------------------------------------------

    def config(self, **sms):
        """This daemon's configuration with [sms] settings replaced."""
        return self.d.config_with("sms", sms)

    def queue(self, number=NUMBER, at=T0, *extra):
        """regctl --now AT outbox test --sms NUMBER; returns the text queued
        (the English template at that time)."""
        out = self.d.regctl("--now", rfc3339(at), "outbox", "test", "--sms", number, *extra)
        self.assertEqual(out.stdout, "test SMS to %s queued; regctl jobs run --force "
                                     "outbox-deliver sends it\n" % number)
        return "Test message from the registry, queued %s: SMS delivery works." % rfc3339(at)

    def deliver(self, at, config=None):
        argv = ["jobs", "run", "--force", "--now", rfc3339(at), "outbox-deliver"]
        if config:
            argv = ["--config", config] + argv
        m = SUMMARY.search(self.d.regctl(*argv, timeout=120).stdout)
        self.assertIsNotNone(m)
        return m.group(1).strip()

    def outbox(self, state=None):
        """[(id, channel, state, attempts, line)] from regctl outbox list."""
        rows = []
        for line in self.d.regctl("outbox", "list", *([state] if state else [])).stdout \
                .splitlines()[1:]:
            f = line.split(None, 6)
            rows.append((int(f[0]), f[1], f[2], int(f[3]), line))
        return rows

    def assert_request(self, req, to, text):
        method, path, headers, body = req
        self.assertEqual((method, path), ("POST", "/api/sms"))
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(headers["Authorization"], "Bearer " + TOKEN)
        self.assertEqual(body, gateway_json(to, text))
        self.assertEqual(json.loads(body), {"to": to, "from": "Registry", "text": text})

    # --- tests -----------------------------------------------------------------

    def test_sent_to_the_gateway(self):
        self.assertEqual(self.deliver(T0), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.gw.requests, [], "nothing to send, no request")
        text = self.queue()
        [(mid, channel, state, attempts, line)] = self.outbox()
        self.assertEqual((channel, state, attempts), ("sms", "queued", 0), line)
        self.assertIn(text, line)
        self.assertEqual(self.deliver(T0), "1 sent, 0 kept for a retry, 0 given up")
        [req] = self.gw.requests
        self.assert_request(req, NUMBER, text)
        self.assertEqual(self.outbox()[0][2:4], ("sent", 1))
        self.assertEqual(glob.glob(os.path.join(self.sms_spool, "*")), [], "spool with a gateway")
        # sent once only
        self.assertEqual(self.deliver(T0 + 86400), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.gw.requests), 1)
        # the token is a secret: config show does not print it
        shown = self.d.regctl("config", "show").stdout
        self.assertNotIn(TOKEN, shown)
        self.assertIn("# token = (set; not shown)", shown)
        self.assertIn("gateway = %s\n" % self.gw.url, shown)

    def test_text_in_the_chosen_language(self):
        self.d.regctl("--now", rfc3339(T0), "outbox", "test", "--sms", "+4798765432",
                      "--lang", "nb")
        self.assertEqual(self.deliver(T0), "1 sent, 0 kept for a retry, 0 given up")
        self.assert_request(self.gw.requests[0], "+4798765432",
                            "Testmelding fra registerenheten, lagt i kø 2027-01-01T00:00:00Z: "
                            "utsending av SMS fungerer.")
        # [mail] language is the default
        conf = os.path.join(self.d.dir, "estonian.conf")
        with open(self.d.config) as f, open(conf, "w") as out:
            out.write(f.read() + "[mail]\nlanguage = et\n")
        self.d.regctl("--config", conf, "--now", rfc3339(T0), "outbox", "test", "--sms",
                      "+3725551234")
        self.assertEqual(self.deliver(T0), "1 sent, 0 kept for a retry, 0 given up")
        self.assert_request(self.gw.requests[1], "+3725551234",
                            "Registripidaja testsõnum, järjekorda pandud 2027-01-01T00:00:00Z: "
                            "SMS-ide saatmine toimib.")

    def test_server_error_retried_after_the_backoff(self):
        first = self.queue()
        second = self.queue("+4587654321")
        # 500 to the first: kept, and the second waits untried
        self.gw.answers = [(500, '{"error":"internal"}')]
        self.assertEqual(self.deliver(T0),
                         "0 sent, 1 kept for a retry, 0 given up, 1 SMS waiting (gateway unavailable)")
        self.assertEqual(len(self.gw.requests), 1)
        rows = self.outbox()
        self.assertEqual([(s, a) for _, _, s, a, _ in rows], [("queued", 1), ("queued", 0)])
        self.assertIn('SMS gateway answered 500 {"error":"internal"}', rows[0][4])
        # the second is still due: the next run tries it, not the first (2 min backoff)
        self.assertEqual(self.deliver(T0 + 60), "1 sent, 0 kept for a retry, 0 given up")
        self.assert_request(self.gw.requests[1], "+4587654321", second)
        self.assertEqual(self.deliver(T0 + 119), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.gw.requests), 2)
        # 429 (rate limit) at the second attempt: the backoff doubles
        self.gw.answers = [(429, '{"error":"slow down"}')]
        self.assertEqual(self.deliver(T0 + 120),
                         "0 sent, 1 kept for a retry, 0 given up")
        self.assertEqual(self.outbox()[0][2:4], ("queued", 2))
        self.assertIn("SMS gateway answered 429", self.outbox()[0][4])
        self.assertEqual(self.deliver(T0 + 120 + 239), "0 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.deliver(T0 + 120 + 240), "1 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(len(self.gw.requests), 4)
        for req in (self.gw.requests[0], self.gw.requests[2], self.gw.requests[3]):
            self.assert_request(req, NUMBER, first)
        rows = self.outbox()
        self.assertEqual([(s, a) for _, _, s, a, _ in rows], [("sent", 3), ("sent", 1)])
        self.assertNotIn(" — ", rows[0][4], "last_error cleared once sent")

    def test_refused_message_fails_at_once(self):
        self.queue()
        self.gw.answers = [(422, '{"error":"unknown number"}')]
        self.assertEqual(self.deliver(T0), "0 sent, 0 kept for a retry, 1 given up")
        [(mid, _, state, attempts, line)] = self.outbox()
        self.assertEqual((state, attempts), ("failed", 1), line)
        self.assertIn('SMS gateway refused the message: 422 {"error":"unknown number"}', line)
        self.assertEqual(self.deliver(T0 + 86400), "0 sent, 0 kept for a retry, 0 given up")
        # staff put it back; it goes out
        self.d.regctl("--now", rfc3339(T0 + 86400), "outbox", "retry", mid)
        self.assertEqual(self.deliver(T0 + 86400), "1 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.outbox()[0][2:4], ("sent", 2))
        # a refusal does not hold the others back
        self.queue(at=T0 + 86400)
        self.queue("+4587654321", T0 + 86400)
        self.gw.answers = [(400, "bad")]
        self.assertEqual(self.deliver(T0 + 86400), "1 sent, 0 kept for a retry, 1 given up")

    def test_unreachable_gateway_holds_only_sms(self):
        conf = self.config(gateway="http://127.0.0.1:%d/api/sms" % free_port())
        self.queue()
        self.queue("+4587654321")
        self.d.regctl("--now", rfc3339(T0), "outbox", "test", "--email", "ops@nic.example")
        self.assertEqual(self.deliver(T0, conf),
                         "1 sent, 1 kept for a retry, 0 given up, 1 SMS waiting (gateway unavailable)")
        rows = self.outbox()
        self.assertEqual([(c, s, a) for _, c, s, a, _ in rows],
                         [("sms", "queued", 1), ("sms", "queued", 0), ("email", "sent", 1)])
        self.assertIn("SMS gateway: ", rows[0][4])
        self.assertIn("onnect", rows[0][4])  # "Couldn't connect" / "Failed to connect"
        [eml] = glob.glob(os.path.join(self.d.var, "spool", "mail", "*.eml"))
        with open(eml, encoding="utf-8") as f:
            self.assertIn("Subject: Test message from the registry\n", f.read())
        # the gateway is back: both go out once due
        self.assertEqual(self.deliver(T0 + 120), "2 sent, 0 kept for a retry, 0 given up")
        self.assertEqual([r[1] for r in self.gw.requests], ["/api/sms"] * 2)

    def test_spool_without_a_gateway(self):
        conf = self.config(gateway="", spool=os.path.join(self.d.var, "sms-out"),
                           sender="NIC")
        text = self.queue()
        self.assertEqual(self.deliver(T0, conf), "1 sent, 0 kept for a retry, 0 given up")
        self.assertEqual(self.gw.requests, [])
        [(mid, _, state, _, _)] = self.outbox()
        self.assertEqual(state, "sent")
        with open(os.path.join(self.d.var, "sms-out", "%d.json" % mid), "rb") as f:
            self.assertEqual(f.read(), gateway_json(NUMBER, text, sender="NIC") + b"\n")
        self.assertEqual(os.listdir(os.path.join(self.d.var, "sms-out")), ["%d.json" % mid])
        # the default spool directory, under [paths] var in the daemon's directory
        default = self.config(gateway="")
        self.queue("+4587654321")
        self.assertEqual(self.deliver(T0, default), "1 sent, 0 kept for a retry, 0 given up")
        [path] = glob.glob(os.path.join(self.d.dir, "var", "spool", "sms", "*.json"))
        with open(path, "rb") as f:
            self.assertEqual(json.loads(f.read())["to"], "+4587654321")

    def test_tls_gateway(self):
        cert, key = localhost_cert(self.d.dir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        gw = Gateway(tls_context=ctx)
        self.addCleanup(gw.close)
        text = self.queue()
        # a certificate the registry does not trust: the gateway's failure
        self.assertEqual(self.deliver(T0, self.config(gateway=gw.url)),
                         "0 sent, 1 kept for a retry, 0 given up")
        self.assertEqual(gw.requests, [])
        self.assertIn("SMS gateway: ", self.outbox()[0][4])
        # trusted through [sms] ca
        self.assertEqual(self.deliver(T0 + 120, self.config(gateway=gw.url, ca=cert)),
                         "1 sent, 0 kept for a retry, 0 given up")
        [req] = gw.requests
        self.assert_request(req, NUMBER, text)

    def test_registryd_scheduler_delivers(self):
        """The daemon's own job runner (not regctl) sends the SMS."""
        text = self.queue(at=int(datetime.now(timezone.utc).timestamp()) - 60)
        self.d.only = "epp,jobs"  # the scheduler runs every due job at start
        self.d.start()
        for _ in range(300):
            if self.gw.requests:
                break
            threading.Event().wait(0.1)
        self.assertEqual(len(self.gw.requests), 1, self.d.stderr())
        self.assert_request(self.gw.requests[0], NUMBER, text)
        self.d.stop()
        self.assertIn("sub=sms event=delivered", self.d.stderr())
        self.assertIn("via=gateway", self.d.stderr())

    def test_outbox_test_usage(self):
        r = self.d.regctl("outbox", "test", "--sms", "4512345678", check=False)
        self.assertEqual((r.returncode, r.stderr.strip()),
                         (1, "regctl: outbox test: no mobile number (+ and 6-15 digits) to send to"))
        r = self.d.regctl("outbox", "test", "--email", "nobody", check=False)
        self.assertEqual((r.returncode, r.stderr.strip()),
                         (1, "regctl: outbox test: no e-mail address to send to"))
        for args in ([], ["--sms", NUMBER, "--email", "a@b.dk"], ["--sms", NUMBER, "--lang", "sv"],
                     ["--sms", NUMBER, "extra"]):
            r = self.d.regctl("outbox", "test", *args, check=False)
            self.assertEqual(r.returncode, 2, (args, r))
            self.assertIn("usage: regctl outbox test --email ADDRESS | --sms NUMBER", r.stderr)
        self.assertEqual(self.outbox(), [])
        # a bad [sms] setting stops the binary with the line at fault
        bad = self.config(gateway="ftp://gw.example")
        r = self.d.regctl("--config", bad, "config", "check", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("sms.gateway", r.stderr)


class SqliteSms(SmsDelivery, unittest.TestCase):
    backend = "sqlite"


class PgsqlSms(SmsDelivery, unittest.TestCase):
    backend = "pgsql"


if __name__ == "__main__":
    unittest.main()
