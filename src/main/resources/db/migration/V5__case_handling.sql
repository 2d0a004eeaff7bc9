-- Issue 8: case handling. Decision 0005 explains every column; what a database-only attacker learns:
--   plaintext: roles, display names, settings (time zone, language, clocks on/off), a report's key
--   generation count (how many revocations touched it), its coarse phase (as before), the source's
--   language, the hours of acknowledgement / feedback / closing, the random designation (words and a
--   number drawn at random: no more than the random id), who was left out of a report by its source,
--   who holds which generation's wrap (as before for report_key);
--   ciphertext: every wrap, the case snapshot, status changes (names, reason), notes, status and
--   label names, templates, the case log.
ALTER TABLE recipient ADD COLUMN role VARCHAR(16) DEFAULT 'ADMIN' NOT NULL;
ALTER TABLE recipient ALTER COLUMN role SET DEFAULT 'RECIPIENT';
ALTER TABLE recipient ADD COLUMN display_name VARCHAR(100) DEFAULT '' NOT NULL;
ALTER TABLE recipient ADD COLUMN disabled_hour BIGINT;
ALTER TABLE recipient ADD COLUMN revoke_pending BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE recipient ADD COLUMN receives_new BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE recipient ADD COLUMN time_zone VARCHAR(64) DEFAULT 'UTC' NOT NULL;
ALTER TABLE recipient ADD COLUMN locale VARCHAR(2) DEFAULT 'en' NOT NULL;
ALTER TABLE organization ADD COLUMN eu_clocks BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE organization ADD COLUMN time_zone VARCHAR(64) DEFAULT 'UTC' NOT NULL;
ALTER TABLE organization ADD COLUMN source_may_exclude BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE organization ADD COLUMN change_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE organization ADD COLUMN case_log_public_keyset BYTEA;
ALTER TABLE organization ADD COLUMN case_log_key_pin BYTEA;
ALTER TABLE report ADD COLUMN key_generation INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE report ADD COLUMN source_public_keyset BYTEA;
ALTER TABLE report ADD COLUMN source_key_pin BYTEA;
ALTER TABLE report ADD COLUMN source_wrapped_private BYTEA;
ALTER TABLE report ADD COLUMN source_key_pending BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE report ADD COLUMN source_locale VARCHAR(2) DEFAULT 'en' NOT NULL;
ALTER TABLE report ADD COLUMN ack_hour BIGINT;
ALTER TABLE report ADD COLUMN feedback_hour BIGINT;
ALTER TABLE report ADD COLUMN closed_hour BIGINT;
ALTER TABLE report ADD COLUMN change_seq BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE report ADD COLUMN designation VARCHAR(64);
CREATE UNIQUE INDEX report_designation ON report (organization_id, designation);
CREATE INDEX report_by_change ON report (organization_id, change_seq);
ALTER TABLE message ADD COLUMN key_generation INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE message ADD COLUMN acknowledgement BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE evidence_file ADD COLUMN key_generation INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE upload ADD COLUMN key_generation INTEGER DEFAULT 0 NOT NULL;

-- report_key gains a generation and a wider primary key: a new table, copied, renamed (both
-- databases spell this the same way). Every insert names its generation: there is no default.
CREATE TABLE report_key_v5 (
    report_id    VARCHAR(32) NOT NULL REFERENCES report (id),
    recipient_id VARCHAR(32) NOT NULL REFERENCES recipient (id),
    generation   INTEGER     NOT NULL,
    wrapped_key  BYTEA       NOT NULL,
    PRIMARY KEY (report_id, recipient_id, generation)
);
INSERT INTO report_key_v5 (report_id, recipient_id, generation, wrapped_key)
    SELECT report_id, recipient_id, 0, wrapped_key FROM report_key;
DROP TABLE report_key;
ALTER TABLE report_key_v5 RENAME TO report_key;
CREATE INDEX report_key_by_recipient ON report_key (recipient_id, report_id);

