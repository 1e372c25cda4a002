/* The RDAP object classes (RFC 9083 §5) of the registration data, with
 * contacts as jCard (RFC 7095) and every field privacy.h withholds from
 * the viewer named in the answer's "redacted" member (RFC 9537): a name or
 * an address part is emptied (jCard requires fn), anything else removed.
 * Entities stay in the answer whatever is withheld. rdap.h. */
#include <stdio.h>
#include <string.h>

#include "contrib/strutil.h"
#include "rdap.h"

/* ---- small pieces ---------------------------------------------------------------------- */

/* Answers are built on every request: members are set directly (no
 * json_pack format to parse), keys and our own literals unchecked. */
static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new_nocheck(o, key, v);
}

static json_t *lit(const char *s)
{
    return json_string_nocheck(s);
}

/* Text from the database (checked as UTF-8 by jansson). */
static json_t *str(const char *s)
{
    return json_string(s ? s : "");
}

static json_t *one(json_t *v)
{
    json_t *a = json_array();
    json_array_append_new(a, v);
    return a;
}

static void add_event(json_t *events, const char *action, reg_time t)
{
    if (!t)
        return;
    char date[REG_TIME_STRLEN];
    json_t *e = json_object();
    set(e, "eventAction", lit(action));
    set(e, "eventDate", lit(clock_format(t, date, sizeof date)));
    json_array_append_new(events, e);
}

/* An object's life as events, in this order; a time of 0 is left out
 * (never expires, never transferred, no deletion scheduled). The time of
 * the answer is the last update of the RDAP database: answers are read
 * live. */
struct life {
    reg_time created, expires, changed, transferred, deleted;
};

static json_t *events_of(const struct rdap_answer *a, const struct life *l)
{
    json_t *events = json_array();
    add_event(events, "registration", l->created);
    add_event(events, "expiration", l->expires);
    add_event(events, "last changed", l->changed);
    add_event(events, "transfer", l->transferred);
    add_event(events, "deletion", l->deleted);
    add_event(events, "last update of RDAP database", a->now);
    return events;
}

/* RFC 8056 */
static json_t *statuses(const char *const *status, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *s = rdap_status_of_epp(status[i]);
        if (s)
            json_array_append_new(a, json_string(s));
    }
    return a;
}

static json_t *self_links(const struct rdap_site *site, const char *kind, const char *name)
{
    char url[600];
    rdap_url(site, kind, name, url, sizeof url);
    return one(rdap_link(url, "self", url, RDAP_MEDIA_TYPE));
}

static void add_port43(json_t *obj, const struct rdap_site *site)
{
    if (*site->port43)
        set(obj, "port43", json_string(site->port43));
}

/* ["name", {params}, "type", value] (RFC 7095 §3.3) */
static json_t *prop(const char *name, json_t *params, const char *type, json_t *value)
{
    json_t *p = json_array();
    json_array_append_new(p, lit(name));
    json_array_append_new(p, params ? params : json_object());
    json_array_append_new(p, lit(type));
    json_array_append_new(p, value);
    return p;
}

/* {"key": value} */
static json_t *param(const char *key, json_t *value)
{
    json_t *o = json_object();
    set(o, key, value);
    return o;
}

/* "tel:+45.12345678;ext=12" (RFC 3966) from an EPP e164 number. */
static json_t *tel(const char *number, const char *ext)
{
    char uri[128];
    str_join(uri, sizeof uri,
         (const char *[]){"tel:", number, ext && *ext ? ";ext=" : "", ext ? ext : "", NULL});
    return json_string(uri);
}

static bool has(const char *s)
{
    return s && *s;
}

/* ---- redaction (RFC 9537) ------------------------------------------------------------- */

/* The role's word in a redacted field's name; the ones IANA registered as
 * "redacted name" values are given as a type, the others described. */
static const struct {
    const char *role, *word;
    unsigned registered; /* 1u << RDDS_F_* */
} role_names[] = {
    {"registrant", "Registrant",
     1u << RDDS_F_NAME | 1u << RDDS_F_ORG | 1u << RDDS_F_STREET | 1u << RDDS_F_CITY |
         1u << RDDS_F_PC | 1u << RDDS_F_VOICE | 1u << RDDS_F_FAX | 1u << RDDS_F_EMAIL},
    {"technical", "Tech", 1u << RDDS_F_NAME | 1u << RDDS_F_VOICE | 1u << RDDS_F_EMAIL},
    {"administrative", "Admin", 0},
    {"billing", "Billing", 0},
};

