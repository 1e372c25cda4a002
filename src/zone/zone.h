/* The TLD zone (DESIGN §9, docs/zone.md): its settings ([zone] in
 * registryd.conf), resolved once for the zone file writer (export.h), the
 * safety guard (guard.h) and the DNS UPDATE publisher. */
#ifndef REG_ZONE_H
#define REG_ZONE_H

#include <stddef.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/status.h"
#include "registry/zone_data.h"

/* Apex name servers: more would not fit a classic referral. */
#define ZONE_NS_MAX 13
#define ZONE_PATH_MAX 4096

struct zone_settings {
    char origin[ZONE_NAME_SIZE]; /* the TLD, "dk" */
    char file[ZONE_PATH_MAX];    /* [zone] file, or [paths] var/TLD.zone */
    size_t n_ns;
    char ns[ZONE_NS_MAX][ZONE_NAME_SIZE]; /* the apex NS set, in the order given */
    char mname[ZONE_NAME_SIZE];           /* [zone] soa_mname, or the first of ns */
    char rname[320];                      /* [zone] soa_rname, or [mail] from's address */
    uint32_t ttl, refresh, retry, expire, minimum;
    int max_shrink;         /* percent; 100: no guard */
    char alert_email[320];  /* "" = no alert mail */
    char lang[8];           /* of the alert mail: [mail] language */
};

/* The settings of cfg, checked as a zone needs them (REG_ERR_CONFIG with
 * the setting's name). */
reg_err zone_settings_from_config(const struct reg_config *cfg, struct zone_settings *zs,
                                  reg_status *st);

#endif
