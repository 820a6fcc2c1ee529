-- Closing the holes found by trying the accounts as an attacker would (issue "Close the
-- holes"). Each block names what it closes; rls_catalogue.rs runs each attack as fv_app.

-- ---------------------------------------------------------------------------------------------
-- One-time links. Whoever invites may issue a link only for a person who has never set a
-- password and whose every membership the inviter manages (a platform admin: anyone), so one
-- committee can never set the password of a person another committee invited. Links are
-- written only through these functions: fv_app may no longer insert or update invitation rows
-- itself (which let it revive a used link or point a link at someone else).

-- Whether the acting person may issue a link for `p_person`.
create function app.may_issue_link(p_person uuid) returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    if app.person() is null then
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

-- Where an invitee stands, for the rule table the inviting forms follow: 'active' (has a
-- password: sign in as usual), 'managed' (pending, and the acting person may issue a link),
-- 'foreign' (pending, with a membership someone else manages). Null for an unknown person.
create function app.invitee_standing(p_person uuid) returns text
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
    v_active boolean;
begin
    select password_set_at is not null into v_active from people where id = p_person;
    if v_active is null then
        return null;
    elsif v_active then
        return 'active';
    elsif app.may_issue_link(p_person) then
        return 'managed';
    else
        return 'foreign';
    end if;
end $$;

-- Issues a link for `p_person`, voiding their earlier unused links, if the acting person may:
-- true when issued. The committee or subgroup the link is issued for must be one the acting
-- person manages (anyone's, for a platform admin).
create function app.issue_invitation(
    p_person uuid, p_committee uuid, p_subgroup uuid, p_token_hash text, p_valid_days integer
) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if not app.may_issue_link(p_person)
       or p_valid_days not between 1 and 30
       or (not app.is_admin()
           and not (p_committee = any (app.committees('lead_officer')))
           and not (p_subgroup = any (app.subgroups('chair')))) then
        return false;
    end if;
    update invitations set expires_at = now()
     where person_id = p_person and used_at is null and expires_at > now();
    insert into invitations (person_id, committee_id, subgroup_id, token_hash, created_by, expires_at)
    values (p_person, p_committee, p_subgroup, p_token_hash, app.person(), now() + make_interval(days => p_valid_days));
    return true;
end $$;

-- Redeeming a link now voids every other outstanding link of that person as well.
create or replace function app.redeem_invitation(p_token_hash text, p_hash text)
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
    update invitations set expires_at = now()
     where invitations.person_id = v_person and used_at is null and expires_at > now();
    return query
        update people
           set password_hash = p_hash, password_set_at = now(), auth_version = people.auth_version + 1
         where people.id = v_person
        returning people.id, people.auth_version;
end $$;

revoke insert, update, delete on invitations from fv_app;
drop policy invitations_manage on invitations;
-- Reading: the links the acting person could have issued. Writing (should a grant ever come
-- back): only for a person the acting person may issue a link for, in their own scope.
create policy invitations_read on invitations for select
    using ((select app.is_admin())
           or committee_id = any ((select app.committees('lead_officer'))::uuid[])
           or subgroup_id = any ((select app.subgroups('chair'))::uuid[]));
create policy invitations_insert on invitations for insert
    with check (created_by = (select app.person())
                and used_at is null
                and app.may_issue_link(person_id)
                and ((select app.is_admin())
                     or committee_id = any ((select app.committees('lead_officer'))::uuid[])
                     or subgroup_id = any ((select app.subgroups('chair'))::uuid[])));

grant execute on function app.may_issue_link(uuid), app.invitee_standing(uuid),
    app.issue_invitation(uuid, uuid, uuid, text, integer) to fv_app;

-- ---------------------------------------------------------------------------------------------
-- Nobody makes themselves a platform admin: the column is no longer writable by the server.
revoke update on people from fv_app;
grant update (display_name, agency_id) on people to fv_app;

-- ---------------------------------------------------------------------------------------------
-- Rows keep their owner. Ids that tie a row to a committee, subgroup, plan, person or action
-- are fixed once written; only the columns the application edits are updatable. (Re-pointing
-- a placement at another committee's private action would publish it; re-pointing a
-- ratification at a draft protocol would reveal it; re-pointing a membership would hand it to
-- someone else.)
revoke update on committee_memberships, subgroup_memberships from fv_app;
grant update (role) on committee_memberships, subgroup_memberships to fv_app;

revoke update on actions from fv_app;
grant update (description, lead, timescale, due_on, evidence, progress, status, revised_timescale, revision_reason,
              version, updated_at) on actions to fv_app;

revoke update on plan_actions from fv_app;
grant update (objective_id, position, local_note, adopted_at, retired_at, version) on plan_actions to fv_app;

revoke update on priorities, outcomes, objectives from fv_app;
grant update (position, title, retired_at, version) on priorities to fv_app;
grant update (number, title, retired_at, version) on outcomes to fv_app;
grant update (minor, title, retired_at, version) on objectives to fv_app;

revoke update on plans from fv_app;
grant update (title, status, version, updated_at) on plans to fv_app;

revoke update on protocols, protocol_versions from fv_app;
grant update (title, summary, owner_name, is_public, version) on protocols to fv_app;
grant update (label, document_url, body, effective_on, review_due_on) on protocol_versions to fv_app;

revoke update, delete on protocol_ratifications from fv_app;
grant update (state, decided_on, reason, updated_at, version) on protocol_ratifications to fv_app;

-- ---------------------------------------------------------------------------------------------
-- Ratifications: a committee's lead officers decide on the rows the owning subgroup put to
-- their committee; they can no longer insert a row of their own, which made the protocol
-- (drafts included) readable to their committee.
drop policy protocol_ratifications_write on protocol_ratifications;
create policy protocol_ratifications_decide on protocol_ratifications for update
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

-- ---------------------------------------------------------------------------------------------
-- Placements: a plan may hold its own committee's actions and the shared actions of a
-- subgroup its committee takes part in, nothing else (placing another committee's private
-- action into a published plan would make it public).
create function app.may_place(p_committee uuid, p_action uuid) returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
    return exists (
        select 1 from actions a
         where a.id = p_action
           and (a.owner_committee_id = p_committee
                or exists (select 1 from subgroup_committees sc
                            where sc.subgroup_id = a.owner_subgroup_id and sc.committee_id = p_committee)));
end $$;
grant execute on function app.may_place(uuid, uuid) to fv_app;

drop policy plan_actions_write on plan_actions;
create policy plan_actions_insert on plan_actions for insert
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                and app.may_place(committee_id, action_id));
create policy plan_actions_update on plan_actions for update
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (committee_id = any ((select app.committees('lead_officer'))::uuid[]));
create policy plan_actions_delete on plan_actions for delete
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[]));

