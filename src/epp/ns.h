/* Namespaces this server speaks (greeting objURI/extURI, RFC 5730 §2.4),
 * as one table of services: the login's <svcs> (RFC 5730 §2.9.1.1) and
 * what a command or a response uses are sets of them (epp_svcs). */
#ifndef REG_EPP_NS_H
#define REG_EPP_NS_H

#include <stddef.h>

#define EPP_NS "urn:ietf:params:xml:ns:epp-1.0"
#define EPP_NS_DOMAIN "urn:ietf:params:xml:ns:domain-1.0"
#define EPP_NS_CONTACT "urn:ietf:params:xml:ns:contact-1.0"
#define EPP_NS_HOST "urn:ietf:params:xml:ns:host-1.0"
#define EPP_NS_SECDNS "urn:ietf:params:xml:ns:secDNS-1.1"
#define EPP_NS_RGP "urn:ietf:params:xml:ns:rgp-1.0"
#define EPP_NS_FEE "urn:ietf:params:xml:ns:epp:fee-1.0"
#define EPP_NS_CHANGEPOLL "urn:ietf:params:xml:ns:changePoll-1.0"
#define EPP_NS_REG_CONTACT "https://registryd.org/epp/contact-ext-1.0"
#define EPP_NS_REG_DOMAIN "https://registryd.org/epp/domain-ext-1.0"
#define EPP_NS_REG_HOST "https://registryd.org/epp/host-ext-1.0"
#define EPP_NS_ACCOUNT "https://registryd.org/epp/account-1.0"

/* Objects first, then extensions (the greeting lists them in this order). */
typedef enum {
    EPP_SVC_DOMAIN,
    EPP_SVC_CONTACT,
    EPP_SVC_HOST,
    EPP_SVC_ACCOUNT,
    EPP_SVC_SECDNS,
    EPP_SVC_RGP,
    EPP_SVC_FEE,
    EPP_SVC_CHANGEPOLL,
    EPP_SVC_REG_CONTACT,
    EPP_SVC_REG_DOMAIN,
    EPP_SVC_REG_HOST,
    EPP_SVC__COUNT,
    EPP_SVC_NONE = -1
} epp_svc;
#define EPP_SVC_OBJECTS 4 /* services [0, 4) are objects */

/* A set of services, one bit each. */
typedef unsigned epp_svcs;
#define EPP_SVCS_ALL ((epp_svcs)((1u << EPP_SVC__COUNT) - 1))
#define EPP_SVC_BIT(s) ((epp_svcs)(1u << (unsigned)(s)))

/* The namespace URI of a service; the service of a URI, or EPP_SVC_NONE. */
const char *epp_svc_uri(epp_svc s);
epp_svc epp_svc_of(const char *uri);

/* The object URIs and the extension URIs, in that order (views of the table). */
extern const char *const *const epp_object_uris;
extern const size_t epp_object_uri_count;
extern const char *const *const epp_extension_uris;
extern const size_t epp_extension_uri_count;

#endif
