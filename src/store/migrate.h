#ifndef REG_MIGRATE_H
#define REG_MIGRATE_H

#include "contrib/embedded.h"

/* src/store/sql/NNNN_name.sql, in version order */
extern const struct embedded_file db_migration_files[];
extern const size_t db_migration_files_count;

/* The file name of migration `version` ("0001_registrar.sql"), NULL when
 * this program has none of that number: a database's schema_version rows
 * name these, which tells a registryd database from any other. */
const char *db_migration_name(int version);

#endif