-- ---------------------------------------------------------------------------------------------
-- The audit trail: an event goes only into the log of a committee or subgroup the acting
-- person belongs to (platform admins, who set committees and subgroups up, anywhere).
drop policy audit_events_insert on audit_events;
create policy audit_events_insert on audit_events for insert
    with check (person_id is not distinct from (select app.person())
                and ((select app.is_admin())
                     or ((committee_id is null or committee_id = any ((select app.committees())::uuid[]))
                         and (subgroup_id is null or subgroup_id = any ((select app.subgroups())::uuid[])))));

-- ---------------------------------------------------------------------------------------------
-- Changes are announced by the database itself: every statement that changes a table whose
-- rows a page may show sends NOTIFY plan_changed (delivered on commit, collapsed within a
-- transaction), so no write path can forget to drop the page caches.
create function app.announce_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('plan_changed', tg_table_name);
    return null;
end $$;

do $$
declare
    t text;
begin
    foreach t in array array[
        'regions', 'committees', 'agencies', 'subgroups', 'subgroup_committees', 'plans', 'plan_reviews',
        'priorities', 'outcomes', 'objectives', 'actions', 'plan_actions', 'action_subgroups', 'action_people',
        'action_protocols', 'status_updates', 'protocols', 'protocol_versions', 'protocol_ratifications'
    ] loop
        execute format(
            'create trigger %I after insert or update or delete or truncate on %I
                 for each statement execute function app.announce_change()',
            t || '_announce', t);
    end loop;
end $$;

-- ---------------------------------------------------------------------------------------------
-- Sign-in throttling as one atomic step: each attempt is counted (as a failure, until it
-- succeeds) under every key in the same statement that checks the limits, with the keys
-- locked, so parallel guesses cannot all pass the check before any is recorded.
alter table auth.sign_in_failures add column attempt_id uuid;
create index sign_in_failures_attempt_idx on auth.sign_in_failures (attempt_id);

-- Counts an attempt under each key if every key is below its limit within its window; returns
-- the attempt's id, or null when a limit is reached (nothing is recorded then).
create function auth.claim_attempt(p_keys text[], p_limits integer[], p_windows_minutes integer[])
returns uuid
language plpgsql security definer set search_path = auth, pg_temp as $$
declare
    v_attempt uuid := gen_random_uuid();
    v_key text;
    i integer;
begin
    -- In a fixed order, so two attempts never wait on each other's locks.
    for v_key in select k from unnest(p_keys) k order by k loop
        perform pg_advisory_xact_lock(hashtextextended('sign-in:' || v_key, 0));
    end loop;
    for i in 1 .. coalesce(array_length(p_keys, 1), 0) loop
        if (select count(*) from sign_in_failures
             where key = p_keys[i] and failed_at > now() - make_interval(mins => p_windows_minutes[i]))
           >= p_limits[i] then
            return null;
        end if;
    end loop;
    insert into sign_in_failures (key, attempt_id) select unnest(p_keys), v_attempt;
    return v_attempt;
end $$;
revoke execute on function auth.claim_attempt(text[], integer[], integer[]) from public;
grant execute on function auth.claim_attempt(text[], integer[], integer[]) to fv_app;
