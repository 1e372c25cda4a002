/* The pepper of the auth-info and one-time-password hashes
 * (contrib/secret.h) for this process: [security] pepper_file, or when it
 * is empty [paths] var/pepper, created at the first start (regctl init or
 * registryd) while the database holds no hash made with a pepper. */
#ifndef REG_PEPPER_H
#define REG_PEPPER_H

#include <stddef.h>
#include <stdint.h>
#include "config/config.h"
#include "contrib/error.h"
#include "contrib/secret.h"
#include "contrib/status.h"
#include "store/db.h"

/* Loads the pepper. Refused (REG_ERR_CONFIG, one line in err) when the
 * file is unreadable, readable by others or malformed; when a configured
 * file is missing; when the default file is missing but the database
 * holds keyed hashes (it would make a new pepper none of them verifies
 * with); and when the newest keyed hash of domains, contacts or one-time
 * passwords names a key the file does not hold (the wrong file). */
reg_err pepper_setup(db *d, const struct reg_config *cfg, char *err, size_t errlen);
/* The file it is read from. */
void pepper_path(const struct reg_config *cfg, char *out, size_t n);

/* How many stored hashes each key made (regctl pepper status): one row per
 * key id found ("s256" for the form from before the pepper), counted in
 * domain auth info, contact auth info and one-time passwords. */
#define PEPPER_USE_MAX 32
struct pepper_use {
    char key[SECRET_KEY_ID_LEN];
    int64_t domains, contacts, otps;
};
reg_err pepper_usage(db *d, struct pepper_use uses[PEPPER_USE_MAX], size_t *n, reg_status *st);

#endif
