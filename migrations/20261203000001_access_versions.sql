-- What a signed-in person may see changes only when their memberships or their account change.
-- A counter per person, moved in the same transaction as any such change, lets each server
-- instance keep the person's memberships (and the pages it rendered for them) in memory and
-- check, with one primary-key read per request, that nothing has changed since: a member
-- removed from a committee is refused on their very next request, on whichever instance,
-- whatever that instance has cached.

create table access_versions (
    person_id uuid primary key references people (id) on delete cascade,
    version   bigint not null default 0
);
insert into access_versions (person_id) select id from people;
-- Only through the functions below: the server's role has no grant on it, and row-level
-- security (forced, like every table here) would show a person their own row alone.
alter table access_versions enable row level security;
alter table access_versions force row level security;
create policy access_versions_own on access_versions for select using (person_id = (select app.person()));

create function auth.bump_access(p_person uuid) returns void
language sql security definer set search_path = public, pg_temp as $$
    insert into access_versions (person_id, version)
    select id, 1 from people where id = p_person
    on conflict (person_id) do update set version = access_versions.version + 1
$$;

create function auth.memberships_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform auth.bump_access(old.person_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.person_id is distinct from old.person_id) then
        perform auth.bump_access(new.person_id);
    end if;
    return null;
end $$;

create trigger access_committee_memberships after insert or update or delete on committee_memberships
    for each row execute function auth.memberships_changed();
create trigger access_subgroup_memberships after insert or update or delete on subgroup_memberships
    for each row execute function auth.memberships_changed();

-- A new person starts at 0; a change to what identifies them or what they may do moves it (a
-- password change moves auth_version, and so this).
create function auth.person_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if tg_op = 'INSERT' then
        insert into access_versions (person_id) values (new.id) on conflict do nothing;
    else
        perform auth.bump_access(new.id);
    end if;
    return null;
end $$;

create trigger access_people_inserted after insert on people
    for each row execute function auth.person_changed();
create trigger access_people_updated after update on people
    for each row
    when (old.is_platform_admin is distinct from new.is_platform_admin
          or old.auth_version is distinct from new.auth_version
          or old.display_name is distinct from new.display_name
          or old.email is distinct from new.email)
    execute function auth.person_changed();

-- The server reads a person's version through this alone (it has no grant on the table).
create function app.access_version(p_person uuid) returns bigint
language sql stable security definer set search_path = public, pg_temp as $$
    select version from access_versions where person_id = p_person
$$;

revoke all on table access_versions from public, fv_app;
revoke execute on function auth.bump_access(uuid), auth.memberships_changed(), auth.person_changed() from public;
revoke execute on function app.access_version(uuid) from public;
grant execute on function app.access_version(uuid) to fv_app;