-- Generation g >= 1 wrapped to the source's per-report public key (generation 0 stays under the receipt).
CREATE TABLE report_source_key (
    report_id   VARCHAR(32) NOT NULL REFERENCES report (id),
    generation  INTEGER     NOT NULL,
    wrapped_key BYTEA       NOT NULL,
    PRIMARY KEY (report_id, generation)
);
-- Recipients the source left out: intake wrapped nothing to them, and no grant may add them.
CREATE TABLE report_exclusion (
    report_id    VARCHAR(32) NOT NULL REFERENCES report (id),
    recipient_id VARCHAR(32) NOT NULL REFERENCES recipient (id),
    PRIMARY KEY (report_id, recipient_id)
);
-- The organization's data key (purpose DATA) and case-log private key (purpose CASE_LOG), HPKE-wrapped per colleague.
CREATE TABLE org_key_wrap (
    organization_id VARCHAR(32) NOT NULL REFERENCES organization (id),
    purpose         VARCHAR(16) NOT NULL,
    recipient_id    VARCHAR(32) NOT NULL REFERENCES recipient (id),
    wrapped_key     BYTEA       NOT NULL,
    PRIMARY KEY (organization_id, purpose, recipient_id)
);
-- The case snapshot (owner, collaborators, labels, status), sealed under the report key of key_generation.
CREATE TABLE report_case (
    report_id      VARCHAR(32) PRIMARY KEY REFERENCES report (id),
    version        BIGINT      NOT NULL,
    key_generation INTEGER     NOT NULL,
    state          BYTEA       NOT NULL
);
CREATE TABLE status_change (
    id             VARCHAR(32) PRIMARY KEY,
    seq            BIGINT      GENERATED BY DEFAULT AS IDENTITY,
    report_id      VARCHAR(32) NOT NULL REFERENCES report (id),
    key_generation INTEGER     NOT NULL,
    body           BYTEA       NOT NULL,
    created_hour   BIGINT      NOT NULL
);
CREATE INDEX status_change_by_report ON status_change (report_id, seq);
CREATE TABLE case_note (
    id             VARCHAR(32) PRIMARY KEY,
    seq            BIGINT      GENERATED BY DEFAULT AS IDENTITY,
    report_id      VARCHAR(32) NOT NULL REFERENCES report (id),
    key_generation INTEGER     NOT NULL,
    body           BYTEA       NOT NULL,
    created_hour   BIGINT      NOT NULL
);
CREATE INDEX case_note_by_report ON case_note (report_id, seq);
-- Organization-defined statuses (a sub-status names its parent) and labels; names under the org data key.
CREATE TABLE org_status (
    id              VARCHAR(32) PRIMARY KEY,
    organization_id VARCHAR(32) NOT NULL REFERENCES organization (id),
    parent_id       VARCHAR(32),
    phase           VARCHAR(16) NOT NULL,
    position        INTEGER     NOT NULL,
    names           BYTEA       NOT NULL,
    retired         BOOLEAN     NOT NULL
);
CREATE TABLE org_label (
    id              VARCHAR(32) PRIMARY KEY,
    organization_id VARCHAR(32) NOT NULL REFERENCES organization (id),
    position        INTEGER     NOT NULL,
    name            BYTEA       NOT NULL
);
-- Message templates (kind ACK) per language, under the org data key.
CREATE TABLE org_template (
    organization_id VARCHAR(32) NOT NULL REFERENCES organization (id),
    kind            VARCHAR(16) NOT NULL,
    locale          VARCHAR(2)  NOT NULL,
    body            BYTEA       NOT NULL,
    PRIMARY KEY (organization_id, kind, locale)
);
-- Append-only: every access change, HPKE-encrypted to the organization's case-log key. Issue 9 chains it.
CREATE TABLE case_log (
    organization_id VARCHAR(32) NOT NULL REFERENCES organization (id),
    seq             BIGINT      NOT NULL,
    created_hour    BIGINT      NOT NULL,
    entry           BYTEA       NOT NULL,
    PRIMARY KEY (organization_id, seq)
);
