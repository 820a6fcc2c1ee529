-- Leavers. A platform admin deactivates a person who has left: in one transaction their
-- sessions end (auth_version moves, and every session carries the version it signed in with),
-- their password and outstanding sign-in links stop working, and their memberships go. The
-- person row stays, so their name stays on every update, decision and audit event.
alter table people add column deactivated_at timestamptz;
grant select (deactivated_at) on people to fv_app;

-- A deactivated person has no credentials: signing in fails as for an unknown address.
create or replace function app.credentials(p_email text)
returns table (person_id uuid, password_hash text, auth_version integer)
language sql stable security definer set search_path = public, pg_temp as $$
    select id, password_hash, auth_version from people
     where lower(email) = lower(btrim(p_email)) and deactivated_at is null
$$;

-- Nobody issues a sign-in link for a deactivated person, admins included.
create or replace function app.may_issue_link(p_person uuid) returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    if app.person() is null
       or exists (select 1 from people where id = p_person and deactivated_at is not null) then
        return false;
    end if;
    if app.is_admin() then
        return exists (select 1 from people where id = p_person);
    end if;
    return exists (select 1 from people where id = p_person and password_set_at is null)
       and (exists (select 1 from committee_memberships where person_id = p_person)
            or exists (select 1 from subgroup_memberships where person_id = p_person))
       and not exists (select 1 from committee_memberships
                        where person_id = p_person and not (committee_id = any (app.committees('lead_officer'))))
       and not exists (select 1 from subgroup_memberships
                        where person_id = p_person and not (subgroup_id = any (app.subgroups('chair'))));
end $$;

-- Deactivates `p_person` for a platform admin (never themselves): returns the memberships
-- removed as (committee or subgroup id, role), for their audit events, or nothing when refused
-- or already deactivated.
create function app.deactivate_person(p_person uuid)
returns table (committee_id uuid, subgroup_id uuid, role text)
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if not app.is_admin() or p_person = app.person() then
        return;
    end if;
    update people set deactivated_at = now(), password_hash = null, auth_version = auth_version + 1
     where id = p_person and deactivated_at is null;
    if not found then
        return;
    end if;
    update invitations set expires_at = now() where person_id = p_person and used_at is null and expires_at > now();
    return query
        with c as (delete from committee_memberships m where m.person_id = p_person
                   returning m.committee_id, null::uuid as subgroup_id, m.role::text),
             s as (delete from subgroup_memberships m where m.person_id = p_person
                   returning null::uuid, m.subgroup_id, m.role::text)
        select * from c union all select * from s;
end $$;
revoke all on function app.deactivate_person(uuid) from public;
grant execute on function app.deactivate_person(uuid) to fv_app;
