-- Working the plan together: versions on every editable row (optimistic concurrency), a fuller
-- history of each update, review snapshots to compare against, and the RLS changes that let
-- committees see and adopt their subgroups' shared actions and let a subgroup ask every
-- participating committee to ratify a protocol version.

-- Every edit names the version it started from; a stale one is refused, never merged silently.
alter table priorities add column version integer not null default 1 check (version > 0);
alter table outcomes add column version integer not null default 1 check (version > 0);
alter table objectives add column version integer not null default 1 check (version > 0);
alter table plan_actions add column version integer not null default 1 check (version > 0);
alter table protocols add column version integer not null default 1 check (version > 0);
alter table protocols add column owner_name text not null default '';
alter table protocol_ratifications add column version integer not null default 1 check (version > 0);

-- The history shows what each update changed, and which version of the action it produced, so
-- a refused stale edit can list exactly what happened since the editor opened the form.
alter table status_updates add column from_evidence text not null default '';
alter table status_updates add column to_evidence text not null default '';
alter table status_updates add column action_version integer;
create index status_updates_action_version_idx on status_updates (action_id, action_version);

-- A review keeps the plan as it stood, so the plan can later be compared with it.
alter table plan_reviews add column snapshot jsonb not null default '[]'::jsonb;

-- Subgroups in which one of the acting person's committees takes part.
create function app.participating_subgroups() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(distinct sc.subgroup_id), '{}')
          from subgroup_committees sc
         where sc.committee_id = any (app.committees())
    );
end $$;
grant execute on function app.participating_subgroups() to fv_app;

-- A committee's members see the shared actions of the subgroups their committee takes part in,
-- so its lead officers can adopt them before any plan holds them.
drop policy actions_read on actions;
create policy actions_read on actions for select using (
    owner_committee_id = any ((select app.committees())::uuid[])
    or owner_subgroup_id = any ((select app.subgroups())::uuid[])
    or owner_subgroup_id = any ((select app.participating_subgroups())::uuid[])
    or exists (select 1 from plan_actions pa
                where pa.action_id = actions.id and pa.plan_id = any ((select app.readable_plans())::uuid[]))
);

-- The owning subgroup asks each participating committee to ratify a new version: it may add
-- pending rows only; the decision stays with the committee's lead officers.
create policy protocol_ratifications_request on protocol_ratifications for insert
    with check (
        state = 'pending'
        and protocol_version_id in (
            select v.id from protocol_versions v join protocols p on p.id = v.protocol_id
             where p.owner_subgroup_id = any ((select app.subgroups())::uuid[]))
        and committee_id in (
            select sc.committee_id from subgroup_committees sc join protocols p on p.owner_subgroup_id = sc.subgroup_id
              join protocol_versions v on v.protocol_id = p.id
             where v.id = protocol_ratifications.protocol_version_id)
    );
