-- Two-step sign-in: time-based one-time codes (RFC 6238) from any authenticator app, with
-- recovery codes for a lost phone. The server's role is granted nothing on these tables: it
-- reaches them only through the functions below, as it reaches password hashes. Only hashes of
-- recovery codes are kept.
create table auth.two_step (
    person_id    uuid primary key references people (id) on delete cascade,
    secret       bytea not null check (length(secret) between 16 and 64),
    -- Null while being set up: the person has not yet proved their app has the secret.
    confirmed_at timestamptz,
    -- The time step of the last code accepted: each code is accepted once, and never an
    -- earlier one (a code seen over someone's shoulder cannot be replayed).
    last_step    bigint not null default 0,
    created_at   timestamptz not null default now()
);

create table auth.recovery_codes (
    person_id uuid not null references people (id) on delete cascade,
    code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
    used_at   timestamptz,
    primary key (person_id, code_hash)
);

revoke all on auth.two_step, auth.recovery_codes from public;

-- A committee can require two-step sign-in of its lead officers (the platform can require it of
-- admins and every lead officer, by the server's FV_TWO_STEP_REQUIRED).
alter table committees add column two_step_for_leads boolean not null default false;

-- ---------------------------------------------------------------------------------------------
-- Signing in: the person has given their password, and the second step is checked.

-- What the sign-in rule needs to know of someone whose password matched: whether two-step is
-- on, and what could require it of them.
create function auth.two_step_standing(p_person uuid)
returns table (enabled boolean, is_admin boolean, is_lead boolean, committee_requires boolean)
language sql stable security definer set search_path = public, pg_temp as $$
    select exists (select 1 from auth.two_step t where t.person_id = p.id and t.confirmed_at is not null),
           p.is_platform_admin,
           exists (select 1 from committee_memberships m where m.person_id = p.id and m.role = 'lead_officer'),
           exists (select 1 from committee_memberships m join committees c on c.id = m.committee_id
                    where m.person_id = p.id and m.role = 'lead_officer' and c.two_step_for_leads)
      from people p
     where p.id = p_person and p.deactivated_at is null
$$;

-- The secret a code is checked against: the confirmed one, or with p_pending the one being set
-- up (a person made to set up two-step as they sign in).
create function auth.two_step_secret(p_person uuid, p_pending boolean) returns bytea
language sql stable security definer set search_path = public, pg_temp as $$
    select secret from auth.two_step
     where person_id = p_person and (confirmed_at is not null) = not p_pending
$$;

-- Accepts a code of time step p_step for a confirmed secret, once: false when a code of this
-- step or a later one was accepted already.
create function auth.accept_step(p_person uuid, p_step bigint) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    update auth.two_step set last_step = p_step
     where person_id = p_person and confirmed_at is not null and last_step < p_step;
    return found;
end $$;

-- Uses up one recovery code: how many are left, or null when it is not one of theirs (or used).
create function auth.use_recovery_code(p_person uuid, p_hash text) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    update auth.recovery_codes r set used_at = now()
     where r.person_id = p_person and r.code_hash = p_hash and r.used_at is null
       and exists (select 1 from auth.two_step t where t.person_id = p_person and t.confirmed_at is not null);
    if not found then
        return null;
    end if;
    return (select count(*) from auth.recovery_codes where person_id = p_person and used_at is null);
end $$;

-- ---------------------------------------------------------------------------------------------
-- The acting person's own two-step sign-in (app.person(): signed in, or proved by password
-- while being made to set it up).

create function app.own_two_step()
returns table (enabled boolean, confirmed_at timestamptz, pending_secret bytea, codes_left integer)
language sql stable security definer set search_path = public, pg_temp as $$
    select t.confirmed_at is not null, t.confirmed_at,
           case when t.confirmed_at is null then t.secret end,
           (select count(*)::integer from auth.recovery_codes r where r.person_id = me.id and r.used_at is null)
      from (select app.person() as id) me
      left join auth.two_step t on t.person_id = me.id
     where me.id is not null
$$;

-- Starts setting up two-step with a new secret, replacing one not yet confirmed: false when it
-- is on already.
create function app.begin_two_step(p_secret bytea) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if app.person() is null then
        return false;
    end if;
    insert into auth.two_step as t (person_id, secret) values (app.person(), p_secret)
    on conflict (person_id) do update set secret = excluded.secret, created_at = now(), last_step = 0
     where t.confirmed_at is null;
    return found;
end $$;

-- Turns two-step on once a code of time step p_step matched the secret being set up: the
-- recovery codes are these, and every other session of the person ends (a stolen password may
-- already have one). The new auth version, or null when nothing was being set up.
create function app.confirm_two_step(p_step bigint, p_hashes text[]) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    v_version integer;
begin
    update auth.two_step set confirmed_at = now(), last_step = p_step
     where person_id = app.person() and confirmed_at is null;
    if not found then
        return null;
    end if;
    delete from auth.recovery_codes where person_id = app.person();
    insert into auth.recovery_codes (person_id, code_hash) select app.person(), unnest(p_hashes);
    update people set auth_version = auth_version + 1 where id = app.person() returning auth_version into v_version;
    return v_version;
end $$;

-- New recovery codes in place of the old ones: false when two-step is not on.
create function app.replace_recovery_codes(p_hashes text[]) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if not exists (select 1 from auth.two_step where person_id = app.person() and confirmed_at is not null) then
        return false;
    end if;
    delete from auth.recovery_codes where person_id = app.person();
    insert into auth.recovery_codes (person_id, code_hash) select app.person(), unnest(p_hashes);
    return true;
end $$;

-- Turns the acting person's two-step off, and drops a setup not finished: whether it was on.
create function app.turn_off_two_step() returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    v_was_on boolean;
begin
    delete from auth.recovery_codes where person_id = app.person();
    delete from auth.two_step where person_id = app.person() returning confirmed_at is not null into v_was_on;
    return coalesce(v_was_on, false);
end $$;

-- A platform admin turns two-step off for someone who has lost both their authenticator and
-- their recovery codes: that person's sessions end. False when refused or it was not on.
create function app.reset_two_step(p_person uuid) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if not app.is_admin() then
        return false;
    end if;
    delete from auth.recovery_codes where person_id = p_person;
    delete from auth.two_step where person_id = p_person;
    if not found then
        return false;
    end if;
    update people set auth_version = auth_version + 1 where id = p_person;
    return true;
end $$;

-- Whether the people of a committee have two-step on, for those who manage its members (for
-- anyone else, nothing).
create function app.committee_two_step(p_committee uuid) returns table (person_id uuid, enabled boolean)
language sql stable security definer set search_path = public, pg_temp as $$
    select m.person_id, exists (select 1 from auth.two_step t where t.person_id = m.person_id and t.confirmed_at is not null)
      from committee_memberships m
     where m.committee_id = p_committee
       and (p_committee = any (app.committees('lead_officer')) or app.is_admin())
$$;

-- Who has two-step on, for a platform admin (for anyone else, nobody).
create function app.two_step_people() returns uuid[]
language sql stable security definer set search_path = public, pg_temp as $$
    select coalesce(array_agg(person_id), '{}') from auth.two_step
     where confirmed_at is not null and app.is_admin()
$$;

-- Its lead officers (or an admin) require two-step of a committee's lead officers, or stop:
-- when required, the sessions of its lead officers without it end (other than the acting
-- person's), so they set it up as they next sign in. How many people's sessions ended, or null
-- when refused.
create function app.set_two_step_for_leads(p_committee uuid, p_on boolean) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    v_ended integer;
begin
    if not (p_committee = any (app.committees('lead_officer')) or app.is_admin()) then
        return null;
    end if;
    update committees set two_step_for_leads = p_on where id = p_committee;
    if not found then
        return null;
    end if;
    if not p_on then
        return 0;
    end if;
    with ended as (
        update people p set auth_version = p.auth_version + 1
         where p.id in (select m.person_id from committee_memberships m
                         where m.committee_id = p_committee and m.role = 'lead_officer')
           and p.id is distinct from app.person()
           and not exists (select 1 from auth.two_step t where t.person_id = p.id and t.confirmed_at is not null)
        returning 1)
    select count(*) into v_ended from ended;
    return v_ended;
end $$;

-- Someone who becomes a lead officer of a committee that requires two-step, without it on,
-- is signed out (unless it is the acting person) and sets it up as they next sign in.
create function auth.lead_needs_two_step() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if new.role = 'lead_officer'
       and (tg_op = 'INSERT' or old.role is distinct from new.role)
       and new.person_id is distinct from app.person()
       and exists (select 1 from committees c where c.id = new.committee_id and c.two_step_for_leads)
       and not exists (select 1 from auth.two_step t where t.person_id = new.person_id and t.confirmed_at is not null) then
        update people set auth_version = auth_version + 1 where id = new.person_id;
    end if;
    return null;
end $$;

create trigger lead_needs_two_step after insert or update of role on committee_memberships
    for each row execute function auth.lead_needs_two_step();

do $$
declare
    f text;
begin
    foreach f in array array[
        'auth.two_step_standing(uuid)', 'auth.two_step_secret(uuid, boolean)', 'auth.accept_step(uuid, bigint)',
        'auth.use_recovery_code(uuid, text)', 'app.own_two_step()', 'app.begin_two_step(bytea)',
        'app.confirm_two_step(bigint, text[])', 'app.replace_recovery_codes(text[])', 'app.turn_off_two_step()',
        'app.reset_two_step(uuid)', 'app.committee_two_step(uuid)', 'app.two_step_people()', 'app.set_two_step_for_leads(uuid, boolean)']
    loop
        execute format('revoke all on function %s from public', f);
        execute format('grant execute on function %s to fv_app', f);
    end loop;
end $$;
revoke all on function auth.lead_needs_two_step() from public;