static void redact(struct rdap_answer *a, const char *role, enum rdds_field f,
                   enum rdds_reason why, bool emptied, const char *path)
{
    const char *word = "Contact";
    bool registered = false;
    for (size_t i = 0; role && i < sizeof role_names / sizeof role_names[0]; i++)
        if (!strcmp(role, role_names[i].role)) {
            word = role_names[i].word;
            registered = role_names[i].registered & (1u << f);
        }
    char name[64];
    str_join(name, sizeof name, (const char *[]){word, " ", rdds_field_name(f), NULL});
    /* {"name": {type|description}, prePath|postPath, "pathLang", "method",
     * "reason": {"description"}}, set member by member (json_pack parsed
     * its format on every field withheld) */
    /* the name, path and reason are ours, in ASCII (the path is made of
     * member names and indexes, never of data): not checked as UTF-8 */
    json_t *r = json_object();
    set(r, "name", param(registered ? "type" : "description", lit(name)));
    set(r, emptied ? "postPath" : "prePath", lit(path));
    set(r, "pathLang", lit("jsonpath"));
    set(r, "method", lit(emptied ? "emptyValue" : "removal"));
    set(r, "reason", param("description", lit(rdds_reason_text(why))));
    json_array_append_new(a->redacted, r);
}

/* ---- entities -------------------------------------------------------------------------- */

/* What a contact's jCard says of one field: the value if the viewer may
 * see it, else "" and an entry in the answer's redacted list (only for a
 * value that exists: what is not there is not withheld). */
struct card {
    struct rdap_answer *a;
    const struct rdds_contact *c;
    const char *role;
    const char *vcard; /* JSONPath of the property list */
    json_t *props;
};

static bool shown(struct card *k, enum rdds_field f, const char *value, bool emptied,
                  const char *where)
{
    struct rdds_decision d = rdds_privacy(k->a->viewer, k->c, f);
    if (d.visible)
        return true;
    if (has(value)) {
        char path[512];
        str_join(path, sizeof path, (const char *[]){k->vcard, where, NULL});
        redact(k->a, k->role, f, d.reason, emptied, path);
    }
    return false;
}

static const char *jcard_kind(const char *kind)
{
    return !kind ? "individual" : !strcmp(kind, "organization") ? "org"
                              : !strcmp(kind, "role")         ? "group"
                                                              : "individual";
}

static json_t *street_of(const struct contact_postal *p)
{
    json_t *lines = json_array();
    for (int i = 0; i < CONTACT_STREETS; i++)
        if (has(p->street[i]))
            json_array_append_new(lines, json_string(p->street[i]));
    if (json_array_size(lines) == 1) {
        json_t *one = json_incref(json_array_get(lines, 0));
        json_decref(lines);
        return one;
    }
    return lines;
}

static void card_address(struct card *k, const struct contact_postal *p)
{
    bool any_street = has(p->street[0]) || has(p->street[1]) || has(p->street[2]);
    /* components: post office box, extended address, street, locality,
     * region, postal code, country (RFC 6350 §6.3.1) */
    json_t *street = shown(k, RDDS_F_STREET, any_street ? "x" : NULL, true,
                           "[?(@[0]=='adr')][3][2]")
                         ? street_of(p)
                         : json_string("");
    json_t *city = shown(k, RDDS_F_CITY, p->city, true, "[?(@[0]=='adr')][3][3]") ? str(p->city)
                                                                                 : json_string("");
    json_t *sp = shown(k, RDDS_F_SP, p->sp, true, "[?(@[0]=='adr')][3][4]") ? str(p->sp)
                                                                           : json_string("");
    json_t *pc = shown(k, RDDS_F_PC, p->pc, true, "[?(@[0]=='adr')][3][5]") ? str(p->pc)
                                                                           : json_string("");
    bool cc = shown(k, RDDS_F_CC, p->cc, true, "[?(@[0]=='adr')][3][6]") && has(p->cc);
    /* the country as its code in the value and in the cc parameter (RFC 8605) */
    json_t *value = json_array();
    json_array_append_new(value, lit(""));
    json_array_append_new(value, lit(""));
    json_array_append_new(value, street);
    json_array_append_new(value, city);
    json_array_append_new(value, sp);
    json_array_append_new(value, pc);
    json_array_append_new(value, str(cc ? p->cc : ""));
    json_array_append_new(k->props,
                          prop("adr", cc ? param("cc", str(p->cc)) : NULL, "text", value));
}

