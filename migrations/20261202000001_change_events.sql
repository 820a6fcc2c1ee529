-- Change events: the log every live view and page cache reads.
--
-- Statement triggers on every table whose rows a page shows write one event per changed
-- object into live.change_events, in the changing transaction, and NOTIFY change_events; no
-- write path can forget one.
--
-- Order without gaps. An event's position is (xid, seq): the writing transaction's id, then a
-- sequence within it. Readers take only events whose transaction is older than the oldest one
-- still running (`xid < pg_snapshot_xmin(pg_current_snapshot())`): every transaction below
-- that line has ended, so no event can later appear before a position already handed out, and
-- resuming after a position ("Last-Event-ID") never skips one, however transactions with
-- their ids interleave and commit. Writers never wait for one another; a long-running writing
-- transaction only delays delivery (README, "Live status").
--
-- Who may read an event is decided when it is written, with the rules of the pages'
-- row-level security: `committees` and `subgroups` whose members may read the object, and
-- `public` when anyone may. Events about published material carry the public fields the pages
-- show (`data`); all others only ids and versions, and a reader fetches the changed object
-- through a checked server function. Only the server's fan-out reads this table and applies
-- each viewer's scope: it lives outside `public` for that reason (the catalogue test lists it).

create schema live;
create sequence live.change_event_seq;

create table live.change_events (
    xid              xid8 not null default pg_current_xact_id(),
    seq              bigint not null default nextval('live.change_event_seq'),
    -- When the trigger ran (just before commit), for latency figures and retention.
    occurred_at      timestamptz not null default clock_timestamp(),
    kind             text not null check (kind in ('action', 'structure', 'plan', 'review', 'protocol',
                                                   'membership', 'person', 'region')),
    object_id        uuid,
    version          integer,
    committees       uuid[] not null default '{}',
    subgroups        uuid[] not null default '{}',
    public           boolean not null default false,
    -- The plans that show it, and of those the published ones.
    plan_ids         uuid[] not null default '{}',
    public_plan_ids  uuid[] not null default '{}',
    -- Membership and person events: whose rights or sessions changed (never sent to anyone).
    person_id        uuid,
    data             jsonb,
    primary key (xid, seq)
);
create index change_events_occurred_idx on live.change_events (occurred_at);

-- The newest position pruned away: a reader resuming from before it has missed events.
create table live.pruned (
    one     boolean primary key default true check (one),
    xid     xid8 not null,
    seq     bigint not null
);

revoke all on schema live from public;
grant usage on schema live to fv_app;
grant select on live.change_events, live.pruned to fv_app;

-- Events older than `keep_days` days (at least one) go; returns how many. The server's
-- housekeeping calls it; nothing else may delete events.
create function live.prune(keep_days integer) returns bigint
language plpgsql security definer set search_path = live, pg_temp as $$
declare
    last record;
    removed bigint;
begin
    select xid, seq into last from live.change_events
     where occurred_at < now() - make_interval(days => greatest(keep_days, 1))
     order by xid desc, seq desc limit 1;
    if last is null then
        return 0;
    end if;
    delete from live.change_events where (xid, seq) <= (last.xid, last.seq);
    get diagnostics removed = row_count;
    insert into live.pruned (xid, seq) values (last.xid, last.seq)
        on conflict (one) do update set xid = excluded.xid, seq = excluded.seq;
    return removed;
end $$;
revoke execute on function live.prune(integer) from public;
grant execute on function live.prune(integer) to fv_app;

-- {plan id: [on target, delayed, revision required, complete, not assessed]} of the published
-- plans among `ids`, as the overview shows them.
create function live.plan_counts(ids uuid[]) returns jsonb
language sql stable as $$
    select coalesce(jsonb_object_agg(p.id, jsonb_build_array(coalesce(c.on_target, 0), coalesce(c.delayed, 0),
                    coalesce(c.revision_required, 0), coalesce(c.complete, 0), coalesce(c.not_assessed, 0))), '{}')
      from plans p left join plan_status_counts c on c.plan_id = p.id
     where p.id = any (ids) and p.status = 'published'
