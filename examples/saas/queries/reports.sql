-- Revenue per account for the signed-in tenant.
SELECT a.email, sum(i.amount_cents) AS revenue
FROM accounts a
JOIN invoices i ON i.account_id = a.id AND i.tenant_id = a.tenant_id
WHERE a.tenant_id = $1
GROUP BY a.email;

-- Open invoices: the tenant filter is escaped by the OR.
SELECT id, amount_cents
FROM invoices
WHERE tenant_id = $1 OR status = 'open';

-- Every invoice of every tenant, unbounded.
SELECT * FROM invoices;

-- Recent events of one tenant, bounded by the partition key.
SELECT kind, count(*)
FROM events
WHERE tenant_id = $1 AND occurred_at >= now() - interval '1 day'
GROUP BY kind;

-- Events with no time filter scan every partition.
SELECT kind FROM events WHERE tenant_id = $1;
