#include "ns.h"

#include <string.h>

static const char *const uris[EPP_SVC__COUNT] = {
    [EPP_SVC_DOMAIN] = EPP_NS_DOMAIN,
    [EPP_SVC_CONTACT] = EPP_NS_CONTACT,
    [EPP_SVC_HOST] = EPP_NS_HOST,
    [EPP_SVC_ACCOUNT] = EPP_NS_ACCOUNT,
    [EPP_SVC_SECDNS] = EPP_NS_SECDNS,
    [EPP_SVC_RGP] = EPP_NS_RGP,
    [EPP_SVC_FEE] = EPP_NS_FEE,
    [EPP_SVC_CHANGEPOLL] = EPP_NS_CHANGEPOLL,
    [EPP_SVC_REG_CONTACT] = EPP_NS_REG_CONTACT,
    [EPP_SVC_REG_DOMAIN] = EPP_NS_REG_DOMAIN,
    [EPP_SVC_REG_HOST] = EPP_NS_REG_HOST,
};

const char *const *const epp_object_uris = uris;
const size_t epp_object_uri_count = EPP_SVC_OBJECTS;
const char *const *const epp_extension_uris = uris + EPP_SVC_OBJECTS;
const size_t epp_extension_uri_count = EPP_SVC__COUNT - EPP_SVC_OBJECTS;

const char *epp_svc_uri(epp_svc s)
{
    return (unsigned)s < EPP_SVC__COUNT ? uris[s] : "";
}

epp_svc epp_svc_of(const char *uri)
{
    for (int i = 0; uri && i < EPP_SVC__COUNT; i++)
        if (!strcmp(uris[i], uri))
            return (epp_svc)i;
    return EPP_SVC_NONE;
}
