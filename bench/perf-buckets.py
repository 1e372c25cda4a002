#!/usr/bin/env python3
"""Shares of registryd's CPU per bucket, from `perf script` output with call
chains (issue 18; bench/perf-profile.sh records the profiles).

    perf script -i check.perf.data -F comm,tid,period,ip,sym,dso > check.txt
    python3 bench/perf-buckets.py check=check.txt info=info.txt ... [--top N]

Each sample goes to one bucket:
  1. its leaf frame is in the kernel: "kernel (syscalls, I/O)" (the
     user-space frame under it is shown with --top);
  2. any frame of its stack is the audit row (eppd_audit, audit_*, the
     redacted copy of the request made for it): "audit row" — its SQL, its
     XML serialisation and its allocations included;
  3. otherwise the first frame from the leaf up that names a bucket (so
     malloc or memcpy called by xmlParse* counts as XML parse, sqlite3_* as
     SQL), by symbol first, then by library; none: "other".
Samples of a session's set-up (the TLS handshake's public-key work, the
login's argon2id) are counted apart and left out of the shares: they are
paid once per session, not per command. Prints one Markdown table: a row
per bucket, a column per profile, each cell the bucket's share of that
profile's other samples; then the kernel's share split by the bucket whose
code entered it. --top N adds, per
profile, the N heaviest leaf symbols of each bucket.
"""
import re
import sys
from collections import Counter, defaultdict

BUCKETS = [
    "XML parse", "schema validation", "SQL", "TLS", "audit row",
    "response writing", "kernel (syscalls, I/O)", "event loop, framing",
    "command logic", "allocator, libc", "other", "session set-up (not in the shares)",
]

# once per session, not per command: the login's password check (argon2id)
# and the TLS handshake's public-key work; shown, but left out of the shares
SETUP = re.compile(r"^(crypto_pwhash|argon2|login_check|login_execute|secret_verify|"
                   r"EVP_PKEY_generate|EVP_PKEY_derive|EVP_PKEY_keygen|EVP_DigestSign|"
                   r"EVP_PKEY_sign|X509_|d2i_|i2d_|PEM_|ssl3_get_|tls_construct_server|"
                   r"tls_process_client_hello|SSL_do_handshake|accept_any_client_cert|"
                   r"tls_peer_fingerprint|on_accept)")
SETUP_BUCKET = "session set-up (not in the shares)"

AUDIT = re.compile(r"^(eppd_audit|audit_epp_record|audit_|redacted_copy|redact|epp_raw_redacted|"
                   # a batch's rows together, the frame kept as received (2026-12-06)
                   r"eppd_audit_row|eppd_audit_write|eppd_audit_commit_failed|"
                   r"audit_epp_record_rows|take_row|write_rows|as_received|holds_secret|"
                   r"plain_utf8)$")

# (bucket, symbol pattern): the first frame from the leaf up that matches
SYMBOLS = [
    ("schema validation", r"^(xmlSchema|epp_schema_validate)"),
    ("response writing", r"^(xmlTextWriter|xmlSave|xmlOutputBuffer|xmlBufWrite|epp_w_|"
                         r"epp_writer|epp_response_write|eppd_response|epp_greeting|write_result|"
                         r"write_chkdata|write_credata|write_infdata|write_|open_doc|close_doc|"
                         r"epp_chkdata|epp_credata|epp_infdata)"),
    ("XML parse", r"^(xmlParse|xmlSAX|xmlCtxt|xmlRead|xmlCreate.*ParserCtxt|xmlFreeParserCtxt|"
                  r"xmlInitParserCtxt|xmlCurrentChar|xmlCopyChar|xmlSkipBlankChars|xmlLoadEntity|"
                  r"xmlFreeDoc|xmlFreeNode|xmlFreeProp|xmlFreeNs|xmlNewDoc|xmlNewNode|xmlSearchNs|"
                  r"xmlNodeGetContent|xmlGetProp|xmlDetectCharEncoding|xmlSwitch|xmlCharEncoding|"
                  r"nsPush|nsPop|spacePush|nodePush|namePush|"
                  r"epp_xml_read|epp_decode|decode_|read_envelope|precheck|xa_|epp_child|"
                  r"epp_next_sibling|epp_text|epp_count|check_extensions|find_object|"
                  r"unplug_unknown_extensions|scan_cltrid|set_cltrid)"),
    ("SQL", r"^(sqlite3|PQ|pq|sq_|db_|begin_writes|begin_with|end_lazy|savepoint_sql|"
            r"rewrite_sql|hash_sql|failed_stmt_for)"),
    ("TLS", r"^(SSL_|ssl|tls|EVP_|ossl|OSSL|CRYPTO_|aesni|aes_|gcm|ChaCha|Poly1305|OPENSSL|BIO_|"
            r"bn_|BN_|ERR_|HMAC|RAND_|x25519|ecp_|EC_|sha|SHA)"),
    ("event loop, framing", r"^(event_|evbuffer|bufferevent|evmap|epoll|on_read|on_write|"
                            r"on_event|on_jobs_done|try_read_frame|send_frame|complete|"
                            r"apply_result|resume|paced|on_pace|deadline_|epp_frame_|"
                            r"epp_pool_submit|take_batch|take_from)"),
    ("command logic", r"^(eppd_|domain_|contact_|host_|registrar_|reg_|policy_|names_|status_|"
                      r"lifecycle_|billing_|run_attempt|execute_one|finish_response|"
                      r"arena_|clock_|metric|epp_)"),
]
SYMBOLS = [(b, re.compile(p)) for b, p in SYMBOLS]

