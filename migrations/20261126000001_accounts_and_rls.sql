-- Accounts, sessions and tenant isolation enforced by PostgreSQL itself.
--
-- Two roles. The owner (whoever runs migrations; `fv_owner` from the scripts) owns every table
-- and function. The server connects as `fv_app`: it owns nothing, is not a superuser, cannot
-- bypass row-level security, and gets only the grants below. Each request's transaction names
-- the acting person with set_config('app.person_id', ..., true); every table of committee or
-- subgroup data has RLS enabled *and forced*, so a query without that setting sees only what
-- the public may see (fail closed).
--
-- Membership checks used by the policies are SECURITY DEFINER functions owned by the owner
-- role, written in PL/pgSQL so their plans are cached per connection (PostgreSQL plans a
-- SQL-language function afresh on every call, which cost ~0.5 ms per policy per query), which must be a superuser or have BYPASSRLS (scripts/lib.sh creates it so): that is how
-- a policy on committee_memberships can consult committee_memberships without recursing.

do $$
begin
    if not exists (select from pg_roles where rolname = 'fv_app') then
        create role fv_app nologin; -- the scripts create it with LOGIN beforehand
    end if;
exception when duplicate_object then
    null; -- a concurrent migration created it
end $$;

-- Sessions (tower-sessions-sqlx-store's table, created here so the server needs no DDL rights).
create schema tower_sessions;
create table tower_sessions.session (
    id          text primary key not null,
    data        bytea not null,
    expiry_date timestamptz not null
);
create index session_expiry_idx on tower_sessions.session (expiry_date);

-- Sign-in failures, for throttling per account and per client address across instances.
create schema auth;
create table auth.sign_in_failures (
    key       text not null,
    failed_at timestamptz not null default now()
);
create index sign_in_failures_key_idx on auth.sign_in_failures (key, failed_at);

-- A password change bumps auth_version; sessions remember the version they signed in with and
-- end when it no longer matches, which signs the person out everywhere else.
alter table people add column auth_version integer not null default 1 check (auth_version > 0);
alter table people add column password_set_at timestamptz;

-- One-time links with which an invited person sets their password (also used for resets by a
-- platform admin). Only a hash of the token is stored.
create table invitations (
    id           uuid primary key default gen_random_uuid(),
    person_id    uuid not null references people (id) on delete cascade,
    committee_id uuid references committees (id) on delete cascade,
    subgroup_id  uuid references subgroups (id) on delete cascade,
    token_hash   text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_by   uuid references people (id) on delete set null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    used_at      timestamptz
);
create index invitations_person_idx on invitations (person_id);
create index invitations_committee_idx on invitations (committee_id);

-- Plan reviews carried no committee of their own; every committee-data table should.
alter table plan_reviews add column committee_id uuid;
update plan_reviews r set committee_id = p.committee_id from plans p where p.id = r.plan_id;
alter table plan_reviews alter column committee_id set not null;
alter table plan_reviews drop constraint plan_reviews_plan_id_fkey;
alter table plan_reviews add foreign key (plan_id, committee_id) references plans (id, committee_id) on delete cascade;

-- ---------------------------------------------------------------------------------------------
-- Who is acting, and what they belong to.

create schema app;

create function app.person() returns uuid
language sql stable as $$
    select nullif(current_setting('app.person_id', true), '')::uuid
$$;

create function app.is_admin() returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce((select is_platform_admin from people where id = app.person()), false)
    );
end $$;

-- Committees the acting person belongs to, with at least the given role. Policies call these
-- as `(select app.committees(...))` so they run once per statement, not once per row.
create function app.committees(min_role text default 'member') returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(committee_id), '{}')
          from committee_memberships
         where person_id = app.person()
           and case min_role
                 when 'member' then true
                 when 'contributor' then role in ('contributor', 'lead_officer')
                 else role = 'lead_officer'
               end
    );
end $$;

