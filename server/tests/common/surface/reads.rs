//! Server functions that read, and signing in (which creates a session and changes nothing else).

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        // Server functions that read.
        Entry { key: "/api/overview", kind: Read, rule: Rule::Everyone, request: |_, _| (s("/api/overview"), vec![]) },
        Entry {
            key: "/api/committee",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/committee"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/plan",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |_, _| (s("/api/plan"), vec![("committee", s(CLACK)), ("plan", s(DRAFT))]),
        },
        Entry {
            key: "/api/action",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |t, _| {
                (
                    s("/api/action"),
                    vec![("committee", s(CLACK)), ("plan", s(DRAFT)), ("action", t.draft_action.clone())],
                )
            },
        },
        Entry {
            key: "/api/subgroup",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/subgroup"), vec![("subgroup", s(SUBGROUP))]),
        },
        Entry {
            key: "/api/protocols",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/protocols"), vec![]),
        },
        Entry {
            key: "/api/members",
            kind: Read,
            rule: Rule::ClackMembersOrAdmin,
            request: |_, _| (s("/api/members"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/audit",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |_, _| (s("/api/audit"), vec![("committee", s(CLACK))]),
        },
        Entry { key: "/api/admin", kind: Read, rule: Rule::AdminOnly, request: |_, _| (s("/api/admin"), vec![]) },
        Entry {
            key: "/api/invitation",
            kind: Read,
            rule: Rule::Everyone,
            request: |t, _| (s("/api/invitation"), vec![("token", t.token.clone())]),
        },
        // Dashboards: published plans for everyone, drafts for members (tests/dashboards.rs).
        Entry {
            key: "/api/committee_dashboard",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/committee_dashboard"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/subgroup_dashboard",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/subgroup_dashboard"), vec![("subgroup", s(SUBGROUP))]),
        },
        // What live views fetch when an event names something private.
        Entry {
            key: "/api/live_action",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |t, _| (s("/api/live_action"), vec![("id", t.draft_action.clone())]),
        },
        Entry {
            key: "/api/live_plan_counts",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |t, _| (s("/api/live_plan_counts"), vec![("plan", t.draft_plan.clone())]),
        },
        Entry {
            key: "/api/action_changes_since",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |t, _| {
                (s("/api/action_changes_since"), vec![("action", t.draft_action.clone()), ("version", s("0"))])
            },
        },
        // Signing in creates a session and changes nothing else.
        Entry {
            key: "/api/sign_in",
            kind: Read,
            rule: Rule::Everyone,
            // Signing in again as oneself (the public signs in as a Clackmannanshire member).
            request: |_, actor| {
                let email = actor.email().unwrap_or(MEMBER_EMAIL);
                (s("/api/sign_in"), vec![("email", s(email)), ("password", s(server::demo::DEMO_PASSWORD))])
            },
        },
    ]
}
