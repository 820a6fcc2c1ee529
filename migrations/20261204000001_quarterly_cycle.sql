-- The quarterly cycle: each committee's risk register, its reporting periods, and the frozen
-- snapshot a lead officer takes when closing one, from which the Chief Officers Group report
-- is made.
--
-- Who may do what (as `app/src/server/authz.rs` says it, enforced again here): a committee's
-- members read its register, periods and snapshots; contributors record assessments (a new
-- likelihood and impact); lead officers add, re-word and close risks, link mitigating actions,
-- set a period's dates and close it. Nothing of it is public.

create table risks (
    id             uuid primary key default gen_random_uuid(),
    committee_id   uuid not null references committees (id) on delete cascade,
    -- The committee's own reference ("R1"), unique within its register.
    reference      text not null,
    title          text not null,
    description    text not null default '',
    cause          text not null default '',
    consequence    text not null default '',
    -- Who owns it, as the register writes it (a role or a name).
    owner          text not null default '',
    controls       text not null default '',
    likelihood     smallint not null check (likelihood between 1 and 5),
    impact         smallint not null check (impact between 1 and 5),
    target_score   smallint not null check (target_score between 1 and 25),
    review_on      date,
    closed_at      timestamptz,
    closed_reason  text,
    version        integer not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint risks_reference_key unique (committee_id, reference),
    constraint risks_closed_reason check ((closed_at is null) = (closed_reason is null)),
    unique (id, committee_id)
);

-- Every assessment (the first one when the risk is added): its history.
create table risk_assessments (
    id            bigint generated always as identity primary key,
    risk_id       uuid not null,
    committee_id  uuid not null,
    likelihood    smallint not null check (likelihood between 1 and 5),
    impact        smallint not null check (impact between 1 and 5),
    note          text not null default '',
    person_id     uuid references people (id) on delete set null,
    assessed_at   timestamptz not null default now(),
    risk_version  integer not null,
    foreign key (risk_id, committee_id) references risks (id, committee_id) on delete cascade
);
create index risk_assessments_risk_idx on risk_assessments (risk_id, assessed_at);

-- The plan actions that mitigate a risk.
create table risk_actions (
    risk_id       uuid not null,
    committee_id  uuid not null,
    action_id     uuid not null references actions (id) on delete cascade,
    primary key (risk_id, action_id),
    foreign key (risk_id, committee_id) references risks (id, committee_id) on delete cascade
);

-- A committee's reporting period, stored once its dates are changed or it is closed; until
-- then it is the financial-year quarter the server works out (`domain::period`).
create table reporting_periods (
    id            uuid primary key default gen_random_uuid(),
    committee_id  uuid not null references committees (id) on delete cascade,
    -- "2026-27-q3": the quarter it stands for, and its address.
    slug          text not null,
    label         text not null,
    starts_on     date not null,
    ends_on       date not null,
    version       integer not null default 1,
    constraint reporting_periods_slug_key unique (committee_id, slug),
    constraint reporting_periods_dates check (ends_on >= starts_on),
    unique (id, committee_id)
);

-- What was reported: every published plan of the committee and its risk register as they stood
-- when the period was closed. Never changed: a period closed by mistake is closed again, and
-- the new snapshot names the one it supersedes.
create table period_snapshots (
    id            uuid primary key default gen_random_uuid(),
    period_id     uuid not null,
    committee_id  uuid not null,
    taken_at      timestamptz not null default now(),
    taken_by      uuid references people (id) on delete set null,
    supersedes    uuid references period_snapshots (id),
    reason        text not null default '',
    data          jsonb not null,
    foreign key (period_id, committee_id) references reporting_periods (id, committee_id),
    constraint period_snapshots_supersedes_key unique (supersedes)
);
create index period_snapshots_period_idx on period_snapshots (period_id, taken_at);

-- Snapshots are immutable, for every role, the owner's included.
create function app.refuse_snapshot_change() returns trigger
language plpgsql as $$
begin
    raise exception 'a closed period''s snapshot is never changed (close the period again to supersede it)'
        using errcode = 'P0001', constraint = 'period_snapshots_immutable';
end $$;
create trigger period_snapshots_immutable before update or delete on period_snapshots
    for each row execute function app.refuse_snapshot_change();
create trigger period_snapshots_no_truncate before truncate on period_snapshots
    for each statement execute function app.refuse_snapshot_change();