$$;

-- One event for each of the actions `action_ids`, as they now are. Readable as the actions_read
-- policy says: the owning committee's members, the owning subgroup's members, the members of
-- the committees taking part in that subgroup, the members of every committee whose plan
-- shows it, and everyone when a published plan shows it.
create function live.emit_actions(action_ids uuid[]) returns void
language sql as $$
    insert into live.change_events (kind, object_id, version, committees, subgroups, public, plan_ids,
                                    public_plan_ids, data)
    select 'action', a.id, a.version,
           array(select distinct c from unnest(array[a.owner_committee_id] || coalesce(pl.committees, '{}')
                                                   || coalesce(sc.committees, '{}')) c where c is not null),
           array_remove(array[a.owner_subgroup_id], null),
           pl.public_ids is not null,
           coalesce(pl.ids, '{}'), coalesce(pl.public_ids, '{}'),
           case when pl.public_ids is not null then jsonb_build_object(
               'action', jsonb_build_object(
                   'id', a.id, 'version', a.version, 'status', a.status, 'progress', a.progress,
                   'evidence', a.evidence, 'timescale', a.timescale, 'revised_timescale', a.revised_timescale,
                   'revision_reason', a.revision_reason, 'description', a.description, 'lead', a.lead,
                   'updated_at', a.updated_at),
               'counts', live.plan_counts(pl.public_ids)) end
      from actions a
      left join lateral (
            select array_agg(pa.plan_id) as ids,
                   array_agg(pa.plan_id) filter (where p.status = 'published') as public_ids,
                   array_agg(distinct pa.committee_id) as committees
              from plan_actions pa join plans p on p.id = pa.plan_id
             where pa.action_id = a.id and pa.retired_at is null
           ) pl on true
      left join lateral (
            select array_agg(sc.committee_id) as committees
              from subgroup_committees sc where sc.subgroup_id = a.owner_subgroup_id
           ) sc on true
     where a.id = any (action_ids)
     order by a.id
$$;

-- One event for each of the plans `plan_ids` whose structure changed (parts, placements, the
-- links of their actions), with its counts when published.
create function live.emit_structure(plan_ids uuid[]) returns void
language sql as $$
    insert into live.change_events (kind, object_id, version, committees, public, plan_ids, public_plan_ids, data)
    select 'structure', p.id, p.version, array[p.committee_id], p.status = 'published', array[p.id],
           case when p.status = 'published' then array[p.id] else '{}' end,
           case when p.status = 'published' then jsonb_build_object('counts', live.plan_counts(array[p.id])) end
      from plans p where p.id = any (emit_structure.plan_ids)
     order by p.id
$$;

create function live.announce() returns void
language sql as $$
    select pg_notify('change_events', '')
$$;

-- Actions: an update is an event; a new action is one only when a subgroup owns it (its
-- page lists it at once), since a committee's new action appears when a plan places it.
create function live.actions_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if tg_op = 'DELETE' then
        insert into live.change_events (kind, object_id, committees, subgroups)
        select 'action', o.id, array_remove(array[o.owner_committee_id], null),
               array_remove(array[o.owner_subgroup_id], null)
          from old_rows o order by o.id;
    elsif tg_op = 'UPDATE' then
        perform live.emit_actions(array(select id from new_rows));
    else
        perform live.emit_actions(array(select id from new_rows where owner_subgroup_id is not null));
    end if;
    perform live.announce();
    return null;
end $$;

-- What an action is linked to (subgroups, people, protocols): an event for the action, and
-- one for each plan showing it.
create function live.action_links_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    ids uuid[];
begin
    if tg_op = 'DELETE' then
        ids := array(select distinct action_id from old_rows);
    elsif tg_op = 'UPDATE' then
        ids := array(select action_id from new_rows union select action_id from old_rows);
    else
        ids := array(select distinct action_id from new_rows);
    end if;
    perform live.emit_actions(ids);
    perform live.emit_structure(array(select distinct plan_id from plan_actions where action_id = any (ids)));
    perform live.announce();
    return null;
