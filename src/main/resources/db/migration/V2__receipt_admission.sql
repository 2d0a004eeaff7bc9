-- Receipt admission (issue 6, items 4 and 17).
-- receipt_tag: first 4 bytes of HMAC-SHA256(instance tag key, receipt digits), hex. A typed receipt
-- whose tag matches no report is refused for the price of one HMAC, before any Argon2id or budget.
-- NULL for reports made before this migration; set on their next successful open.
-- receipt_kdf_*: the Argon2id cost the report's receipt was stretched with, so raising the default
-- later never breaks an old receipt. Reports made before this migration used 64 MiB, 3 passes, 1 lane.

ALTER TABLE report ADD COLUMN receipt_tag VARCHAR(8);
ALTER TABLE report ADD COLUMN receipt_kdf_memory_kib INTEGER DEFAULT 65536 NOT NULL;
ALTER TABLE report ADD COLUMN receipt_kdf_iterations INTEGER DEFAULT 3 NOT NULL;
ALTER TABLE report ADD COLUMN receipt_kdf_parallelism INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE report ALTER COLUMN receipt_kdf_memory_kib DROP DEFAULT;
ALTER TABLE report ALTER COLUMN receipt_kdf_iterations DROP DEFAULT;
ALTER TABLE report ALTER COLUMN receipt_kdf_parallelism DROP DEFAULT;
CREATE INDEX report_by_receipt_tag ON report (receipt_tag);