create function app.subgroups(min_role text default 'member') returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(subgroup_id), '{}')
          from subgroup_memberships
         where person_id = app.person()
           and (min_role = 'member' or role = 'chair')
    );
end $$;

-- Plans the acting person may read: every published plan and all of their committees' plans.
create function app.readable_plans() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(id), '{}')
          from plans
         where status = 'published' or committee_id = any (app.committees())
    );
end $$;

-- Protocols the acting person may read: public ones, their subgroups' drafts, and drafts put to
-- one of their committees for ratification.
create function app.readable_protocols() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(distinct p.id), '{}')
          from protocols p
          left join protocol_versions v on v.protocol_id = p.id
          left join protocol_ratifications r on r.protocol_version_id = v.id
         where p.is_public
            or p.owner_subgroup_id = any (app.subgroups())
            or r.committee_id = any (app.committees())
    );
end $$;

-- Actions the acting person may change: contributors and lead officers of the owning
-- committee, members and chairs of the owning subgroup.
create function app.updatable_actions() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(id), '{}')
          from actions
         where owner_committee_id = any (app.committees('contributor'))
            or owner_subgroup_id = any (app.subgroups())
    );
end $$;

-- Actions whose structure (leads, protocols) the acting person may change.
create function app.editable_actions() returns uuid[]
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return (
        select coalesce(array_agg(id), '{}')
          from actions
         where owner_committee_id = any (app.committees('lead_officer'))
            or owner_subgroup_id = any (app.subgroups('chair'))
    );
end $$;

-- ---------------------------------------------------------------------------------------------
-- Credentials never leave the database except through these functions: the server's role
-- cannot select or update password hashes directly.

create function app.credentials(p_email text)
returns table (person_id uuid, password_hash text, auth_version integer)
language sql stable security definer set search_path = public, pg_temp as $$
    select id, password_hash, auth_version from people where lower(email) = lower(btrim(p_email))
$$;

-- The acting person's own password. Bumps auth_version, which ends their other sessions.
create function app.set_own_password(p_hash text) returns integer
language sql security definer set search_path = public, pg_temp as $$
    update people
       set password_hash = p_hash, password_set_at = now(), auth_version = auth_version + 1
     where id = app.person()
    returning auth_version
$$;

create function app.own_password_hash() returns text
language sql stable security definer set search_path = public, pg_temp as $$
    select password_hash from people where id = app.person()
$$;

-- Redeems a one-time link: sets the password, uses the link up and returns the person (null if
-- the link is unknown, used or expired; which of the three is not said).
create function app.redeem_invitation(p_token_hash text, p_hash text)
returns table (person_id uuid, auth_version integer)
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    v_person uuid;
begin
    update invitations
       set used_at = now()
     where token_hash = p_token_hash and used_at is null and expires_at > now()
    returning invitations.person_id into v_person;
    if v_person is null then
        return;
    end if;
    return query
        update people
           set password_hash = p_hash, password_set_at = now(), auth_version = people.auth_version + 1
         where people.id = v_person
        returning people.id, people.auth_version;
end $$;

-- Whether a one-time link is still good, and for whom (shown on the set-password page).
create function app.invitation_person(p_token_hash text)
returns table (person_id uuid, display_name text, email text)
language sql stable security definer set search_path = public, pg_temp as $$
    select p.id, p.display_name, p.email
      from invitations i
      join people p on p.id = i.person_id
     where i.token_hash = p_token_hash and i.used_at is null and i.expires_at > now()
$$;

-- Lead officers and admins invite people who may already have an account in another
-- committee; they may learn that an email has an account, nothing more.
create function app.person_by_email(p_email text) returns uuid
language sql stable security definer set search_path = public, pg_temp as $$
    select id from people
     where lower(email) = lower(btrim(p_email))
       and (app.is_admin()
            or cardinality(app.committees('lead_officer')) > 0
            or cardinality(app.subgroups('chair')) > 0)
$$;

-- Status counts are kept by triggers on behalf of whoever changed the actions.
alter function refresh_plan_status_counts(uuid[]) security definer set search_path = public, pg_temp;

