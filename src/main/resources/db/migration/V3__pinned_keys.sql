-- Recipient public keys are pinned: a MAC under a key kept on the application host, never here.
-- NULL for rows made before pinning: such a recipient gets no report key and cannot log in until
-- an administrator pins the key deliberately ('postern user pin').
ALTER TABLE recipient ADD COLUMN public_key_pin BYTEA;
