-- The whole domain of DESIGN.md. House style: uuid keys, timestamptz not null default now(),
-- codes guarded by check constraints, an index for every lookup path, deliberate on-delete
-- rules (plans and their structure go with their committee; history and audit never cascade).
-- Tables that hold committee data carry committee_id themselves so tenant scoping (and the
-- row-level security of the accounts issue) never needs a join.

create table regions (
    id          uuid primary key default gen_random_uuid(),
    slug        text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text not null check (length(btrim(name)) > 0),
    created_at  timestamptz not null default now()
);

create table committees (
    id            uuid primary key default gen_random_uuid(),
    region_id     uuid not null references regions (id) on delete restrict,
    slug          text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name          text not null check (length(btrim(name)) > 0),
    short_name    text not null check (length(btrim(short_name)) > 0),
    -- Which council areas a committee covers has changed over time: data, not code.
    council_areas text[] not null default '{}',
    cog_name      text not null default '',
    is_sample     boolean not null default false,
    created_at    timestamptz not null default now()
);
create index committees_region_idx on committees (region_id);

create table agencies (
    id          uuid primary key default gen_random_uuid(),
    name        text not null unique check (length(btrim(name)) > 0),
    kind        text not null check (kind in ('nhs', 'police', 'council', 'third_sector', 'other')),
    created_at  timestamptz not null default now()
);

create table people (
    id                uuid primary key default gen_random_uuid(),
    email             text not null check (email ~ '^[^@\s]+@[^@\s]+$'),
    display_name      text not null check (length(btrim(display_name)) > 0),
    agency_id         uuid references agencies (id) on delete set null,
    password_hash     text,
    is_platform_admin boolean not null default false,
    created_at        timestamptz not null default now()
);
create unique index people_email_key on people (lower(email));
create index people_agency_idx on people (agency_id);

create table committee_memberships (
    person_id    uuid not null references people (id) on delete cascade,
    committee_id uuid not null references committees (id) on delete cascade,
    role         text not null check (role in ('member', 'contributor', 'lead_officer')),
    created_at   timestamptz not null default now(),
    primary key (person_id, committee_id)
);
create index committee_memberships_committee_idx on committee_memberships (committee_id);

create table subgroups (
    id           uuid primary key default gen_random_uuid(),
    region_id    uuid not null references regions (id) on delete restrict,
    -- A local subgroup belongs to one committee; a regional one has none here and lists its
    -- participating committees in subgroup_committees.
    committee_id uuid references committees (id) on delete cascade,
    slug         text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name         text not null check (length(btrim(name)) > 0),
    short_name   text not null check (length(btrim(short_name)) > 0),
    -- Other spellings of the name used in plans' lead columns, for linking leads to subgroups.
    aliases      text[] not null default '{}',
    scope        text not null check (scope in ('regional', 'local')),
    created_at   timestamptz not null default now(),
    unique (region_id, slug),
    check ((scope = 'local') = (committee_id is not null))
);
create index subgroups_committee_idx on subgroups (committee_id);

create table subgroup_committees (
    subgroup_id  uuid not null references subgroups (id) on delete cascade,
    committee_id uuid not null references committees (id) on delete cascade,
    created_at   timestamptz not null default now(),
    primary key (subgroup_id, committee_id)
);
create index subgroup_committees_committee_idx on subgroup_committees (committee_id);

create table subgroup_memberships (
    person_id   uuid not null references people (id) on delete cascade,
    subgroup_id uuid not null references subgroups (id) on delete cascade,
    role        text not null check (role in ('member', 'chair')),
    created_at  timestamptz not null default now(),
    primary key (person_id, subgroup_id)
);
create index subgroup_memberships_subgroup_idx on subgroup_memberships (subgroup_id);

create table plans (
    id           uuid primary key default gen_random_uuid(),
    committee_id uuid not null references committees (id) on delete cascade,
    -- The slug is the plan's period, e.g. 2023-25.
    slug         text not null check (slug ~ '^[0-9]{4}-[0-9]{2}$'),
    title        text not null check (length(btrim(title)) > 0),
    status       text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    is_sample    boolean not null default false,
    version      integer not null default 1 check (version > 0),
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (committee_id, slug),
    unique (id, committee_id)
);