end $$;

-- A plan's parts and placements: one event per plan a statement touched.
create function live.structure_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if tg_op = 'DELETE' then
        perform live.emit_structure(array(select distinct plan_id from old_rows));
    elsif tg_op = 'UPDATE' then
        perform live.emit_structure(array(select plan_id from new_rows union select plan_id from old_rows));
    else
        perform live.emit_structure(array(select distinct plan_id from new_rows));
    end if;
    perform live.announce();
    return null;
end $$;

-- Plans (new, published, re-titled, archived). Public while or until just now published.
create function live.plans_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    was_published uuid[] := '{}';
begin
    if tg_op = 'UPDATE' then
        was_published := array(select id from old_rows where status = 'published');
    end if;
    insert into live.change_events (kind, object_id, version, committees, public, plan_ids, public_plan_ids, data)
    select 'plan', n.id, n.version, array[n.committee_id], s.shown, array[n.id],
           case when s.shown then array[n.id] else '{}' end,
           case when s.shown then jsonb_build_object('plan_status', n.status, 'title', n.title,
                                                      'counts', live.plan_counts(array[n.id])) end
      from new_rows n
     cross join lateral (select n.status = 'published' or n.id = any (was_published) as shown) s
     order by n.id;
    perform live.announce();
    return null;
end $$;

-- A plan's recorded reviews.
create function live.reviews_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    ids uuid[];
begin
    if tg_op = 'DELETE' then
        ids := array(select plan_id from old_rows);
    else
        ids := array(select plan_id from new_rows);
    end if;
    insert into live.change_events (kind, object_id, version, committees, public, plan_ids, public_plan_ids)
    select 'review', p.id, p.version, array[p.committee_id], p.status = 'published', array[p.id],
           case when p.status = 'published' then array[p.id] else '{}' end
      from plans p where p.id = any (ids)
     order by p.id;
    perform live.announce();
    return null;
end $$;

-- Protocols, their versions and each committee's ratification. Readable as protocols_read
-- says: everyone when public, the owning subgroup's members, and the members of each
-- committee asked to ratify a version.
create function live.protocols_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    ids uuid[];
    was_public uuid[] := '{}';
begin
    if tg_table_name = 'protocols' and tg_op = 'UPDATE' then
        was_public := array(select id from old_rows where is_public);
    end if;
    if tg_table_name = 'protocols' then
        ids := array(select id from new_rows);
    elsif tg_table_name = 'protocol_versions' and tg_op = 'DELETE' then
        ids := array(select protocol_id from old_rows);
    elsif tg_table_name = 'protocol_versions' then
        ids := array(select protocol_id from new_rows);
    elsif tg_op = 'DELETE' then
        ids := array(select v.protocol_id from protocol_versions v
                      where v.id in (select protocol_version_id from old_rows));
    else
        ids := array(select v.protocol_id from protocol_versions v
                      where v.id in (select protocol_version_id from new_rows));
    end if;
    insert into live.change_events (kind, object_id, version, committees, subgroups, public, data)
    select 'protocol', p.id, p.version,
           coalesce((select array_agg(distinct r.committee_id) from protocol_ratifications r
                       join protocol_versions v on v.id = r.protocol_version_id where v.protocol_id = p.id), '{}'),
           array_remove(array[p.owner_subgroup_id], null), p.is_public or p.id = any (was_public),
           case when p.is_public or p.id = any (was_public) then jsonb_build_object('title', p.title) end
      from protocols p where p.id = any (ids)
     order by p.id;
    perform live.announce();
    return null;
end $$;

