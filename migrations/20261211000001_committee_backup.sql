-- One committee's backup: everything it owns, as one JSON document, and its restore into an
-- empty database or another deployment (`server export-committee` / `restore-committee`, run
-- as the owner; the server's role has no privilege here). Rows keep their ids, so export →
-- restore → export gives the same document. People are listed by email (never a password
-- hash) and matched by email on restore; the operator command maps their ids before calling
-- the restore. The audit trail and risk assessments have numbers of the database's own: their
-- order is kept, their numbers are not.
create schema backup;
revoke all on schema backup from public;

create function backup.export_committee(p_slug text) returns jsonb
language plpgsql stable set search_path = public, pg_temp as $$
declare
    c committees;
    v_subgroups uuid[];
    v_actions uuid[];
    v_risks uuid[];
    v_plans uuid[];
begin
    select * into c from committees where slug = p_slug;
    if not found then
        return null;
    end if;
    -- Local subgroups are the committee's own; regional ones are referenced, never exported.
    select coalesce(array_agg(id), '{}') into v_subgroups from subgroups where committee_id = c.id;
    select coalesce(array_agg(id), '{}') into v_actions from actions
     where owner_committee_id = c.id or owner_subgroup_id = any (v_subgroups);
    select coalesce(array_agg(id), '{}') into v_risks from risks
     where committee_id = c.id or subgroup_id = any (v_subgroups);
    select coalesce(array_agg(id), '{}') into v_plans from plans where committee_id = c.id;
    return jsonb_build_object(
        'format', 'forth-valley-committee',
        'version', 1,
        'region', (select jsonb_build_object('slug', r.slug, 'name', r.name) from regions r where r.id = c.region_id),
        'committee', to_jsonb(c) - 'region_id',
        'people', (
            select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'email', p.email, 'display_name', p.display_name)
                                      order by p.email, p.id), '[]')
              from people p
             where p.id in (
                select person_id from committee_memberships where committee_id = c.id
                union select person_id from subgroup_memberships where subgroup_id = any (v_subgroups)
                union select person_id from action_people where action_id = any (v_actions)
                union select person_id from status_updates where action_id = any (v_actions)
                union select person_id from risk_assessments where risk_id = any (v_risks)
                union select taken_by from period_snapshots where committee_id = c.id
                union select created_by from plan_reviews where committee_id = c.id
                union select person_id from audit_events where committee_id = c.id or subgroup_id = any (v_subgroups))),
        'subgroups', (select coalesce(jsonb_agg(to_jsonb(s) - 'region_id' order by s.id), '[]')
                        from subgroups s where s.id = any (v_subgroups)),
        'committee_memberships', (select coalesce(jsonb_agg(to_jsonb(m) order by m.person_id), '[]')
                                    from committee_memberships m where m.committee_id = c.id),
        'subgroup_memberships', (select coalesce(jsonb_agg(to_jsonb(m) order by m.subgroup_id, m.person_id), '[]')
                                   from subgroup_memberships m where m.subgroup_id = any (v_subgroups)),
        -- The regional subgroups it takes part in, by slug: restored where they exist.
        'subgroup_committees', (select coalesce(jsonb_agg(jsonb_build_object('subgroup', s.slug, 'created_at', x.created_at)
                                                          order by s.slug), '[]')
                                  from subgroup_committees x join subgroups s on s.id = x.subgroup_id
                                 where x.committee_id = c.id),
        'plans', (select coalesce(jsonb_agg(to_jsonb(p) order by p.id), '[]') from plans p where p.id = any (v_plans)),
        'plan_reviews', (select coalesce(jsonb_agg(to_jsonb(r) order by r.id), '[]')
                           from plan_reviews r where r.committee_id = c.id),
        'priorities', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]') from priorities x where x.committee_id = c.id),
        'outcomes', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]') from outcomes x where x.committee_id = c.id),
        'objectives', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]') from objectives x where x.committee_id = c.id),
        'actions', (select coalesce(jsonb_agg(to_jsonb(a) order by a.id), '[]') from actions a where a.id = any (v_actions)),
        'action_people', (select coalesce(jsonb_agg(to_jsonb(x) order by x.action_id, x.person_id), '[]')
                            from action_people x where x.action_id = any (v_actions)),
        'action_protocols', (select coalesce(jsonb_agg(to_jsonb(x) order by x.action_id, x.protocol_id), '[]')
                               from action_protocols x where x.action_id = any (v_actions)),
        'action_subgroups', (select coalesce(jsonb_agg(jsonb_build_object('action_id', x.action_id, 'subgroup', s.slug)
                                                       order by x.action_id, s.slug), '[]')
                               from action_subgroups x join subgroups s on s.id = x.subgroup_id
                              where x.action_id = any (v_actions)),
        'plan_actions', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]') from plan_actions x where x.committee_id = c.id),
        -- Shared actions its plans or risks use, owned by a regional subgroup: referenced only.
        'referenced_actions', (
            select coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'subgroup', s.slug, 'description', a.description)
                                      order by a.id), '[]')
              from actions a join subgroups s on s.id = a.owner_subgroup_id
             where not (a.id = any (v_actions))
               and a.id in (select action_id from plan_actions where committee_id = c.id
                            union select action_id from risk_actions where risk_id = any (v_risks))),
        'status_updates', (select coalesce(jsonb_agg(to_jsonb(u) order by u.id), '[]')
                             from status_updates u where u.action_id = any (v_actions)),
        'reporting_periods', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]')
                                from reporting_periods x where x.committee_id = c.id),
        'period_snapshots', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]')
                               from period_snapshots x where x.committee_id = c.id),
        'period_summaries', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]')
                               from period_summaries x where x.committee_id = c.id),
        'risks', (select coalesce(jsonb_agg(to_jsonb(x) order by x.id), '[]') from risks x where x.id = any (v_risks)),
        'risk_assessments', (select coalesce(jsonb_agg(to_jsonb(x) - 'id' order by x.assessed_at, x.id), '[]')
                               from risk_assessments x where x.risk_id = any (v_risks)),
        'risk_actions', (select coalesce(jsonb_agg(to_jsonb(x) order by x.risk_id, x.action_id), '[]')
                           from risk_actions x where x.risk_id = any (v_risks)),
        'protocol_ratifications', (select coalesce(jsonb_agg(to_jsonb(x) order by x.protocol_version_id), '[]')
                                     from protocol_ratifications x where x.committee_id = c.id),
        'audit_events', (select coalesce(jsonb_agg(to_jsonb(e) - 'id' order by e.occurred_at, e.id), '[]')
                           from audit_events e where e.committee_id = c.id or e.subgroup_id = any (v_subgroups))
    );