-- ---------------------------------------------------------------------------------------------
-- Grants: only what the server needs. No ownership, no DDL, no UPDATE or DELETE on the audit
-- trail, no access to password hashes.

revoke all on schema app, auth, tower_sessions from public;
revoke execute on all functions in schema app from public;
grant usage on schema public, app, auth, tower_sessions to fv_app;
grant execute on all functions in schema app to fv_app;
grant execute on function refresh_plan_status_counts(uuid[]) to fv_app;

grant select, insert, update, delete on tower_sessions.session to fv_app;
grant select, insert, delete on auth.sign_in_failures to fv_app;

grant select on regions, committees, agencies, subgroups, subgroup_committees to fv_app;
grant insert, update on regions, committees, agencies, subgroups to fv_app;
grant insert, delete on subgroup_committees to fv_app;

grant select (id, email, display_name, agency_id, is_platform_admin, created_at, auth_version, password_set_at)
    on people to fv_app;
grant insert (id, email, display_name, agency_id) on people to fv_app;
grant update (display_name, agency_id, is_platform_admin) on people to fv_app;

grant select, insert, update, delete on committee_memberships, subgroup_memberships to fv_app;
grant select, insert, update on invitations to fv_app;
grant select, insert, update on plans to fv_app;
grant select, insert, update, delete on plan_reviews, priorities, outcomes, objectives, plan_actions to fv_app;
grant select on plan_status_counts to fv_app;
grant select, insert, update, delete on actions, action_subgroups, action_people, action_protocols to fv_app;
grant select, insert on status_updates to fv_app;
grant select, insert, update on protocols, protocol_versions to fv_app;
grant select, insert, update, delete on protocol_ratifications to fv_app;
grant select, insert on audit_events to fv_app;

-- ---------------------------------------------------------------------------------------------
-- Row-level security. Every table in `public` has it enabled and forced (the catalogue test
-- fails otherwise). Reference data is public to read and admin-only to change.

alter table regions enable row level security;
alter table regions force row level security;
create policy regions_read on regions for select using (true);
create policy regions_admin on regions for all using ((select app.is_admin())) with check ((select app.is_admin()));

alter table agencies enable row level security;
alter table agencies force row level security;
create policy agencies_read on agencies for select using (true);
create policy agencies_admin on agencies for all using ((select app.is_admin())) with check ((select app.is_admin()));

alter table committees enable row level security;
alter table committees force row level security;
create policy committees_read on committees for select using (true);
create policy committees_admin on committees for all using ((select app.is_admin())) with check ((select app.is_admin()));

alter table subgroups enable row level security;
alter table subgroups force row level security;
create policy subgroups_read on subgroups for select using (true);
create policy subgroups_admin on subgroups for all using ((select app.is_admin())) with check ((select app.is_admin()));

alter table subgroup_committees enable row level security;
alter table subgroup_committees force row level security;
create policy subgroup_committees_read on subgroup_committees for select using (true);
create policy subgroup_committees_admin on subgroup_committees for all
    using ((select app.is_admin())) with check ((select app.is_admin()));

-- People: yourself, the people you sit with on a committee or subgroup, and (for admins)
-- everyone. The public sees no one, which also keeps history authors private.
alter table people enable row level security;
alter table people force row level security;
create policy people_read on people for select using (
    id = (select app.person())
    or (select app.is_admin())
    or exists (select 1 from committee_memberships m
                where m.person_id = people.id and m.committee_id = any ((select app.committees())::uuid[]))
    or exists (select 1 from subgroup_memberships m
                where m.person_id = people.id and m.subgroup_id = any ((select app.subgroups())::uuid[]))
);
-- Invitations create people; a lead officer or chair may add someone new.
create policy people_insert on people for insert with check (
    (select app.is_admin())
    or cardinality((select app.committees('lead_officer'))) > 0
    or cardinality((select app.subgroups('chair'))) > 0
);
create policy people_update on people for update
    using (id = (select app.person()) or (select app.is_admin()))
    with check (id = (select app.person()) or (select app.is_admin()));

