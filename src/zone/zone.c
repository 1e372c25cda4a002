/* The zone's settings (zone.h). */
#include "zone.h"

#include <stdio.h>
#include <string.h>

#include "contrib/mailaddr.h"
#include "contrib/strutil.h"

/* name without its trailing dot into out. */
static void bare_name(char out[ZONE_NAME_SIZE], const char *name, size_t n)
{
    if (n && name[n - 1] == '.')
        n--;
    if (n >= ZONE_NAME_SIZE)
        n = ZONE_NAME_SIZE - 1;
    memcpy(out, name, n);
    out[n] = '\0';
}

reg_err zone_settings_from_config(const struct reg_config *cfg, struct zone_settings *zs,
                                  reg_status *st)
{
    memset(zs, 0, sizeof *zs);
    str_copy(zs->origin, sizeof zs->origin, cfg->tld_name);
    int n = *cfg->zone_file ? snprintf(zs->file, sizeof zs->file, "%s", cfg->zone_file)
                            : snprintf(zs->file, sizeof zs->file, "%s/%s.zone", cfg->var_dir,
                                       cfg->tld_name);
    if (n < 0 || (size_t)n >= sizeof zs->file)
        return reg_fail(st, REG_ERR_CONFIG, "zone.file: the path is too long");
    for (const char *p = cfg->zone_ns; *p;) {
        p += strspn(p, ", \t");
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        if (zs->n_ns == ZONE_NS_MAX)
            return reg_fail(st, REG_ERR_CONFIG, "zone.ns: more than %d name servers",
                            ZONE_NS_MAX);
        bare_name(zs->ns[zs->n_ns++], p, len);
        p += len;
    }
    if (!zs->n_ns)
        return reg_fail(st, REG_ERR_CONFIG, "zone.ns: no name server");
    const char *mname = *cfg->zone_soa_mname ? cfg->zone_soa_mname : zs->ns[0];
    bare_name(zs->mname, mname, strlen(mname));
    const char *rname = *cfg->zone_soa_rname ? cfg->zone_soa_rname : cfg->mail_from;
    if (!mail_addr_spec(rname, zs->rname, sizeof zs->rname))
        return reg_fail(st, REG_ERR_CONFIG, "zone.soa_rname: \"%s\" is not a mail address",
                        rname);
    /* the settings table bounds them to 0..2^31 - 1 */
    zs->ttl = (uint32_t)cfg->zone_ttl;
    zs->refresh = (uint32_t)cfg->zone_soa_refresh;
    zs->retry = (uint32_t)cfg->zone_soa_retry;
    zs->expire = (uint32_t)cfg->zone_soa_expire;
    zs->minimum = (uint32_t)cfg->zone_soa_minimum;
    zs->max_shrink = (int)cfg->zone_max_shrink;
    if (*cfg->zone_alert_email &&
        !mail_addr_spec(cfg->zone_alert_email, zs->alert_email, sizeof zs->alert_email))
        return reg_fail(st, REG_ERR_CONFIG, "zone.alert_email: \"%s\" is not a mail address",
                        cfg->zone_alert_email);
    str_copy(zs->lang, sizeof zs->lang, cfg->mail_language);
    return REG_OK;
}