create table plan_reviews (
    id           uuid primary key default gen_random_uuid(),
    plan_id      uuid not null references plans (id) on delete cascade,
    reviewed_on  date not null,
    note         text not null default '',
    created_by   uuid references people (id) on delete set null,
    created_at   timestamptz not null default now()
);
create index plan_reviews_plan_idx on plan_reviews (plan_id, reviewed_on);

create table priorities (
    id           uuid primary key default gen_random_uuid(),
    plan_id      uuid not null,
    committee_id uuid not null,
    position     integer not null check (position > 0),
    title        text not null check (length(btrim(title)) > 0),
    retired_at   timestamptz,
    created_at   timestamptz not null default now(),
    foreign key (plan_id, committee_id) references plans (id, committee_id) on delete cascade,
    unique (plan_id, position) deferrable initially immediate,
    unique (id, plan_id)
);

create table outcomes (
    id           uuid primary key default gen_random_uuid(),
    plan_id      uuid not null,
    committee_id uuid not null,
    priority_id  uuid not null,
    number       integer not null check (number > 0),
    -- Some outcomes carry no statement in their source (Clackmannanshire outcomes 1 and 8).
    title        text not null default '',
    retired_at   timestamptz,
    created_at   timestamptz not null default now(),
    foreign key (plan_id, committee_id) references plans (id, committee_id) on delete cascade,
    foreign key (priority_id, plan_id) references priorities (id, plan_id) on delete cascade,
    unique (plan_id, number) deferrable initially immediate,
    unique (id, plan_id),
    unique (id, number)
);
create index outcomes_priority_idx on outcomes (priority_id);

create table objectives (
    id             uuid primary key default gen_random_uuid(),
    plan_id        uuid not null,
    committee_id   uuid not null,
    outcome_id     uuid not null,
    -- An objective's number is "<outcome>.<minor>"; the outcome part is checked against the
    -- outcome itself and follows it when outcomes are renumbered.
    outcome_number integer not null,
    minor          integer not null check (minor > 0),
    title          text not null check (length(btrim(title)) > 0),
    retired_at     timestamptz,
    created_at     timestamptz not null default now(),
    foreign key (plan_id, committee_id) references plans (id, committee_id) on delete cascade,
    foreign key (outcome_id, plan_id) references outcomes (id, plan_id) on delete cascade,
    foreign key (outcome_id, outcome_number) references outcomes (id, number)
        on delete cascade on update cascade,
    unique (plan_id, outcome_number, minor) deferrable initially immediate,
    unique (id, plan_id)
);
create index objectives_outcome_idx on objectives (outcome_id);

create table actions (
    id                 uuid primary key default gen_random_uuid(),
    -- Owned by exactly one committee or one subgroup. Subgroup-owned actions are shared:
    -- one record, placed into every adopting plan through plan_actions.
    owner_committee_id uuid references committees (id) on delete cascade,
    owner_subgroup_id  uuid references subgroups (id) on delete cascade,
    description        text not null check (length(btrim(description)) > 0),
    lead               text not null default '',
    timescale          text not null default '',
    due_on             date,
    evidence           text not null default '',
    progress           text not null default '',
    -- null = not yet assessed.
    status             char(1) check (status in ('G', 'A', 'R', 'P')),
    -- A change to R records a revised timescale and a reason; `timescale` keeps the original.
    revised_timescale  text,
    revision_reason    text,
    version            integer not null default 1 check (version > 0),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check ((owner_committee_id is null) <> (owner_subgroup_id is null))
);
create index actions_owner_committee_idx on actions (owner_committee_id);
create index actions_owner_subgroup_idx on actions (owner_subgroup_id);