static void card_tel(struct card *k, enum rdds_field f, const char *type, const char *number,
                     const char *ext)
{
    if (!has(number))
        return;
    char where[64];
    str_join(where, sizeof where, (const char *[]){"[?(@[1].type=='", type, "')]", NULL});
    if (shown(k, f, number, false, where))
        json_array_append_new(k->props,
                              prop("tel", param("type", lit(type)), "uri", tel(number, ext)));
}

/* The jCard of a contact for viewer a->viewer (RFC 7095), the entity at
 * JSONPath `entity`. */
static json_t *contact_vcard(struct rdap_answer *a, const struct rdds_contact *c, const char *role,
                             const char *entity)
{
    char vcard[256];
    str_join(vcard, sizeof vcard, (const char *[]){entity, ".vcardArray[1]", NULL});
    struct card k = {.a = a, .c = c, .role = role, .vcard = vcard, .props = json_array()};
    int form;
    const struct contact_postal *p = rdds_contact_postal(c, &form);
    json_array_append_new(k.props, prop("version", NULL, "text", json_string("4.0")));
    const char *name = p ? p->name : NULL;
    bool name_shown = shown(&k, RDDS_F_NAME, name, true, "[?(@[0]=='fn')][3]");
    json_array_append_new(k.props, prop("fn", NULL, "text", str(name_shown ? name : "")));
    json_array_append_new(k.props, prop("kind", NULL, "text", json_string(jcard_kind(c->d.kind))));
    if (p && has(p->org) && shown(&k, RDDS_F_ORG, p->org, false, "[?(@[0]=='org')]"))
        json_array_append_new(k.props, prop("org", NULL, "text", json_string(p->org)));
    if (p)
        card_address(&k, p);
    card_tel(&k, RDDS_F_VOICE, "voice", c->d.voice, c->d.voice_x);
    card_tel(&k, RDDS_F_FAX, "fax", c->d.fax, c->d.fax_x);
    card_tel(&k, RDDS_F_MOBILE, "cell", c->d.mobile, NULL);
    if (has(c->d.email) && shown(&k, RDDS_F_EMAIL, c->d.email, false, "[?(@[0]=='email')]"))
        json_array_append_new(k.props, prop("email", NULL, "text", json_string(c->d.email)));
    json_t *card = one(lit("vcard"));
    json_array_append_new(card, k.props);
    return card;
}

/* A contact as an entity; `role` is its RFC 9083 role in a domain (NULL
 * for a lookup of the contact itself). */
static json_t *contact_entity(struct rdap_answer *a, const struct rdds_contact *c, const char *role,
                              const char *path)
{
    json_t *e = json_object();
    set(e, "objectClassName", lit("entity"));
    set(e, "handle", str(c->handle));
    if (role)
        set(e, "roles", one(lit(role)));
    set(e, "vcardArray", contact_vcard(a, c, role, path));
    set(e, "links", self_links(a->site, "entity", c->handle));
    return e;
}

json_t *rdap_contact_json(struct rdap_answer *a, const struct rdds_contact *c, const char *path)
{
    json_t *e = contact_entity(a, c, NULL, path);
    set(e, "status", statuses(c->status, c->nstatus));
    set(e, "events",
        events_of(a, &(struct life){.created = c->created, .changed = c->changed,
                                    .transferred = c->transferred}));
    add_port43(e, a->site);
    return e;
}

static json_t *registrar_vcard(const struct rdds_registrar *r)
{
    json_t *props = json_array();
    json_array_append_new(props, prop("version", NULL, "text", json_string("4.0")));
    json_array_append_new(props, prop("fn", NULL, "text", str(has(r->name) ? r->name : r->handle)));
    json_array_append_new(props, prop("kind", NULL, "text", json_string("org")));
    if (has(r->url))
        json_array_append_new(props, prop("url", NULL, "uri", json_string(r->url)));
    if (has(r->phone))
        json_array_append_new(props,
                              prop("tel", param("type", lit("voice")), "uri", tel(r->phone, NULL)));
    if (has(r->email))
        json_array_append_new(props, prop("email", NULL, "text", json_string(r->email)));
    json_t *card = one(lit("vcard"));
    json_array_append_new(card, props);
    return card;
}

/* The sponsoring registrar as an entity of a domain or a name server: its
 * published data, all public. */
