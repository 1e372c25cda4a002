/* What the benchmarks that fill a registry share (bench/expirybench.c,
 * bench/benchload.c): a registrant and N domains made through the
 * registry's own functions, as EPP would make them (contact_create,
 * domain_create: every rule, history row, ledger row and poll message of
 * a real create), LOAD_TX creates to a transaction. No SQL of its own. */
#ifndef REG_BENCH_LOAD_H
#define REG_BENCH_LOAD_H

#include "registry/contact.h"
#include "registry/op.h"

/* creates per transaction */
#define LOAD_TX 1000

/* A person registrant with id `id` sponsored by op->registrar_id, through
 * contact_create in its own transaction; holder gets the stored id. */
reg_err bench_load_holder(const struct reg_op *op, const char *id,
                          char holder[CONTACT_ID_MAX + 1], reg_status *st);

/* What bench_load_domains makes: domains PREFIX<k>SUFFIX for k in
 * first … first + n - 1, one year each, the registrant `holder`, sponsored
 * by op->registrar_id; the k-th is created at from + (k - first) * spread
 * / n (op->now is moved), so spread 0 makes them all at op->now. */
struct bench_load {
    const char *holder;
    const char *prefix, *suffix;
    long long first, n;
    reg_time from, spread;
};

/* Creates them through domain_create, LOAD_TX to a transaction, each
 * committed; the first failure rolls its transaction back and is
 * returned (st says which, `failed` names the domain). op->now is left at
 * the last create's time. Prints nothing. */
reg_err bench_load_domains(struct reg_op *op, const struct bench_load *l, reg_status *st,
                           char failed[64]);

#endif