alter table committee_memberships enable row level security;
alter table committee_memberships force row level security;
create policy committee_memberships_read on committee_memberships for select using (
    person_id = (select app.person())
    or committee_id = any ((select app.committees())::uuid[])
    or (select app.is_admin())
);
create policy committee_memberships_manage on committee_memberships for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]) or (select app.is_admin()))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]) or (select app.is_admin()));

alter table subgroup_memberships enable row level security;
alter table subgroup_memberships force row level security;
create policy subgroup_memberships_read on subgroup_memberships for select using (
    person_id = (select app.person())
    or subgroup_id = any ((select app.subgroups())::uuid[])
    or (select app.is_admin())
);
create policy subgroup_memberships_manage on subgroup_memberships for all
    using (subgroup_id = any ((select app.subgroups('chair'))::uuid[]) or (select app.is_admin()))
    with check (subgroup_id = any ((select app.subgroups('chair'))::uuid[]) or (select app.is_admin()));

alter table invitations enable row level security;
alter table invitations force row level security;
create policy invitations_manage on invitations for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[])
           or subgroup_id = any ((select app.subgroups('chair'))::uuid[])
           or (select app.is_admin()))
    with check (created_by = (select app.person())
                and (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                     or subgroup_id = any ((select app.subgroups('chair'))::uuid[])
                     or (select app.is_admin())));

-- Plans: published ones to everyone; drafts and archived plans to the committee's members.
-- Lead officers create and publish.
alter table plans enable row level security;
alter table plans force row level security;
create policy plans_read on plans for select using (
    status = 'published' or committee_id = any ((select app.committees())::uuid[])
);
create policy plans_insert on plans for insert
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));
create policy plans_update on plans for update
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table plan_status_counts enable row level security;
alter table plan_status_counts force row level security;
create policy plan_status_counts_read on plan_status_counts for select
    using (plan_id = any ((select app.readable_plans())::uuid[]));

-- A plan's structure: readable with the plan, changed by the committee's lead officers.
alter table plan_reviews enable row level security;
alter table plan_reviews force row level security;
create policy plan_reviews_read on plan_reviews for select using (plan_id = any ((select app.readable_plans())::uuid[]));
create policy plan_reviews_write on plan_reviews for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table priorities enable row level security;
alter table priorities force row level security;
create policy priorities_read on priorities for select using (plan_id = any ((select app.readable_plans())::uuid[]));
create policy priorities_write on priorities for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table outcomes enable row level security;
alter table outcomes force row level security;
create policy outcomes_read on outcomes for select using (plan_id = any ((select app.readable_plans())::uuid[]));
create policy outcomes_write on outcomes for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table objectives enable row level security;
alter table objectives force row level security;
create policy objectives_read on objectives for select using (plan_id = any ((select app.readable_plans())::uuid[]));
create policy objectives_write on objectives for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

alter table plan_actions enable row level security;
alter table plan_actions force row level security;
create policy plan_actions_read on plan_actions for select using (plan_id = any ((select app.readable_plans())::uuid[]));
create policy plan_actions_write on plan_actions for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

-- Actions: committee-owned rows, subgroup-owned shared rows, and rows published in a plan.
alter table actions enable row level security;
alter table actions force row level security;
-- Per row through the plan_actions index rather than one array of every published action, which
-- would be tens of thousands long across a region.
create policy actions_read on actions for select using (
    owner_committee_id = any ((select app.committees())::uuid[])
    or owner_subgroup_id = any ((select app.subgroups())::uuid[])
    or exists (select 1 from plan_actions pa
                where pa.action_id = actions.id and pa.plan_id = any ((select app.readable_plans())::uuid[]))
);
create policy actions_insert on actions for insert with check (
    owner_committee_id = any ((select app.committees('lead_officer'))::uuid[])
    or owner_subgroup_id = any ((select app.subgroups('chair'))::uuid[])
);
create policy actions_update on actions for update
    using (id = any ((select app.updatable_actions())::uuid[]))
    with check (owner_committee_id = any ((select app.committees('contributor'))::uuid[])
                or owner_subgroup_id = any ((select app.subgroups())::uuid[]));
