# EPP server system tests (DESIGN §5, §11): the real registryd on loopback,
# driven over TLS, each on SQLite and on PostgreSQL. Included from
# tests/system/CMakeLists.txt. Needs: python3, perl with libnet-epp-perl,
# xmllint (libxml2-utils), openssl, psql; PostgreSQL through the pg fixture.
if(NOT Python3_EXECUTABLE)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
endif()
find_program(REG_EPP_PERL perl REQUIRED)

set(REG_EPP_TEST_ENV
  "REGCTL=$<TARGET_FILE:regctl>"
  "REGISTRYD=$<TARGET_FILE:registryd>"
  "REG_TEST_PG_URL_FILE=${CMAKE_BINARY_DIR}/pg/url"
  "REG_SCHEMA_DIR=${CMAKE_SOURCE_DIR}/schema"
  "REG_TEST_TMP=${CMAKE_BINARY_DIR}/testtmp/epp"
  "PYTHON3=${Python3_EXECUTABLE}"
  "PYTHONDONTWRITEBYTECODE=1")

# reg_epp_py_test(NAME SCRIPT "SQLITE CLASSES" "PG CLASSES"): a unittest
# script as system.NAME.sqlite and system.NAME.pgsql.
function(reg_epp_py_test name script sqlite_classes pg_classes)
  foreach(backend sqlite pgsql)
    if(backend STREQUAL "sqlite")
      separate_arguments(classes UNIX_COMMAND "${sqlite_classes}")
    else()
      separate_arguments(classes UNIX_COMMAND "${pg_classes}")
    endif()
    add_test(NAME system.${name}.${backend}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${script} -v ${classes})
    set_tests_properties(system.${name}.${backend} PROPERTIES
      ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
  endforeach()
endfunction()

# reg_epp_perl_test(NAME SCRIPT): a TAP script run once per backend
# (REG_EPP_BACKEND tells it which).
function(reg_epp_perl_test name script)
  foreach(backend sqlite pgsql)
    add_test(NAME system.${name}.${backend}
      COMMAND ${REG_EPP_PERL} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${script})
    set_tests_properties(system.${name}.${backend} PROPERTIES
      ENVIRONMENT "${REG_EPP_TEST_ENV};REG_EPP_BACKEND=${backend}"
      FIXTURES_REQUIRED pg TIMEOUT 120)
  endforeach()
endfunction()

# Sessions: greeting, login, poll, framing, TLS, limits, audit log.
reg_epp_py_test(epp_session test_epp_session.py SQLiteEPPSessionTest PgEPPSessionTest)
# Expensive XML refused before parsing, before and after login (issue 12 item 4).
reg_epp_py_test(epp_parse_cost test_epp_parse_cost.py SQLiteParseCostTest PgParseCostTest)
# Debian's Net::EPP::Simple, unmodified: login, hello, poll, logout.
reg_epp_perl_test(epp_netepp test_epp_netepp.pl)
# Domain lifecycle jobs moved through time with regctl jobs run --now.
reg_epp_py_test(lifecycle test_lifecycle.py
  "SqliteAutorenewLifecycle SqliteExpireLifecycle SqlitePendingTransferLifecycle SqliteBatchedLifecycle"
  "PgsqlAutorenewLifecycle PgsqlExpireLifecycle PgsqlPendingTransferLifecycle PgsqlBatchedLifecycle")
# Host objects (RFC 5732) and the host extension (regh:admin).
reg_epp_py_test(epp_host test_epp_host.py SQLiteEPPHostTest PgEPPHostTest)
# Contact objects (RFC 5733) and the contact extension (regc:type, ident, mobile).
reg_epp_py_test(epp_contact test_epp_contact.py "SQLiteEPPContactTest SQLitePlainIdsTest"
  "PgEPPContactTest PgPlainIdsTest")
# Domain objects (RFC 5731) with secDNS (RFC 5910), RGP (RFC 3915) and the
# domain extension; three daemons per class (main, pending transfers, no
# redemption period).
reg_epp_py_test(epp_domain test_epp_domain.py SQLiteEPPDomainTest PgEPPDomainTest)
# A registrar's whole business through Net::EPP::Simple (contacts, hosts, a
# domain with secDNS, update, renew, transfer with poll, delete, restore).
reg_epp_perl_test(epp_business test_epp_business.pl)
# Every command sample under tests/data/epp/valid/ (never 2001, 2400, 2500)
# and invalid/ (2001 with a reason) sent over EPP; responses schema-checked.
reg_epp_py_test(epp_samples test_epp_samples.py SQLiteEPPSamplesTest PgEPPSamplesTest)
# DESIGN §11: acknowledged writes survive SIGKILL under load.
reg_epp_py_test(crash test_crash.py SqliteCrash PgsqlCrash)
# DESIGN §11 (issue 18): no answer before the WAL's sync, on SQLite, where
# a batch that writes syncs after it lets the next one in; the disk's
# failure is tests/system/failsync.c, preloaded into registryd.
add_library(reg_failsync MODULE ${CMAKE_CURRENT_LIST_DIR}/failsync.c)
target_link_libraries(reg_failsync PRIVATE ${CMAKE_DL_LIBS})
add_test(NAME system.sync.sqlite
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_sync.py -v)
set_tests_properties(system.sync.sqlite PROPERTIES
  ENVIRONMENT "${REG_EPP_TEST_ENV};REG_FAILSYNC_LIB=$<TARGET_FILE:reg_failsync>"
  FIXTURES_REQUIRED pg TIMEOUT 300)
# DESIGN §11 (issue 13): PostgreSQL restarted and stopped under load (on a
# server of the test's own), and one of two instances on one database
# killed with SIGKILL under load. PostgreSQL only.
foreach(case restart:PgRestart instances:TwoInstances)
  string(REPLACE ":" ";" pair ${case})
  list(GET pair 0 name)
  list(GET pair 1 class)
  add_test(NAME system.pg_failover.${name}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_pg_failover.py -v ${class})
  set_tests_properties(system.pg_failover.${name} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()
# RFC 8748 fees for domains: fee:check prices and the fee agreement of
# create, renew, transfer and restore against the prepaid ledger.
reg_epp_py_test(epp_fee test_epp_fee.py SQLiteEPPFeeTest PgEPPFeeTest)
# Prepaid billing (R17, R23, R24): debits for every operation, 2104 with
# nothing changed, the race for the last credit, overrides and rebates,
# statements, invoices; regctl ledger verify at the end of each class.
reg_epp_py_test(billing test_billing.py "SqliteBillingTest SqliteInvoiceTest"
  "PgBillingTest PgInvoiceTest")
# The outbox and the low-balance warning e-mail.
reg_epp_py_test(outbox test_outbox.py SqliteOutbox PgsqlOutbox)
# Mail over SMTP to a real relay (tests/system/smtpsink.py): the exact
# message and envelope, 4xx/5xx and an unreachable relay retried after the
# backoff, STARTTLS, smtps:// and AUTH.
reg_epp_py_test(smtp test_smtp.py SqliteSmtp PgsqlSmtp)
# Contact ident changes (R5) and notification mails (R10 contact email,
# registrant change, delete request; R11 expiry notice), read from the spool.
reg_epp_py_test(notices test_notices.py SqliteNotices PgsqlNotices)
# The HTTP listener: port 0, 404/405/413 pages with the security headers,
# body and header limits, idle timeout; --only epp serves no HTTP.
reg_epp_py_test(http test_http.py SqliteHttp PgsqlHttp)
# WHOIS (issue 15, R25): every query kind, the privacy rules, IDN both ways,
# no match, malformed queries, the rate and connection limits, slow clients.
reg_epp_py_test(whois test_whois.py "SqliteWhois SqliteWhoisLimits"
                "PgsqlWhois PgsqlWhoisLimits")
# RDAP (issue 15, R25): every lookup and search, each privacy case with its
# RFC 9537 redactions, IDN both ways, errors (400, 401, 403, 404, 405, 422,
# 429, 501), HEAD, CORS, keep-alive, credentials over TLS only, the rate per
# source; every answer checked against RFC 9083 field by field. [rdap] canned
# (the benchmark's baseline): one fixed domain answer, no database read.
reg_epp_py_test(rdap test_rdap.py "SqliteRdap SqliteRdapLimits SqliteRdapCanned"
                "PgsqlRdap PgsqlRdapLimits PgsqlRdapCanned")
# The same with [http] threads = 2 (two loops steered by source), plus many
# keep-alive clients from 16 sources at once, answered by both loops.
reg_epp_py_test(rdap_threads test_rdap.py "SqliteRdapThreads SqliteRdapLimitsThreads"
                "PgsqlRdapThreads PgsqlRdapLimitsThreads")
# Monitoring (issue 13 item 6): /metrics counters moved by EPP commands,
# HTTP requests, jobs and the outbox; [http] metrics_allow; /health lines
# for an overdue job and a full disk; [log] file reopened on SIGHUP.
reg_epp_py_test(monitoring test_monitoring.py SqliteMonitoring PgsqlMonitoring)
# The front doors (issue 12): connection caps in total and per source, the
# listener out of file descriptors, clients that do not read, frames and
# requests trickled in, hellos and errors before login, new sessions per
# source; the daemon's memory and CPU time stay bounded.
reg_epp_py_test(limits test_limits.py SqliteLimits PgsqlLimits)
# Registrant confirmations end to end (R7, R8): 1001 and pendingUpdate /
# pendingDelete over EPP, the mail over SMTP, the page over HTTP, confirm,
# reject, CSRF, single use, expiry, unknown tokens; poll messages (panData).
reg_epp_py_test(confirm test_confirm.py SqliteConfirm PgsqlConfirm)
# Mail promptly (issue 13 item 3): the commit that queued a confirmation
# wakes the scheduler; the mail reaches a real SMTP listener within
# seconds with the job's interval an hour.
reg_epp_py_test(prompt_mail test_prompt_mail.py SqlitePromptMail PgsqlPromptMail)
# Auth info (R13), transfers without it (R14), auth-code requests (R15),
# one-time passwords by e-mail (read from a real SMTP listener) and SMS
# (R16) and the manual route with its one-off invoice (R17).
reg_epp_py_test(authotp test_authotp.py SqliteAuthOtp PgsqlAuthOtp)
# Management models (R18), registrant invoices and contact-check reminders
# (R19), the registry's terms at create (R20), registrar service flags and
# the DNSSEC report (R26).
reg_epp_py_test(management test_management.py SqliteManagement PgsqlManagement)
# Registrant accounts (account-1.0, R33-R40): one test per slot rule with its
# code and message, contacts made from slot data, domains on accounts, slot-
# field changes, regctl account credentials.
reg_epp_py_test(epp_account test_epp_account.py SQLiteEPPAccountTest PgEPPAccountTest)
# Identity checks of registrants (R21, R22): pending on a domain create with
# idCheck in contact info, the test eID provider, regctl idcheck, the
# idcheck-deadline job (serverHold, deletion 30 days later, lifted when
# verified meanwhile) and 2306 for a failed registrant.
reg_epp_py_test(idcheck test_idcheck.py SqliteIdcheck PgsqlIdcheck)
# SMS by HTTP gateway (a recording endpoint on loopback, plain and TLS): the
# exact JSON and bearer token, 5xx/429 retried after the backoff, 4xx
# refusals failed at once, an unreachable gateway holding only SMS, the
# spool without a gateway, regctl outbox test.
reg_epp_py_test(sms test_sms.py SqliteSms PgsqlSms)
# regctl's staff tools (issue 13 item 8): domain, contact and host show on
# objects made over EPP, epp-log's filters and order, history --full,
# registrar delete refused then allowed, init --demo twice.
reg_epp_py_test(staff test_staff.py SqliteStaff PgsqlStaff)
# The pepper of auth-info and OTP hashes (issue 12 item 7): var/pepper made
# by regctl init (0600), keyed hashes end to end (create, info, transfer),
# a pre-pepper hash migrated on use, refusals to start (readable by others,
# missing, wrong key) and a rotated pepper.
reg_epp_py_test(pepper test_pepper.py SqlitePepperTest PgsqlPepperTest)
# The zone file (issue 14): domains, DS, glue and holds over EPP and regctl,
# the file loaded by named-checkzone and kzonecheck (bind9-utils,
# knot-dnssecutils), the safety guard holding a shrunk zone until --force.
reg_epp_py_test(zone test_zone.py SqliteZone PgsqlZone)
# Incremental publication to a real DNS primary (issue 14 item 2): Knot DNS
# on loopback with a TSIG key; every change at the primary within seconds,
# an outage caught up, a bare or changed primary levelled, the guard on
# the stream, a refused key; one of two instances publishing (PostgreSQL).
reg_epp_py_test(zone_update test_zone_update.py "SqliteZoneUpdate ZoneConfig" PgsqlZoneUpdate)
# The registrar portal's login over HTTP (issue 16, R27): regctl
# portal-user, password and TOTP with enrolment, a code taken once, the
# lockout, the address allow-list, cookie flags, CSRF, redirects after
# POST, CSP, 403 and the login page, logout, English and Danish.
reg_epp_py_test(portal test_portal.py SqlitePortal PgsqlPortal)
# The portal's XML console (R12) and Billing (R23, R24): documents through
# the EPP pipeline as the user's registrar (EPP log and history channel
# portal-console), 2001, refused session commands and sizes, 403 by role;
# balance, statement CSV and invoices equal to regctl's, prices.
reg_epp_py_test(portal_console test_portal_console.py SqliteConsoleBilling PgsqlConsoleBilling)
# The registrant self-service site over HTTP (issue 17; R7, R21, R39): the
# set-up link, 410 for a used or expired one, login by handle or e-mail,
# the lockout and the reset mail over SMTP, eID login with the test
# provider, my domains, a change of registrant confirmed on the domain
# page, Danish, Norwegian and Estonian pages.
reg_epp_py_test(selfservice test_selfservice.py SqliteSelfService PgsqlSelfService)
# The self-service site's auth-code request (R15-R17): the registrar's poll
# message, the overdue job with the clock moved, the one-time password by
# mail completing another registrar's transfer; My data (R38): a2's e-mail
# change with both R10 mails, the R5 ident refusal at its field, the
# disclosure choice in RDAP, the identity check's eID form (R21).
reg_epp_py_test(selfservice_data test_selfservice_data.py SqliteSelfServiceData
                PgsqlSelfServiceData)
# regbench (issue 18): a mixed run counted by result code, a failing create
# named by its code, a server that goes away mid-run reported, info of
# benchload's domains, a paced run; system.regbench.runall: bench/run-all.sh
# --quick prints its whole table (the other binaries beside regbench).
add_test(NAME system.regbench COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_LIST_DIR}/test_regbench.py -v Regbench)
add_test(NAME system.regbench.runall COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_LIST_DIR}/test_regbench.py -v RunAll)
set_tests_properties(system.regbench system.regbench.runall PROPERTIES
  ENVIRONMENT "${REG_EPP_TEST_ENV};REGBENCH=$<TARGET_FILE:regbench>" FIXTURES_REQUIRED pg
  TIMEOUT 300)