-- A risk's wording, owner, target and closure are the lead officers'; contributors change only
-- the assessment (likelihood, impact) and with it the version.
create function app.guard_risk_update() returns trigger
language plpgsql as $$
begin
    if (new.reference, new.title, new.description, new.cause, new.consequence, new.owner, new.controls,
        new.target_score, new.review_on, new.closed_at, new.closed_reason)
       is distinct from
       (old.reference, old.title, old.description, old.cause, old.consequence, old.owner, old.controls,
        old.target_score, old.review_on, old.closed_at, old.closed_reason)
       and not old.committee_id = any (app.committees('lead_officer'))
       and current_user <> (select tableowner from pg_tables where schemaname = 'public' and tablename = 'risks') then
        raise exception 'only the committee''s lead officers change a risk''s wording'
            using errcode = '42501';
    end if;
    return new;
end $$;
create trigger risks_guard before update on risks for each row execute function app.guard_risk_update();

grant select, insert on risks to fv_app;
grant update (reference, title, description, cause, consequence, owner, controls, likelihood, impact, target_score,
              review_on, closed_at, closed_reason, version, updated_at) on risks to fv_app;
grant select, insert on risk_assessments to fv_app;
grant select, insert, delete on risk_actions to fv_app;
grant select, insert on reporting_periods to fv_app;
grant update (label, starts_on, ends_on, version) on reporting_periods to fv_app;
grant select, insert on period_snapshots to fv_app;

alter table risks enable row level security;
alter table risks force row level security;
create policy risks_read on risks for select using (committee_id = any ((select app.committees())::uuid[]));
create policy risks_insert on risks for insert
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));
create policy risks_update on risks for update
    using (committee_id = any ((select app.committees('contributor'))::uuid[]))
    with check (committee_id = any ((select app.committees('contributor'))::uuid[]));

alter table risk_assessments enable row level security;
alter table risk_assessments force row level security;
create policy risk_assessments_read on risk_assessments for select
    using (committee_id = any ((select app.committees())::uuid[]));
create policy risk_assessments_insert on risk_assessments for insert
    with check (committee_id = any ((select app.committees('contributor'))::uuid[])
                and person_id is not distinct from (select app.person()));

alter table risk_actions enable row level security;
alter table risk_actions force row level security;
create policy risk_actions_read on risk_actions for select
    using (committee_id = any ((select app.committees())::uuid[]));
create policy risk_actions_write on risk_actions for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                and exists (select 1 from plan_actions pa
                             where pa.committee_id = risk_actions.committee_id and pa.action_id = risk_actions.action_id
                               and pa.retired_at is null));

alter table reporting_periods enable row level security;
alter table reporting_periods force row level security;
create policy reporting_periods_read on reporting_periods for select
    using (committee_id = any ((select app.committees())::uuid[]));
create policy reporting_periods_write on reporting_periods for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table period_snapshots enable row level security;
alter table period_snapshots force row level security;
create policy period_snapshots_read on period_snapshots for select
    using (committee_id = any ((select app.committees())::uuid[]));
create policy period_snapshots_insert on period_snapshots for insert
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                and taken_by is not distinct from (select app.person()));

-- ---------------------------------------------------------------------------------------------
-- Live events: the register's pages and the periods' pages hear of every change, for the
-- committee's members only (none of it is public).
alter table live.change_events drop constraint change_events_kind_check;
alter table live.change_events add constraint change_events_kind_check
    check (kind in ('action', 'structure', 'plan', 'review', 'protocol', 'membership', 'person', 'region',
                    'risk', 'period'));

create function live.risks_changed() returns trigger
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
    insert into live.change_events (kind, object_id, version, committees)
    select 'risk', r.id, r.version, array[r.committee_id]
      from risks r where r.id = any (ids)
     order by r.id;
    perform live.announce();
    return null;
end $$;

create function live.periods_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if tg_table_name = 'reporting_periods' then
        insert into live.change_events (kind, object_id, version, committees)
        select 'period', n.id, n.version, array[n.committee_id] from new_rows n order by n.id;
    else
        insert into live.change_events (kind, object_id, committees)
        select 'period', n.period_id, array[n.committee_id] from new_rows n order by n.id;
    end if;
    perform live.announce();
    return null;
end $$;

do $$
declare
    spec record;
    op text;
begin
    for spec in select * from (values
        ('risks', 'live.risks_changed', array['insert', 'update']),
        ('risk_assessments', 'live.risks_changed', array['insert']),
        ('risk_actions', 'live.risks_changed', array['insert', 'delete']),
        ('reporting_periods', 'live.periods_changed', array['insert', 'update']),
        ('period_snapshots', 'live.periods_changed', array['insert'])
    ) as t(tbl, fn, ops) loop
        foreach op in array spec.ops loop
            execute format(
                'create trigger %I after %s on %I referencing %s for each statement execute function %s()',
                'zz_live_' || op, op, spec.tbl,
                case op when 'insert' then 'new table as new_rows'
                        when 'update' then 'new table as new_rows old table as old_rows'
                        else 'old table as old_rows' end,
                spec.fn);
        end loop;
    end loop;
end $$;
