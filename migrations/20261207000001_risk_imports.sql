-- Risk register files uploaded in the app, held while the person who uploaded them checks the
-- preview: as plan_imports, for a committee's register (its lead officers) or a subgroup's (its
-- chair). Nothing here is in a register: confirming an upload adds its risks (and deletes the
-- upload in the same transaction); an upload not confirmed within a day is dropped by the
-- uploader's next upload to the same register.
create table risk_imports (
    id              uuid primary key default gen_random_uuid(),
    committee_id    uuid references committees (id) on delete cascade,
    subgroup_id     uuid references subgroups (id) on delete cascade,
    person_id       uuid not null references people (id) on delete cascade,
    file_name       text not null check (length(file_name) between 1 and 255),
    format          text not null check (format in ('csv', 'xlsx')),
    -- The rows as read, placed in the format's fields (row number and eleven cells), every
    -- problem found (row, column, message) and the file's columns that are not imported.
    rows            jsonb not null check (jsonb_typeof(rows) = 'array'),
    problems        jsonb not null check (jsonb_typeof(problems) = 'array'),
    ignored_columns jsonb not null check (jsonb_typeof(ignored_columns) = 'array'),
    risk_count      integer not null check (risk_count >= 0),
    created_at      timestamptz not null default now(),
    constraint risk_imports_one_holder check ((committee_id is null) <> (subgroup_id is null))
);

create index risk_imports_committee_idx on risk_imports (committee_id, created_at) where committee_id is not null;
create index risk_imports_subgroup_idx on risk_imports (subgroup_id, created_at) where subgroup_id is not null;
create index risk_imports_person_idx on risk_imports (person_id);

-- An upload is its uploader's alone, and only while they may add risks to the register.
alter table risk_imports enable row level security;
alter table risk_imports force row level security;
create policy risk_imports_own on risk_imports for all
    using (person_id = (select app.person())
           and (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                or subgroup_id = any ((select app.subgroups('chair'))::uuid[])))
    with check (person_id = (select app.person())
                and (committee_id = any ((select app.committees('lead_officer'))::uuid[])
                     or subgroup_id = any ((select app.subgroups('chair'))::uuid[])));

grant select, insert, delete on risk_imports to fv_app;
