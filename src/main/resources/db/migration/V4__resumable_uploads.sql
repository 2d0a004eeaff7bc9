-- Issue 7: receipt first, files committed one by one, resumable (tus) uploads.
-- A report now exists from the first POST, possibly empty: has_content hides it from recipients
-- until it holds text or a file; answers_set lets the four answers be saved once, later.
-- Every existing report keeps being visible and keeps its answers (both default to TRUE).
ALTER TABLE report ADD COLUMN has_content BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE report ADD COLUMN answers_set BOOLEAN DEFAULT TRUE NOT NULL;

-- An unfinished resumable upload. Its bytes are pieces on disk (upload_piece), each a complete
-- streaming-AEAD object under its own one-time derived key; nothing here is readable: the name is
-- ciphertext, ids are random, sizes and whole hours are the metadata files already have.
CREATE TABLE upload (
    id           VARCHAR(64) PRIMARY KEY,
    report_id    VARCHAR(32) NOT NULL REFERENCES report (id),
    file_id      VARCHAR(32) NOT NULL,
    context      VARCHAR(16) NOT NULL,
    name         BYTEA       NOT NULL,
    length       BIGINT      NOT NULL,
    committed    BIGINT      NOT NULL,
    pieces       INTEGER     NOT NULL,
    state        VARCHAR(16) NOT NULL,
    created_hour BIGINT      NOT NULL,
    expires_hour BIGINT      NOT NULL
);
CREATE INDEX upload_by_report ON upload (report_id, state);
CREATE INDEX upload_by_expiry ON upload (state, expires_hour);

CREATE TABLE upload_piece (
    upload_id   VARCHAR(64) NOT NULL REFERENCES upload (id),
    seq         INTEGER     NOT NULL,
    plain_bytes BIGINT      NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
