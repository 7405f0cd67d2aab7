-- Close stale invoices for one tenant.
UPDATE invoices SET status = 'void'
WHERE tenant_id = $1 AND status = 'open' AND issued_at < now() - interval '1 year';

-- Oops: no WHERE.
DELETE FROM invoices;