end $$;

-- Restores a document `export_committee` made, whose people ids the operator command has
-- already mapped to people of this database (matched by email, or created). Refused (an
-- exception, so nothing is kept) when the committee's slug or id is taken. Returns what was
-- restored and what was left out, per kind: shared actions, regional subgroups and protocol
-- versions this database does not have are referenced by the document, not restored.
create function backup.restore_committee(p_doc jsonb)
returns table (kind text, restored integer, left_out integer)
language plpgsql set search_path = public, pg_temp as $$
declare
    v_region uuid;
    v_committee uuid := (p_doc->'committee'->>'id')::uuid;
    n integer;
    total integer;
begin
    if p_doc->>'format' is distinct from 'forth-valley-committee' or (p_doc->>'version')::int is distinct from 1 then
        raise exception 'not a committee backup of version 1' using errcode = '22023';
    end if;
    if exists (select 1 from committees where id = v_committee or slug = p_doc->'committee'->>'slug') then
        raise exception 'this database already has the committee %', p_doc->'committee'->>'slug' using errcode = '23505';
    end if;
    select id into v_region from regions where slug = p_doc->'region'->>'slug';
    if v_region is null then
        insert into regions (slug, name) values (p_doc->'region'->>'slug', p_doc->'region'->>'name')
        returning id into v_region;
    end if;

    insert into committees select * from jsonb_populate_record(null::committees,
        p_doc->'committee' || jsonb_build_object('region_id', v_region));
    kind := 'committee'; restored := 1; left_out := 0; return next;

    insert into subgroups select * from jsonb_populate_recordset(null::subgroups,
        (select coalesce(jsonb_agg(x || jsonb_build_object('region_id', v_region)), '[]')
           from jsonb_array_elements(p_doc->'subgroups') x));
    get diagnostics n = row_count;
    kind := 'local subgroups'; restored := n; left_out := 0; return next;

    insert into committee_memberships select * from jsonb_populate_recordset(null::committee_memberships, p_doc->'committee_memberships');
    get diagnostics n = row_count;
    kind := 'committee memberships'; restored := n; left_out := 0; return next;
    insert into subgroup_memberships select * from jsonb_populate_recordset(null::subgroup_memberships, p_doc->'subgroup_memberships');

    total := jsonb_array_length(p_doc->'subgroup_committees');
    insert into subgroup_committees (subgroup_id, committee_id, created_at)
    select s.id, v_committee, (x->>'created_at')::timestamptz
      from jsonb_array_elements(p_doc->'subgroup_committees') x join subgroups s on s.slug = x->>'subgroup';
    get diagnostics n = row_count;
    kind := 'regional subgroups taken part in'; restored := n; left_out := total - n; return next;

    insert into plans select * from jsonb_populate_recordset(null::plans, p_doc->'plans');
    get diagnostics n = row_count;
    kind := 'plans'; restored := n; left_out := 0; return next;
    insert into plan_reviews select * from jsonb_populate_recordset(null::plan_reviews, p_doc->'plan_reviews');
    insert into priorities select * from jsonb_populate_recordset(null::priorities, p_doc->'priorities');
    insert into outcomes select * from jsonb_populate_recordset(null::outcomes, p_doc->'outcomes');
    insert into objectives select * from jsonb_populate_recordset(null::objectives, p_doc->'objectives');

    insert into actions select * from jsonb_populate_recordset(null::actions, p_doc->'actions');
    get diagnostics n = row_count;
    kind := 'actions'; restored := n; left_out := 0; return next;
    insert into action_people select * from jsonb_populate_recordset(null::action_people, p_doc->'action_people');
    total := jsonb_array_length(p_doc->'action_protocols');
    insert into action_protocols select x.* from jsonb_populate_recordset(null::action_protocols, p_doc->'action_protocols') x
     where exists (select 1 from protocols p where p.id = x.protocol_id);
    get diagnostics n = row_count;
    kind := 'links to protocols'; restored := n; left_out := total - n; return next;
    total := jsonb_array_length(p_doc->'action_subgroups');
    insert into action_subgroups (action_id, subgroup_id)
    select (x->>'action_id')::uuid, s.id
      from jsonb_array_elements(p_doc->'action_subgroups') x join subgroups s on s.slug = x->>'subgroup';
    get diagnostics n = row_count;
    kind := 'actions'' subgroups'; restored := n; left_out := total - n; return next;

    -- A placement of a shared action is restored only where this database has that action.
    total := jsonb_array_length(p_doc->'plan_actions');
    insert into plan_actions select x.* from jsonb_populate_recordset(null::plan_actions, p_doc->'plan_actions') x
     where exists (select 1 from actions a where a.id = x.action_id);
    get diagnostics n = row_count;
    kind := 'placements in plans'; restored := n; left_out := total - n; return next;

    insert into status_updates select * from jsonb_populate_recordset(null::status_updates, p_doc->'status_updates');
    get diagnostics n = row_count;
    kind := 'status updates'; restored := n; left_out := 0; return next;

    insert into reporting_periods select * from jsonb_populate_recordset(null::reporting_periods, p_doc->'reporting_periods');
    -- Snapshots may supersede one another: earlier ones first.
    insert into period_snapshots
    select x.* from jsonb_populate_recordset(null::period_snapshots, p_doc->'period_snapshots') x order by x.taken_at, x.id;
    get diagnostics n = row_count;
    kind := 'closed-quarter snapshots'; restored := n; left_out := 0; return next;
    insert into period_summaries select * from jsonb_populate_recordset(null::period_summaries, p_doc->'period_summaries');

    insert into risks select * from jsonb_populate_recordset(null::risks, p_doc->'risks');
    get diagnostics n = row_count;
    kind := 'risks'; restored := n; left_out := 0; return next;
    insert into risk_assessments (risk_id, committee_id, likelihood, impact, note, person_id, assessed_at, risk_version, subgroup_id)
    select x.risk_id, x.committee_id, x.likelihood, x.impact, x.note, x.person_id, x.assessed_at, x.risk_version, x.subgroup_id
      from jsonb_array_elements(p_doc->'risk_assessments') with ordinality e(j, n)
     cross join lateral jsonb_populate_record(null::risk_assessments, e.j) x
     order by e.n;
    total := jsonb_array_length(p_doc->'risk_actions');
    insert into risk_actions select x.* from jsonb_populate_recordset(null::risk_actions, p_doc->'risk_actions') x
     where exists (select 1 from actions a where a.id = x.action_id);
    get diagnostics n = row_count;
    kind := 'risks'' actions'; restored := n; left_out := total - n; return next;

    total := jsonb_array_length(p_doc->'protocol_ratifications');
    insert into protocol_ratifications
    select x.* from jsonb_populate_recordset(null::protocol_ratifications, p_doc->'protocol_ratifications') x
     where exists (select 1 from protocol_versions v where v.id = x.protocol_version_id);
    get diagnostics n = row_count;
    kind := 'protocol ratifications'; restored := n; left_out := total - n; return next;

    insert into audit_events (occurred_at, person_id, committee_id, subgroup_id, entity, entity_id, operation, summary, before, after)
    select x.occurred_at, x.person_id, x.committee_id, x.subgroup_id, x.entity, x.entity_id, x.operation, x.summary, x.before, x.after
      from jsonb_array_elements(p_doc->'audit_events') with ordinality e(j, n)
     cross join lateral jsonb_populate_record(null::audit_events, e.j) x
     order by e.n;
    get diagnostics n = row_count;
    kind := 'audit events'; restored := n; left_out := 0; return next;
end $$;
revoke all on function backup.export_committee(text), backup.restore_committee(jsonb) from public;
