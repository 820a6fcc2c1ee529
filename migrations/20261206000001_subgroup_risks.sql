-- A regional subgroup keeps a risk register too. A risk, its assessments and its mitigating
-- actions belong to exactly one holder: a committee (as before) or a subgroup.
--
-- Who may do what with a subgroup's register (as `app/src/server/authz.rs` says it, enforced
-- again here): its members and chair read it, and so do the lead officers of the committees
-- taking part in the subgroup; its chair adds, re-words, assesses and closes risks and links the
-- subgroup's shared actions as mitigations. Never public, never in a committee's snapshot.

alter table risks alter column committee_id drop not null;
alter table risks add column subgroup_id uuid references subgroups (id) on delete cascade;
alter table risks add constraint risks_one_holder check ((committee_id is null) <> (subgroup_id is null));
alter table risks add constraint risks_subgroup_reference_key unique (subgroup_id, reference);
alter table risks add constraint risks_id_subgroup_key unique (id, subgroup_id);
create index risks_subgroup_idx on risks (subgroup_id) where subgroup_id is not null;

alter table risk_assessments alter column committee_id drop not null;
alter table risk_assessments add column subgroup_id uuid;
alter table risk_assessments add constraint risk_assessments_one_holder
    check ((committee_id is null) <> (subgroup_id is null));
alter table risk_assessments add constraint risk_assessments_subgroup_fkey
    foreign key (risk_id, subgroup_id) references risks (id, subgroup_id) on delete cascade;

alter table risk_actions alter column committee_id drop not null;
alter table risk_actions add column subgroup_id uuid;
alter table risk_actions add constraint risk_actions_one_holder
    check ((committee_id is null) <> (subgroup_id is null));
alter table risk_actions add constraint risk_actions_subgroup_fkey
    foreign key (risk_id, subgroup_id) references risks (id, subgroup_id) on delete cascade;

-- Subgroups in which a committee the acting person leads takes part (a regional one's
-- participants, a local one's committee): their registers are read by those lead officers.
create function app.subgroups_of_led_committees() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
    led uuid[] := app.committees('lead_officer');
begin
    return (
        select coalesce(array_agg(distinct id), '{}')
          from (select sc.subgroup_id as id from subgroup_committees sc where sc.committee_id = any (led)
                union
                select s.id from subgroups s where s.committee_id = any (led)) x
    );
end $$;
grant execute on function app.subgroups_of_led_committees() to fv_app;

-- Wording, owner, target and closure: a committee's lead officers, a subgroup's chair.
create or replace function app.guard_risk_update() returns trigger
language plpgsql as $$
begin
    if (new.reference, new.title, new.description, new.cause, new.consequence, new.owner, new.controls,
        new.target_score, new.review_on, new.closed_at, new.closed_reason)
       is distinct from
       (old.reference, old.title, old.description, old.cause, old.consequence, old.owner, old.controls,
        old.target_score, old.review_on, old.closed_at, old.closed_reason)
       and not (coalesce(old.committee_id = any (app.committees('lead_officer')), false)
                or coalesce(old.subgroup_id = any (app.subgroups('chair')), false))
       and current_user <> (select tableowner from pg_tables where schemaname = 'public' and tablename = 'risks') then
        raise exception 'only the register''s lead officers or chair change a risk''s wording'
            using errcode = '42501';
    end if;
    return new;
end $$;

drop policy risks_read on risks;
drop policy risks_insert on risks;
drop policy risks_update on risks;
create policy risks_read on risks for select using (
    committee_id = any ((select app.committees())::uuid[])
    or subgroup_id = any ((select app.subgroups())::uuid[])
    or subgroup_id = any ((select app.subgroups_of_led_committees())::uuid[]));
create policy risks_insert on risks for insert with check (
    committee_id = any ((select app.committees('lead_officer'))::uuid[])
    or subgroup_id = any ((select app.subgroups('chair'))::uuid[]));
create policy risks_update on risks for update
    using (committee_id = any ((select app.committees('contributor'))::uuid[])
           or subgroup_id = any ((select app.subgroups('chair'))::uuid[]))
    with check (committee_id = any ((select app.committees('contributor'))::uuid[])
                or subgroup_id = any ((select app.subgroups('chair'))::uuid[]));

drop policy risk_assessments_read on risk_assessments;
drop policy risk_assessments_insert on risk_assessments;
create policy risk_assessments_read on risk_assessments for select using (
    committee_id = any ((select app.committees())::uuid[])
    or subgroup_id = any ((select app.subgroups())::uuid[])
    or subgroup_id = any ((select app.subgroups_of_led_committees())::uuid[]));
create policy risk_assessments_insert on risk_assessments for insert with check (
    (committee_id = any ((select app.committees('contributor'))::uuid[])
     or subgroup_id = any ((select app.subgroups('chair'))::uuid[]))
    and person_id is not distinct from (select app.person()));

drop policy risk_actions_read on risk_actions;
drop policy risk_actions_write on risk_actions;
create policy risk_actions_read on risk_actions for select using (
    committee_id = any ((select app.committees())::uuid[])
    or subgroup_id = any ((select app.subgroups())::uuid[])
    or subgroup_id = any ((select app.subgroups_of_led_committees())::uuid[]));
-- A committee's risk is mitigated by an action placed in one of its plans; a subgroup's by one
-- of its own shared actions.
create policy risk_actions_write on risk_actions for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[])
           or subgroup_id = any ((select app.subgroups('chair'))::uuid[]))
    with check (
        (committee_id = any ((select app.committees('lead_officer'))::uuid[])
         and exists (select 1 from plan_actions pa
                      where pa.committee_id = risk_actions.committee_id and pa.action_id = risk_actions.action_id
                        and pa.retired_at is null))
        or (subgroup_id = any ((select app.subgroups('chair'))::uuid[])
            and exists (select 1 from actions a
                         where a.id = risk_actions.action_id and a.owner_subgroup_id = risk_actions.subgroup_id)));

-- Live events name the holder: the committee's members, or the subgroup's.
create or replace function live.risks_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    ids uuid[];
begin
    if tg_table_name = 'risks' then
        ids := array(select id from new_rows);
    elsif tg_op = 'DELETE' then
        ids := array(select distinct risk_id from old_rows);
    else
        ids := array(select distinct risk_id from new_rows);
    end if;
    insert into live.change_events (kind, object_id, version, committees, subgroups)
    select 'risk', r.id, r.version,
           case when r.committee_id is null then '{}'::uuid[] else array[r.committee_id] end,
           case when r.subgroup_id is null then '{}'::uuid[] else array[r.subgroup_id] end
      from risks r where r.id = any (ids)
     order by r.id;
    perform live.announce();
    return null;
end $$;
