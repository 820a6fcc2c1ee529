-- Plan files uploaded in the app, held while the lead officer who uploaded them checks the
-- preview. Nothing here is part of a plan: confirming an upload imports it into a new draft
-- plan (in the same transaction the upload is deleted), and an upload not confirmed within a
-- day is dropped by the next upload to the same committee.
create table plan_imports (
    id           uuid primary key default gen_random_uuid(),
    committee_id uuid not null references committees (id) on delete cascade,
    person_id    uuid not null references people (id) on delete cascade,
    file_name    text not null check (length(file_name) between 1 and 255),
    format       text not null check (format in ('csv', 'xlsx')),
    -- The rows as read (spreadsheet row number and the eleven cells) and every problem found
    -- (row, column, message): what the preview shows, and what an import re-validates.
    rows         jsonb not null check (jsonb_typeof(rows) = 'array'),
    problems     jsonb not null check (jsonb_typeof(problems) = 'array'),
    action_count integer not null check (action_count >= 0),
    created_at   timestamptz not null default now()
);

-- The preview and the import look an upload up by id within the committee; expiring scans a
-- committee's uploads by age; deleting a person cascades through person_id.
create index plan_imports_committee_created_idx on plan_imports (committee_id, created_at);
create index plan_imports_person_idx on plan_imports (person_id);

-- An upload is its uploader's alone, and only while they are a lead officer of the committee.
-- Any of the committee's lead officers may clear away uploads that have expired (a DELETE
-- with a WHERE clause must also pass a SELECT policy, hence the pair).
alter table plan_imports enable row level security;
alter table plan_imports force row level security;
create policy plan_imports_own on plan_imports for all
    using (person_id = (select app.person())
           and committee_id = any ((select app.committees('lead_officer'))::uuid[]))
    with check (person_id = (select app.person())
                and committee_id = any ((select app.committees('lead_officer'))::uuid[]));
create policy plan_imports_expired_read on plan_imports for select
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[])
           and created_at < now() - interval '24 hours');
create policy plan_imports_expired_delete on plan_imports for delete
    using (committee_id = any ((select app.committees('lead_officer'))::uuid[])
           and created_at < now() - interval '24 hours');

grant select, insert, delete on plan_imports to fv_app;
