-- Retention. The server's sweeper removes, platform-wide, import uploads nobody confirmed
-- within the operator's retention (FV_RETAIN_UPLOADS_HOURS, at most the 24 hours an upload
-- can be confirmed in). Row-level security keeps each upload to its uploader, so the sweep is
-- a function owned by the schema owner; it deletes by age only and returns how many it
-- removed, never what.
create function app.sweep_uploads(p_hours integer) returns bigint
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    plans bigint;
    risks bigint;
begin
    delete from plan_imports where created_at < now() - make_interval(hours => greatest(p_hours, 1));
    get diagnostics plans = row_count;
    delete from risk_imports where created_at < now() - make_interval(hours => greatest(p_hours, 1));
    get diagnostics risks = row_count;
    return plans + risks;
end $$;
revoke execute on function app.sweep_uploads(integer) from public;
grant execute on function app.sweep_uploads(integer) to fv_app;