# Linked WHOIS handles, My profile and the users page (issue 16, seed 000:
# R27-R31): regctl registrar set --handle and contact link/unlink, the
# linked list with roles and click-through, exact-match candidates, the
# empty list's explanation, link, unlink, create handle, nameserver_manager
# granted to oneself, the password change, users managed from the portal.
reg_epp_py_test(portal_handles test_portal_handles.py SqliteLinkedHandles PgsqlLinkedHandles)
# A domain's life in the registrar portal (issue 16; R7, R8, R13, R16, R18,
# R20): create with terms and management and a refusal at its field,
# contacts and statuses, DS records, a transfer requested by another
# registrar and approved, delete verified and restored, delete waiting for
# the registrant (mail over SMTP), bulk renewal and tech replacement with
# their counts, the dashboard chart, CSRF and role refusals.
reg_epp_py_test(portal_domains test_portal_domains.py SqlitePortalDomains PgsqlPortalDomains)

# Contacts, Hosts, Poll messages and the EPP log of the registrar portal
# (issue 16): create, update and delete through the forms on EPP's
# operations, the registry's message next to its field with the values
# kept, another registrar's objects and commands not shown, poll read and
# acknowledge, the EPP log's filters, the role needed and CSRF.
reg_epp_py_test(portal_objects test_portal_objects.py SqlitePortalObjects PgsqlPortalObjects)
