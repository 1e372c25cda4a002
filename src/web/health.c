/* GET /health (health.h): one round trip to the database on the HTTP
 * thread's connection, which also replaces that connection once the
 * database is back (store/db.h). Plain text, one line per item. */
#include "health.h"

void health_show(struct web_request *w)
{
    if (*w->rest) { /* the route is a prefix: /healthz is not ours */
        web_not_found(w);
        return;
    }
    bool db_ok = db_ping(w->db) == REG_OK;
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, db_ok ? "ok\n" : "database: unavailable\n");
    web_send_text(w, db_ok ? 200 : 503, &sb);
    sb_free(&sb);
}