LIBS = [
    ("SQL", re.compile(r"libsqlite3|libpq")),
    ("TLS", re.compile(r"libssl|libcrypto")),
    ("XML parse", re.compile(r"libxml2")),  # a libxml2 frame under nothing more specific
    ("event loop, framing", re.compile(r"libevent")),
    ("allocator, libc", re.compile(r"libc\.so|libc-|ld-linux|libpthread")),
]

FRAME = re.compile(r"^\s+([0-9a-f]+)\s+(.*?)\s+\(([^)]*)\)\s*$")


def frame_symbol(s):
    s = re.sub(r"\+0x[0-9a-f]+$", "", s)
    return s


def read_samples(path):
    """Yields (period, [(symbol, dso), ...] leaf first) per sample."""
    period, frames, header = 1, [], False
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if header:
                    yield period, frames
                period, frames, header = 1, [], False
                continue
            if not line[0].isspace():
                header = True
                frames = []
                last = line.split()[-1]
                period = int(last) if last.isdigit() else 1
                continue
            m = FRAME.match(line)
            if m:
                frames.append((frame_symbol(m.group(2)), m.group(3)))
    if header:
        yield period, frames


def kernel(dso):
    return "kernel" in dso or dso.startswith("[")


def classify(frames):
    if not frames:
        return "other", "?"
    leaf_sym, leaf_dso = frames[0]
    if any(SETUP.match(s) for s, _ in frames):
        return SETUP_BUCKET, leaf_sym
    if kernel(leaf_dso):
        user = [(s, d) for s, d in frames if not kernel(d)]
        under = classify(user)[0] if user else "?"
        return "kernel (syscalls, I/O)", "%s <- %s [%s]" % (
            leaf_sym, user[0][0] if user else "?", under)
    if any(AUDIT.match(s) for s, _ in frames):
        return "audit row", leaf_sym
    for sym, dso in frames:
        for bucket, pat in SYMBOLS:
            if pat.match(sym):
                return bucket, leaf_sym
    for sym, dso in frames:
        for bucket, pat in LIBS:
            if pat.search(dso):
                return bucket, leaf_sym
    return "other", leaf_sym


def main(argv):
    top = 0
    runs = []
    stacks = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--top":
            top = int(argv[i + 1])
            i += 2
            continue
        if a == "--stack":  # --stack REGEX: share of samples with it anywhere on the stack
            stacks.append(argv[i + 1])
            i += 2
            continue
        name, _, path = a.partition("=")
        runs.append((name, path or name))
        i += 1
    if not runs:
        sys.exit(__doc__)
    shares, totals, leaves = {}, {}, {}
    ms = False
    for name, path in runs:
        c, lv = Counter(), defaultdict(Counter)
        for period, frames in read_samples(path):
            b, leaf = classify(frames)
            c[b] += period
            lv[b][leaf] += period
            for rx in stacks:
                if b != SETUP_BUCKET and any(re.match(rx, sym) for sym, _ in frames):
                    lv["--stack"][rx] += period
        totals[name] = sum(c.values())
        ms = max(c.values(), default=0) > 1e6  # periods in ns (cpu-clock)
        shares[name] = c
        leaves[name] = lv
    names = [n for n, _ in runs]
    setup = {n: shares[n][SETUP_BUCKET] for n in names}
    work = {n: totals[n] - setup[n] for n in names}
    print("| bucket | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for b in BUCKETS:
        if b == SETUP_BUCKET or not any(shares[n][b] for n in names):
            continue
        cells = ["%.1f %%" % (100.0 * shares[n][b] / work[n]) if work[n] else "—" for n in names]
        print("| %s | %s |" % (b, " | ".join(cells)))
    # the kernel's share again, by the user-space bucket that entered it
    under = {n: Counter() for n in names}
    for n in names:
        for leaf, v in leaves[n]["kernel (syscalls, I/O)"].items():
            under[n][leaf.rsplit("[", 1)[-1].rstrip("]")] += v
    for u in BUCKETS + ["?"]:
        if not any(under[n][u] for n in names):
            continue
        cells = ["%.1f %%" % (100.0 * under[n][u] / work[n]) if work[n] else "—" for n in names]
        print("| (kernel under %s) | %s |" % (u, " | ".join(cells)))
    if ms:
        print("| registryd CPU in the profile, s | " +
              " | ".join("%.2f" % (work[n] / 1e9) for n in names) + " |")
    for rx in stacks:
        print("| (on the stack: `%s`) | %s |" % (rx, " | ".join(
            "%.1f %%" % (100.0 * leaves[n]["--stack"][rx] / work[n]) if work[n] else "—"
            for n in names)))
    print("| %s | %s |" % (SETUP_BUCKET, " | ".join(
        ("%.2f s" % (setup[n] / 1e9)) if ms else "{:,}".format(setup[n]) for n in names)))
    if top:
        for n in names:
            print("\n%s, heaviest leaves per bucket:" % n)
            for b in BUCKETS:
                if not shares[n][b]:
                    continue
                print("  %s (%.1f %%)" % (b, 100.0 * shares[n][b] / work[n]))
                for leaf, v in leaves[n][b].most_common(top):
                    print("    %5.1f %%  %s" % (100.0 * v / work[n], leaf))


if __name__ == "__main__":
    main(sys.argv[1:])
