#include "ns.h"

const char *const epp_object_uris[] = {EPP_NS_DOMAIN, EPP_NS_CONTACT, EPP_NS_HOST, EPP_NS_ACCOUNT};
const size_t epp_object_uri_count = sizeof epp_object_uris / sizeof epp_object_uris[0];

const char *const epp_extension_uris[] = {
    EPP_NS_SECDNS,      EPP_NS_RGP,         EPP_NS_FEE,        EPP_NS_CHANGEPOLL,
    EPP_NS_REG_CONTACT, EPP_NS_REG_DOMAIN, EPP_NS_REG_HOST,
};
const size_t epp_extension_uri_count = sizeof epp_extension_uris / sizeof epp_extension_uris[0];