-- An action placed in a plan under one of that plan's objectives, with the plan's own number.
create table plan_actions (
    id           uuid primary key default gen_random_uuid(),
    plan_id      uuid not null,
    committee_id uuid not null,
    objective_id uuid not null,
    action_id    uuid not null references actions (id) on delete cascade,
    position     integer not null check (position > 0),
    local_note   text not null default '',
    adopted_at   timestamptz not null default now(),
    retired_at   timestamptz,
    foreign key (plan_id, committee_id) references plans (id, committee_id) on delete cascade,
    foreign key (objective_id, plan_id) references objectives (id, plan_id) on delete cascade,
    unique (objective_id, position) deferrable initially immediate,
    unique (plan_id, action_id)
);
create index plan_actions_plan_idx on plan_actions (plan_id);
create index plan_actions_action_idx on plan_actions (action_id);
create index plan_actions_committee_idx on plan_actions (committee_id);

-- Leads are the source's free text plus links to the subgroups and people they name.
create table action_subgroups (
    action_id   uuid not null references actions (id) on delete cascade,
    subgroup_id uuid not null references subgroups (id) on delete cascade,
    primary key (action_id, subgroup_id)
);
create index action_subgroups_subgroup_idx on action_subgroups (subgroup_id);

create table action_people (
    action_id uuid not null references actions (id) on delete cascade,
    person_id uuid not null references people (id) on delete cascade,
    primary key (action_id, person_id)
);
create index action_people_person_idx on action_people (person_id);

create table status_updates (
    id                uuid primary key default gen_random_uuid(),
    action_id         uuid not null references actions (id) on delete restrict,
    person_id         uuid references people (id) on delete set null,
    from_status       char(1) check (from_status in ('G', 'A', 'R', 'P')),
    to_status         char(1) check (to_status in ('G', 'A', 'R', 'P')),
    from_progress     text not null default '',
    to_progress       text not null default '',
    revised_timescale text,
    reason            text,
    note              text not null default '',
    created_at        timestamptz not null default now()
);
create index status_updates_action_idx on status_updates (action_id, created_at);

create table protocols (
    id                uuid primary key default gen_random_uuid(),
    region_id         uuid not null references regions (id) on delete restrict,
    owner_subgroup_id uuid references subgroups (id) on delete set null,
    slug              text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title             text not null check (length(btrim(title)) > 0),
    summary           text not null default '',
    is_public         boolean not null default true,
    created_at        timestamptz not null default now(),
    unique (region_id, slug)
);
create index protocols_owner_subgroup_idx on protocols (owner_subgroup_id);

create table protocol_versions (
    id            uuid primary key default gen_random_uuid(),
    protocol_id   uuid not null references protocols (id) on delete cascade,
    label         text not null check (length(btrim(label)) > 0),
    document_url  text,
    body          text not null default '',
    effective_on  date,
    review_due_on date,
    created_at    timestamptz not null default now(),
    unique (protocol_id, label)
);
create index protocol_versions_protocol_idx on protocol_versions (protocol_id, created_at);

create table protocol_ratifications (
    protocol_version_id uuid not null references protocol_versions (id) on delete cascade,
    committee_id        uuid not null references committees (id) on delete cascade,
    state               text not null default 'pending' check (state in ('pending', 'ratified', 'declined')),
    decided_on          date,
    reason              text,
    updated_at          timestamptz not null default now(),
    primary key (protocol_version_id, committee_id),
    check (state = 'pending' or decided_on is not null),
    check (state <> 'declined' or length(btrim(coalesce(reason, ''))) > 0)
);
create index protocol_ratifications_committee_idx on protocol_ratifications (committee_id);

create table action_protocols (
    action_id   uuid not null references actions (id) on delete cascade,
    protocol_id uuid not null references protocols (id) on delete cascade,
    primary key (action_id, protocol_id)
);
create index action_protocols_protocol_idx on action_protocols (protocol_id);

-- Append-only record of every change. No foreign keys on purpose: the trail outlives what it
-- describes.
create table audit_events (
    id           bigint generated always as identity primary key,
    occurred_at  timestamptz not null default now(),
    person_id    uuid,
    committee_id uuid,
    subgroup_id  uuid,
    entity       text not null,
    entity_id    uuid,
    operation    text not null check (operation in ('insert', 'update', 'delete')),
    summary      text not null default '',
    before       jsonb,
    after        jsonb
);
create index audit_events_committee_idx on audit_events (committee_id, occurred_at);
create index audit_events_entity_idx on audit_events (entity, entity_id);
