#ifndef REG_MIGRATE_H
#define REG_MIGRATE_H

#include "contrib/embedded.h"

/* src/store/sql/NNNN_name.sql, in version order */
extern const struct embedded_file db_migration_files[];
extern const size_t db_migration_files_count;

#endif