create policy actions_delete on actions for delete using (id = any ((select app.editable_actions())::uuid[]));

alter table action_subgroups enable row level security;
alter table action_subgroups force row level security;
create policy action_subgroups_read on action_subgroups for select
    using (exists (select 1 from actions a where a.id = action_subgroups.action_id));
create policy action_subgroups_write on action_subgroups for all
    using (action_id = any ((select app.editable_actions())::uuid[]))
    with check (action_id = any ((select app.editable_actions())::uuid[]));

alter table action_people enable row level security;
alter table action_people force row level security;
create policy action_people_read on action_people for select
    using (exists (select 1 from actions a where a.id = action_people.action_id));
create policy action_people_write on action_people for all
    using (action_id = any ((select app.editable_actions())::uuid[]))
    with check (action_id = any ((select app.editable_actions())::uuid[]));

alter table action_protocols enable row level security;
alter table action_protocols force row level security;
create policy action_protocols_read on action_protocols for select
    using (exists (select 1 from actions a where a.id = action_protocols.action_id)
           and protocol_id = any ((select app.readable_protocols())::uuid[]));
create policy action_protocols_write on action_protocols for all
    using (action_id = any ((select app.editable_actions())::uuid[]))
    with check (action_id = any ((select app.editable_actions())::uuid[]));

-- History is read with its action; only someone who may update the action appends to it, and
-- only in their own name.
alter table status_updates enable row level security;
alter table status_updates force row level security;
create policy status_updates_read on status_updates for select
    using (exists (select 1 from actions a where a.id = status_updates.action_id));
create policy status_updates_insert on status_updates for insert
    with check (action_id = any ((select app.updatable_actions())::uuid[]) and person_id = (select app.person()));

-- Protocols: public ones to everyone, drafts to the owning subgroup and the committees asked to
-- ratify them; the owning subgroup writes them; each committee's lead officers record its own
-- ratification.
alter table protocols enable row level security;
alter table protocols force row level security;
create policy protocols_read on protocols for select using (id = any ((select app.readable_protocols())::uuid[]));
create policy protocols_write on protocols for all
    using (owner_subgroup_id = any ((select app.subgroups())::uuid[]))
    with check (owner_subgroup_id = any ((select app.subgroups())::uuid[]));

alter table protocol_versions enable row level security;
alter table protocol_versions force row level security;
create policy protocol_versions_read on protocol_versions for select
    using (protocol_id = any ((select app.readable_protocols())::uuid[]));
create policy protocol_versions_write on protocol_versions for all
    using (protocol_id in (select id from protocols where owner_subgroup_id = any ((select app.subgroups())::uuid[])))
    with check (protocol_id in (select id from protocols where owner_subgroup_id = any ((select app.subgroups())::uuid[])));

alter table protocol_ratifications enable row level security;
alter table protocol_ratifications force row level security;
create policy protocol_ratifications_read on protocol_ratifications for select using (
    protocol_version_id in (select id from protocol_versions where protocol_id = any ((select app.readable_protocols())::uuid[]))
);
create policy protocol_ratifications_write on protocol_ratifications for all
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

-- The audit trail: read by the committee's members (DESIGN.md) and the subgroup's members;
-- appended to only in the acting person's own name; never updated or deleted by the server.
alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy audit_events_read on audit_events for select using (
    committee_id = any ((select app.committees())::uuid[])
    or subgroup_id = any ((select app.subgroups())::uuid[])
    or (select app.is_admin()) and committee_id is null and subgroup_id is null
);
create policy audit_events_insert on audit_events for insert
    with check (person_id is not distinct from (select app.person()));
