-- Registry objects (DESIGN §4): contacts (RFC 5733), hosts (RFC 5732),
-- domains (RFC 5731) with contacts, name servers and DS records, status
-- values, transfers, and the history of every object version (R40).
-- ROIDs are derived from ids: C<id>-<SUFFIX>, H<id>-…, D<id>-….

CREATE TABLE contact (
    id {{id}},
    handle TEXT NOT NULL UNIQUE,          -- R1-R3: REGISTRAR:ID, uppercase
    sponsor_id BIGINT NOT NULL REFERENCES registrar (id),
    creator_id BIGINT NOT NULL REFERENCES registrar (id),
    updater_id BIGINT REFERENCES registrar (id),
    kind TEXT CHECK (kind IN ('person', 'organization', 'role')),
    voice TEXT,
    voice_x TEXT,
    fax TEXT,
    fax_x TEXT,
    email TEXT NOT NULL,
    mobile TEXT,
    ident_type TEXT CHECK (ident_type IN ('org', 'priv', 'birthday', 'passport')),
    ident_value TEXT,
    ident_cc TEXT,
    disclose_flag INTEGER,                -- NULL: no disclose element; 0 or 1
    disclose_fields TEXT,                 -- "name.int addr.loc voice email …"
    authinfo_hash TEXT,
    idcheck_state TEXT NOT NULL DEFAULT 'none'
        CHECK (idcheck_state IN ('none', 'pending', 'verified', 'failed')),
    idcheck_deadline BIGINT,
    lang TEXT NOT NULL DEFAULT 'en',
    created_at BIGINT NOT NULL,
    updated_at BIGINT,
    transferred_at BIGINT
);
CREATE INDEX contact_sponsor ON contact (sponsor_id);

CREATE TABLE contact_postal (
    contact_id BIGINT NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('int', 'loc')),
    name TEXT NOT NULL,
    org TEXT,
    street1 TEXT,
    street2 TEXT,
    street3 TEXT,
    city TEXT NOT NULL,
    sp TEXT,
    pc TEXT,
    cc TEXT NOT NULL,
    PRIMARY KEY (contact_id, type)
);

CREATE TABLE domain (
    id {{id}},
    name TEXT NOT NULL UNIQUE,            -- A-label, lowercase
    uname TEXT NOT NULL,                  -- U-label form
    sponsor_id BIGINT NOT NULL REFERENCES registrar (id),
    creator_id BIGINT NOT NULL REFERENCES registrar (id),
    updater_id BIGINT REFERENCES registrar (id),
    registrant_id BIGINT NOT NULL REFERENCES contact (id),
    authinfo_hash TEXT,
    management TEXT NOT NULL DEFAULT 'registrar'
        CHECK (management IN ('registrar', 'registrant')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT,
    transferred_at BIGINT,
    expires_at BIGINT NOT NULL,
    delete_requested_at BIGINT,           -- RGP: start of redemptionPeriod
    purge_at BIGINT                       -- when a pendingDelete domain goes
);
CREATE INDEX domain_sponsor ON domain (sponsor_id);
CREATE INDEX domain_registrant ON domain (registrant_id);
CREATE INDEX domain_expires ON domain (expires_at);

CREATE TABLE host (
    id {{id}},
    name TEXT NOT NULL UNIQUE,            -- lowercase A-label form
    sponsor_id BIGINT NOT NULL REFERENCES registrar (id),
    creator_id BIGINT NOT NULL REFERENCES registrar (id),
    updater_id BIGINT REFERENCES registrar (id),
    superordinate_id BIGINT REFERENCES domain (id),  -- in-bailiwick hosts
    admin_contact_id BIGINT REFERENCES contact (id), -- regh:admin
    created_at BIGINT NOT NULL,
    updated_at BIGINT,
    transferred_at BIGINT
);
CREATE INDEX host_superordinate ON host (superordinate_id);

CREATE TABLE host_address (
    host_id BIGINT NOT NULL REFERENCES host (id) ON DELETE CASCADE,
    address TEXT NOT NULL,                -- canonical text form
    version INTEGER NOT NULL CHECK (version IN (4, 6)),
    PRIMARY KEY (host_id, address)
);

CREATE TABLE domain_contact (
    domain_id BIGINT NOT NULL REFERENCES domain (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contact (id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'tech', 'billing')),
    PRIMARY KEY (domain_id, role, contact_id)
);
CREATE INDEX domain_contact_contact ON domain_contact (contact_id);

CREATE TABLE domain_host (
    domain_id BIGINT NOT NULL REFERENCES domain (id) ON DELETE CASCADE,
    host_id BIGINT NOT NULL REFERENCES host (id),
    PRIMARY KEY (domain_id, host_id)
);
CREATE INDEX domain_host_host ON domain_host (host_id);

CREATE TABLE ds_record (
    domain_id BIGINT NOT NULL REFERENCES domain (id) ON DELETE CASCADE,
    key_tag INTEGER NOT NULL,
    alg INTEGER NOT NULL,
    digest_type INTEGER NOT NULL,
    digest TEXT NOT NULL,                 -- uppercase hex
    PRIMARY KEY (domain_id, key_tag, alg, digest_type, digest)
);

-- Status values (RFC 5731 §2.3, 5732 §2.3, 5733 §2.2) that are stored;
-- ok, linked and inactive are derived.
CREATE TABLE object_status (
    object_kind TEXT NOT NULL CHECK (object_kind IN ('domain', 'contact', 'host')),
    object_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    PRIMARY KEY (object_kind, object_id, status)
);

CREATE TABLE transfer (
    id {{id}},
    object_kind TEXT NOT NULL CHECK (object_kind IN ('domain', 'contact')),
    object_id BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'clientApproved', 'clientCancelled',
        'clientRejected', 'serverApproved', 'serverCancelled')),
    gaining_id BIGINT NOT NULL REFERENCES registrar (id),
    losing_id BIGINT NOT NULL REFERENCES registrar (id),
    requested_at BIGINT NOT NULL,
    action_at BIGINT NOT NULL,            -- decided, or automatic approval due
    period_years INTEGER,
    new_expires_at BIGINT
);
CREATE INDEX transfer_object ON transfer (object_kind, object_id, id);
CREATE INDEX transfer_pending ON transfer (status, action_at);

-- R40: every version of every object, with who, when, through which channel.
CREATE TABLE history (
    id {{id}},
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    object_key TEXT NOT NULL,             -- domain name, contact or host handle
    action TEXT NOT NULL,                 -- create, update, delete, transfer, renew, …
    at BIGINT NOT NULL,
    registrar_id BIGINT REFERENCES registrar (id),
    actor TEXT NOT NULL,                  -- registrar handle, staff user or job
    channel TEXT NOT NULL,                -- epp, web, regctl, job
    svtrid TEXT,
    snapshot TEXT NOT NULL                -- JSON of the object after the change
);
CREATE INDEX history_object ON history (object_kind, object_key, id);