static json_t *registrar_entity(struct rdap_answer *a, const struct rdds_registrar *r)
{
    json_t *e = json_object();
    set(e, "objectClassName", lit("entity"));
    set(e, "handle", str(r->handle));
    set(e, "roles", one(lit("registrar")));
    set(e, "vcardArray", registrar_vcard(r));
    set(e, "links", self_links(a->site, "entity", r->handle));
    if (has(r->url)) {
        char self[600];
        rdap_url(a->site, "entity", r->handle, self, sizeof self);
        json_array_append_new(json_object_get(e, "links"),
                              rdap_link(self, "related", r->url, "text/html"));
    }
    return e;
}

json_t *rdap_registrar_json(struct rdap_answer *a, const struct rdds_registrar *r,
                            const char *path)
{
    (void)path; /* nothing of a registrar is withheld */
    json_t *e = registrar_entity(a, r);
    set(e, "status", one(lit(r->disabled ? "inactive" : "active")));
    set(e, "events", events_of(a, &(struct life){.created = r->created, .changed = r->changed}));
    add_port43(e, a->site);
    return e;
}

/* ---- name servers ----------------------------------------------------------------------- */

static json_t *ip_addresses(const struct rdds_addr *addrs, size_t n)
{
    json_t *v4 = json_array(), *v6 = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(addrs[i].version == 6 ? v6 : v4, str(addrs[i].addr));
    json_t *ip = json_object();
    set(ip, "v4", v4);
    set(ip, "v6", v6);
    return ip;
}

static json_t *nameserver(const struct rdap_site *site, const char *name, const char *uname,
                          const struct rdds_addr *addrs, size_t naddrs)
{
    json_t *ns = json_object();
    set(ns, "objectClassName", lit("nameserver"));
    set(ns, "ldhName", str(name));
    if (has(uname) && strcmp(uname, name))
        set(ns, "unicodeName", json_string(uname));
    if (naddrs)
        set(ns, "ipAddresses", ip_addresses(addrs, naddrs));
    set(ns, "links", self_links(site, "nameserver", name));
    return ns;
}

json_t *rdap_nameserver_json(struct rdap_answer *a, const struct rdds_host *h, const char *path)
{
    (void)path; /* nothing of a host is withheld */
    json_t *ns = nameserver(a->site, h->name, h->uname, h->addrs, h->naddrs);
    set(ns, "handle", str(h->roid));
    set(ns, "status", statuses(h->status, h->nstatus));
    set(ns, "events",
        events_of(a, &(struct life){.created = h->created, .changed = h->changed,
                                    .transferred = h->transferred}));
    json_t *sponsor = json_object();
    set(sponsor, "objectClassName", lit("entity"));
    set(sponsor, "handle", str(h->sponsor));
    set(sponsor, "roles", one(lit("registrar")));
    set(sponsor, "links", self_links(a->site, "entity", h->sponsor));
    set(ns, "entities", one(sponsor));
    if (has(h->superordinate)) {
        char self[600], parent[600];
        rdap_url(a->site, "nameserver", h->name, self, sizeof self);
        rdap_url(a->site, "domain", h->superordinate, parent, sizeof parent);
        json_array_append_new(json_object_get(ns, "links"),
                              rdap_link(self, "related", parent, RDAP_MEDIA_TYPE));
    }
    add_port43(ns, a->site);
    return ns;
}

/* ---- domains --------------------------------------------------------------------------- */

/* RFC 9083 §10.2.4 */
static const char *rdap_role(const char *epp_role)
{
    return !strcmp(epp_role, "admin") ? "administrative"
           : !strcmp(epp_role, "tech") ? "technical"
                                       : "billing";
}

/* R21/R22: the registrant's identity check, where it is not verified. */
static void idcheck_remark(json_t *dom, const struct rdds_domain *d)
{
    const char *state = d->idcheck_state;
    if (!has(state) || !strcmp(state, "none") || !strcmp(state, "verified"))
        return;
    char line[160], date[REG_TIME_STRLEN];
    if (!strcmp(state, "pending") && d->idcheck_deadline)
        snprintf(line, sizeof line, "The registrant's identity check is pending, due by %s.",
                 clock_format(d->idcheck_deadline, date, sizeof date));
    else if (!strcmp(state, "failed"))
        snprintf(line, sizeof line, "The registrant's identity check failed; the domain is "
                                    "suspended.");
    else
        snprintf(line, sizeof line, "The registrant's identity check is %s.", state);
    json_t *remark = json_object();
    set(remark, "title", lit("Registrant Identity Check"));
    set(remark, "description", one(str(line)));
    set(dom, "remarks", one(remark));
}

