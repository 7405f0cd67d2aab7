-- Runs against a large, busy invoices table.
ALTER TABLE invoices ADD COLUMN due_at timestamptz NOT NULL;
CREATE INDEX invoices_due_at_idx ON invoices (due_at);
ALTER TABLE invoices ADD CONSTRAINT invoices_amount_positive CHECK (amount_cents > 0);
