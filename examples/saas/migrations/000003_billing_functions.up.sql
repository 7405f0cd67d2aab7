-- Marks every open invoice of a tenant as paid; called by the billing worker.
CREATE FUNCTION mark_invoices_paid(p_tenant bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  n integer;
BEGIN
  UPDATE invoices SET status = 'paid' WHERE tenant_id = p_tenant AND status = 'open';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- Purges a tenant's rows from a table named by the caller.
CREATE FUNCTION purge_tenant_rows(p_table text, p_tenant bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  EXECUTE 'DELETE FROM ' || p_table || ' WHERE tenant_id = ' || p_tenant;
END
$$;
REVOKE EXECUTE ON FUNCTION purge_tenant_rows(text, bigint) FROM PUBLIC;
