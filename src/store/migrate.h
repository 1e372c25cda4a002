#ifndef REG_MIGRATE_H
#define REG_MIGRATE_H

#include <stddef.h>

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration db_migrations[];
extern const size_t db_migration_count;

#endif