-- Memberships: whose rights changed (their open streams look again at what they may see).
create function live.memberships_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    ids uuid[];
begin
    if tg_op = 'DELETE' then
        ids := array(select distinct person_id from old_rows);
    elsif tg_op = 'UPDATE' then
        ids := array(select person_id from new_rows union select person_id from old_rows);
    else
        ids := array(select distinct person_id from new_rows);
    end if;
    insert into live.change_events (kind, object_id, person_id)
    select 'membership', id, id from unnest(ids) id order by id;
    perform live.announce();
    return null;
end $$;

-- People: a new password (which ends their other sessions), a new name, admin rights.
create function live.people_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into live.change_events (kind, object_id, person_id)
    select 'person', n.id, n.id
      from new_rows n join old_rows o on o.id = n.id
     where n.auth_version <> o.auth_version or n.display_name <> o.display_name
        or n.is_platform_admin <> o.is_platform_admin
     order by n.id;
    perform live.announce();
    return null;
end $$;

-- The region's committees, subgroups, agencies and who takes part in which: the overview's
-- frame (and, for a TRUNCATE, anything: every reader reloads).
create function live.region_changed() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into live.change_events (kind, public) values ('region', true);
    perform live.announce();
    return null;
end $$;

-- The triggers. Statement triggers with transition tables fire for one event each, so each
-- table has one per event; named zz_ to fire after the status-count triggers of the same
-- tables, whose counts the events carry.
do $$
declare
    spec record;
    op text;
begin
    for spec in select * from (values
        ('actions', 'live.actions_changed', array['insert', 'update', 'delete']),
        ('action_subgroups', 'live.action_links_changed', array['insert', 'update', 'delete']),
        ('action_people', 'live.action_links_changed', array['insert', 'update', 'delete']),
        ('action_protocols', 'live.action_links_changed', array['insert', 'update', 'delete']),
        ('plan_actions', 'live.structure_changed', array['insert', 'update', 'delete']),
        ('priorities', 'live.structure_changed', array['insert', 'update', 'delete']),
        ('outcomes', 'live.structure_changed', array['insert', 'update', 'delete']),
        ('objectives', 'live.structure_changed', array['insert', 'update', 'delete']),
        ('plans', 'live.plans_changed', array['insert', 'update']),
        ('plan_reviews', 'live.reviews_changed', array['insert', 'update', 'delete']),
        ('protocols', 'live.protocols_changed', array['insert', 'update']),
        ('protocol_versions', 'live.protocols_changed', array['insert', 'update', 'delete']),
        ('protocol_ratifications', 'live.protocols_changed', array['insert', 'update', 'delete']),
        ('committee_memberships', 'live.memberships_changed', array['insert', 'update', 'delete']),
        ('subgroup_memberships', 'live.memberships_changed', array['insert', 'update', 'delete']),
        ('people', 'live.people_changed', array['update'])
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

do $$
declare
    t text;
begin
    foreach t in array array['regions', 'committees', 'agencies', 'subgroups', 'subgroup_committees'] loop
        execute format('create trigger zz_live after insert or update or delete on %I
                            for each statement execute function live.region_changed()', t);
    end loop;
    foreach t in array array[
        'regions', 'committees', 'agencies', 'subgroups', 'subgroup_committees', 'plans', 'plan_reviews',
        'priorities', 'outcomes', 'objectives', 'actions', 'plan_actions', 'action_subgroups', 'action_people',
        'action_protocols', 'status_updates', 'protocols', 'protocol_versions', 'protocol_ratifications'
    ] loop
        execute format('create trigger zz_live_truncate after truncate on %I
                            for each statement execute function live.region_changed()', t);
        -- The announcements of "Close the holes" are now these events.
        execute format('drop trigger %I on %I', t || '_announce', t);
    end loop;
end $$;
drop function app.announce_change();

-- Status updates are written with the update of their action in one transaction, whose event
-- carries them; no event of their own.

-- The helpers are for the triggers alone (which run as the owner): no role may write events
-- or send the notification by calling them.
revoke execute on function live.plan_counts(uuid[]), live.emit_actions(uuid[]), live.emit_structure(uuid[]),
    live.announce() from public;
