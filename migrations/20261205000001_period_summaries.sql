-- The public summary of each published plan in a closed period: only what the plan already
-- publishes (counts, completed and delayed actions in its own public words, revised
-- timescales and their reasons), written when the period closes, alongside its snapshot.
-- Anyone reads it while the plan is published; nobody changes it (the snapshots' rule).
create table period_summaries (
    id           uuid primary key default gen_random_uuid(),
    snapshot_id  uuid not null references period_snapshots (id),
    committee_id uuid not null references committees (id),
    plan_id      uuid not null references plans (id),
    data         jsonb not null,
    created_at   timestamptz not null default now(),
    unique (snapshot_id, plan_id)
);
create index period_summaries_plan_idx on period_summaries (plan_id, created_at);

create trigger refuse_change before update or delete on period_summaries
    for each row execute function app.refuse_snapshot_change();
create trigger refuse_truncate before truncate on period_summaries
    for each statement execute function app.refuse_snapshot_change();

grant select, insert on period_summaries to fv_app;

alter table period_summaries enable row level security;
alter table period_summaries force row level security;
create policy period_summaries_read on period_summaries for select
    using (exists (select 1 from plans p where p.id = plan_id and p.status = 'published'));
create policy period_summaries_insert on period_summaries for insert
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                and exists (select 1 from period_snapshots s where s.id = snapshot_id and s.committee_id = period_summaries.committee_id));

-- A public event, so every instance drops its cached copy of the plan's summary page.
create function live.summaries_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into live.change_events (kind, object_id, committees, public, plan_ids, public_plan_ids)
    select 'period', s.period_id, array[n.committee_id], true, array_agg(n.plan_id order by n.plan_id),
           array_agg(n.plan_id order by n.plan_id)
      from new_rows n join period_snapshots s on s.id = n.snapshot_id
     group by s.period_id, n.committee_id
     order by s.period_id;
    perform live.announce();
    return null;
end $$;
create trigger zz_live_insert after insert on period_summaries
    referencing new table as new_rows for each statement execute function live.summaries_changed();
