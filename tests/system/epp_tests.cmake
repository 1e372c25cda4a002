# EPP server system tests (DESIGN §5, §11): the real registryd on loopback,
# driven over TLS. Included from tests/system/CMakeLists.txt.
#   system.epp_session.sqlite / .pgsql  tests/system/test_epp_session.py
#                                       (Python 3 stdlib, eppclient.py)
#   system.epp_netepp.sqlite / .pgsql   tests/system/test_epp_netepp.pl
#                                       (Debian's Net::EPP::Simple, TAP)
# Needs: python3, perl with libnet-epp-perl, xmllint (libxml2-utils),
# openssl, psql; PostgreSQL through the pg fixture.
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

foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPSessionTest)
  else()
    set(class PgEPPSessionTest)
  endif()
  add_test(NAME system.epp_session.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_session.py -v ${class})
  add_test(NAME system.epp_netepp.${backend}
    COMMAND ${REG_EPP_PERL} ${CMAKE_CURRENT_LIST_DIR}/test_epp_netepp.pl)
  set_tests_properties(system.epp_session.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}"
    FIXTURES_REQUIRED pg
    TIMEOUT 300)
  set_tests_properties(system.epp_netepp.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV};REG_EPP_BACKEND=${backend}"
    FIXTURES_REQUIRED pg
    TIMEOUT 120)
endforeach()

# Domain lifecycle jobs moved through time with regctl jobs run --now.
foreach(backend sqlite pgsql)
  string(SUBSTRING ${backend} 0 1 first)
  string(TOUPPER ${first} first)
  string(SUBSTRING ${backend} 1 -1 rest)
  set(prefix "${first}${rest}")
  add_test(NAME system.lifecycle.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_lifecycle.py -v
            ${prefix}AutorenewLifecycle ${prefix}ExpireLifecycle ${prefix}PendingTransferLifecycle)
  set_tests_properties(system.lifecycle.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# Host objects (RFC 5732) and the host extension (regh:admin).
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPHostTest)
  else()
    set(class PgEPPHostTest)
  endif()
  add_test(NAME system.epp_host.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_host.py -v ${class})
  set_tests_properties(system.epp_host.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# Contact objects (RFC 5733) and the contact extension (regc:type, ident, mobile).
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPContactTest)
  else()
    set(class PgEPPContactTest)
  endif()
  add_test(NAME system.epp_contact.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_contact.py -v ${class})
  set_tests_properties(system.epp_contact.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# Domain objects (RFC 5731) with secDNS (RFC 5910), RGP (RFC 3915) and the
# domain extension; three daemons per class (main, pending transfers,
# no redemption period).
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPDomainTest)
  else()
    set(class PgEPPDomainTest)
  endif()
  add_test(NAME system.epp_domain.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_domain.py -v ${class})
  set_tests_properties(system.epp_domain.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# A registrar's whole business through Net::EPP::Simple (contacts, hosts, a
# domain with secDNS, update, renew, transfer with poll, delete, restore).
foreach(backend sqlite pgsql)
  add_test(NAME system.epp_business.${backend}
    COMMAND ${REG_EPP_PERL} ${CMAKE_CURRENT_LIST_DIR}/test_epp_business.pl)
  set_tests_properties(system.epp_business.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV};REG_EPP_BACKEND=${backend}"
    FIXTURES_REQUIRED pg TIMEOUT 120)
endforeach()

# Every command sample under tests/data/epp/valid/ (never 2001, 2400, 2500)
# and invalid/ (2001 with a reason) sent over EPP; responses schema-checked.
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPSamplesTest)
  else()
    set(class PgEPPSamplesTest)
  endif()
  add_test(NAME system.epp_samples.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_samples.py -v ${class})
  set_tests_properties(system.epp_samples.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 120)
endforeach()

# DESIGN §11: acknowledged writes survive SIGKILL under load.
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SqliteCrash)
  else()
    set(class PgsqlCrash)
  endif()
  add_test(NAME system.crash.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_crash.py -v ${class})
  set_tests_properties(system.crash.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# RFC 8748 fees for domains: fee:check prices (defaults, registrar overrides,
# periods, currency) and the fee agreement of create, renew, transfer and
# restore against the prepaid ledger.
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SQLiteEPPFeeTest)
  else()
    set(class PgEPPFeeTest)
  endif()
  add_test(NAME system.epp_fee.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_epp_fee.py -v ${class})
  set_tests_properties(system.epp_fee.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# Prepaid billing (R17, R23, R24): debits for every operation, 2104 with
# nothing changed, the race for the last credit, overrides and rebates,
# low-balance warnings, statements, invoices; regctl ledger verify at the
# end of each class.
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(prefix Sqlite)
  else()
    set(prefix Pg)
  endif()
  add_test(NAME system.billing.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_billing.py -v
            ${prefix}BillingTest ${prefix}InvoiceTest)
  set_tests_properties(system.billing.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()

# The outbox and the low-balance warning e-mail.
foreach(backend sqlite pgsql)
  if(backend STREQUAL "sqlite")
    set(class SqliteOutbox)
  else()
    set(class PgsqlOutbox)
  endif()
  add_test(NAME system.outbox.${backend}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_outbox.py -v ${class})
  set_tests_properties(system.outbox.${backend} PROPERTIES
    ENVIRONMENT "${REG_EPP_TEST_ENV}" FIXTURES_REQUIRED pg TIMEOUT 300)
endforeach()
