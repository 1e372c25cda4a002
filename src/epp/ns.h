/* Namespaces this server speaks (greeting objURI/extURI, RFC 5730 §2.4). */
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

extern const char *const epp_object_uris[];
extern const size_t epp_object_uri_count;
extern const char *const epp_extension_uris[];
extern const size_t epp_extension_uri_count;

#endif
