-- Issue 7: a resumable upload that arrived in several pieces is re-encrypted into a fresh file id
-- when it completes (piece 0 was written under the upload's first file id and must never stand in
-- for the whole file). The fresh id is recorded before the copy starts, so finishing that a crash
-- interrupted can tell whether the evidence row was already written.
ALTER TABLE upload ADD COLUMN final_file_id VARCHAR(32);