static json_t *secure_dns(const struct rdds_domain *d)
{
    json_t *sec = param("delegationSigned", json_boolean(d->nds > 0));
    if (!d->nds)
        return sec;
    json_t *dss = json_array();
    for (size_t i = 0; i < d->nds; i++) {
        json_t *ds = json_object();
        set(ds, "keyTag", json_integer(d->ds[i].key_tag));
        set(ds, "algorithm", json_integer(d->ds[i].alg));
        set(ds, "digest", str(d->ds[i].digest));
        set(ds, "digestType", json_integer(d->ds[i].digest_type));
        json_array_append_new(dss, ds);
    }
    set(sec, "dsData", dss);
    return sec;
}

json_t *rdap_domain_json(struct rdap_answer *a, const struct rdds_domain *d, const char *path)
{
    json_t *dom = json_object();
    set(dom, "objectClassName", lit("domain"));
    set(dom, "handle", str(d->roid));
    set(dom, "ldhName", str(d->alabel));
    if (d->idn)
        set(dom, "unicodeName", str(d->ulabel));
    set(dom, "status", statuses(d->status, d->nstatus));
    /* R22: the deletion of a domain suspended for a failed identity check */
    set(dom, "events",
        events_of(a, &(struct life){.created = d->created, .expires = d->expires,
                                    .changed = d->changed, .transferred = d->transferred,
                                    .deleted = d->idcheck_delete_at}));

    json_t *entities = json_array();
    char at[256];
    json_array_append_new(entities, registrar_entity(a, &d->sponsor));
    snprintf(at, sizeof at, "%s.entities[%zu]", path, json_array_size(entities));
    json_array_append_new(entities, contact_entity(a, &d->registrant, "registrant", at));
    for (size_t i = 0; i < d->ncontacts; i++) {
        snprintf(at, sizeof at, "%s.entities[%zu]", path, json_array_size(entities));
        json_array_append_new(entities, contact_entity(a, &d->contacts[i].c,
                                                       rdap_role(d->contacts[i].role), at));
    }
    set(dom, "entities", entities);

    json_t *nss = json_array();
    for (size_t i = 0; i < d->nns; i++)
        json_array_append_new(nss, nameserver(a->site, d->ns[i].name, d->ns[i].uname,
                                              d->ns[i].addrs, d->ns[i].naddrs));
    set(dom, "nameservers", nss);
    set(dom, "secureDNS", secure_dns(d));
    idcheck_remark(dom, d);
    json_t *links = self_links(a->site, "domain", d->alabel);
    if (has(d->sponsor.url)) {
        char self[600];
        rdap_url(a->site, "domain", d->alabel, self, sizeof self);
        json_array_append_new(links, rdap_link(self, "related", d->sponsor.url, "text/html"));
    }
    set(dom, "links", links);
    add_port43(dom, a->site);
    return dom;
}

/* ---- answers ----------------------------------------------------------------------------- */

/* rdapConformance first, the notices, the object's members, redacted. */
static json_t *answer(struct rdap_answer *a, const char *self)
{
    bool redacted = json_array_size(a->redacted) > 0;
    json_t *top = json_object(), *conformance = one(lit("rdap_level_0"));
    if (redacted)
        json_array_append_new(conformance, lit("redacted"));
    set(top, "rdapConformance", conformance);
    set(top, "notices", rdap_notices(a->site, self));
    return top;
}

static json_t *finish(struct rdap_answer *a, json_t *top)
{
    if (top && json_array_size(a->redacted))
        json_object_set(top, "redacted", a->redacted);
    return top;
}

json_t *rdap_lookup_answer(struct rdap_answer *a, json_t *obj, const char *self)
{
    json_t *top = obj ? answer(a, self) : NULL;
    if (!top || json_object_update(top, obj)) {
        json_decref(top);
        json_decref(obj);
        return NULL;
    }
    json_decref(obj);
    return finish(a, top);
}

json_t *rdap_search_answer(struct rdap_answer *a, const char *member, json_t *results,
                           bool truncated, const char *self)
{
    json_t *top = results ? answer(a, self) : NULL;
    if (!top) {
        json_decref(results);
        return NULL;
    }
    if (truncated) {
        char line[160];
        snprintf(line, sizeof line, "At most %lld objects are returned; narrow the pattern to "
                                    "see the others.",
                 (long long)a->site->max_results);
        json_array_append_new(json_object_get(top, "notices"),
                              json_pack("{s:s, s:s, s:[s]}", "title", "Search Policy", "type",
                                        "result set truncated due to excessive load",
                                        "description", line));
    }
    set(top, member, results);
    return finish(a, top);
}
