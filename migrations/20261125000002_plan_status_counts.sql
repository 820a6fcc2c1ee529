-- Status counts per plan, kept current by the database itself. The overview shows counts for
-- every plan of the region; counting them from plan_actions ⋈ actions on each render costs a
-- join over every action (≈60 ms at 100 committees × 300 actions, against a 50 ms budget for
-- the whole page). Statement-level triggers recompute only the plans a statement touched, in
-- the same transaction, so the counts can never disagree with the rows.

create table plan_status_counts (
    plan_id           uuid primary key references plans (id) on delete cascade,
    on_target         integer not null default 0 check (on_target >= 0),
    delayed           integer not null default 0 check (delayed >= 0),
    revision_required integer not null default 0 check (revision_required >= 0),
    complete          integer not null default 0 check (complete >= 0),
    not_assessed      integer not null default 0 check (not_assessed >= 0)
);

create function refresh_plan_status_counts(plan_ids uuid[]) returns void
language sql as $$
    insert into plan_status_counts (plan_id, on_target, delayed, revision_required, complete, not_assessed)
    select p.id,
           count(pa.id) filter (where a.status = 'G'),
           count(pa.id) filter (where a.status = 'A'),
           count(pa.id) filter (where a.status = 'R'),
           count(pa.id) filter (where a.status = 'P'),
           count(pa.id) filter (where pa.id is not null and a.status is null)
      from plans p
      left join plan_actions pa on pa.plan_id = p.id and pa.retired_at is null
      left join actions a on a.id = pa.action_id
     where p.id = any (plan_ids)
     group by p.id
    on conflict (plan_id) do update
       set on_target = excluded.on_target,
           delayed = excluded.delayed,
           revision_required = excluded.revision_required,
           complete = excluded.complete,
           not_assessed = excluded.not_assessed;
$$;

create function plan_actions_inserted() returns trigger language plpgsql as $$
begin
    perform refresh_plan_status_counts(array(select distinct plan_id from new_rows));
    return null;
end $$;

create function plan_actions_updated() returns trigger language plpgsql as $$
begin
    perform refresh_plan_status_counts(array(select plan_id from new_rows union select plan_id from old_rows));
    return null;
end $$;

create function plan_actions_deleted() returns trigger language plpgsql as $$
begin
    perform refresh_plan_status_counts(array(select distinct plan_id from old_rows));
    return null;
end $$;

-- A shared action's status counts in every plan that adopts it.
create function actions_status_changed() returns trigger language plpgsql as $$
begin
    perform refresh_plan_status_counts(array(
        select distinct pa.plan_id
          from plan_actions pa
          join new_rows n on n.id = pa.action_id
          join old_rows o on o.id = n.id
         where n.status is distinct from o.status));
    return null;
end $$;

create function plans_inserted() returns trigger language plpgsql as $$
begin
    perform refresh_plan_status_counts(array(select id from new_rows));
    return null;
end $$;

create trigger plan_actions_counts_insert after insert on plan_actions
    referencing new table as new_rows for each statement execute function plan_actions_inserted();
create trigger plan_actions_counts_update after update on plan_actions
    referencing new table as new_rows old table as old_rows for each statement execute function plan_actions_updated();
create trigger plan_actions_counts_delete after delete on plan_actions
    referencing old table as old_rows for each statement execute function plan_actions_deleted();
create trigger actions_counts_update after update on actions
    referencing new table as new_rows old table as old_rows for each statement execute function actions_status_changed();
create trigger plans_counts_insert after insert on plans
    referencing new table as new_rows for each statement execute function plans_inserted();

select refresh_plan_status_counts(array(select id from plans));
