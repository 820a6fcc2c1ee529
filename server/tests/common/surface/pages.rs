//! Pages and plain routes.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        // Pages and plain routes.
        Entry { key: "/", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/"), vec![]) },
        Entry {
            key: "/committees/{committee}",
            kind: Page,
            rule: Rule::Everyone,
            request: |_, _| (format!("/committees/{CLACK}"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/plans/{plan}",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |_, _| (format!("/committees/{CLACK}/plans/{DRAFT}"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/plans/{plan}/actions/{action}",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |t, _| (format!("/committees/{CLACK}/plans/{DRAFT}/actions/{}", t.draft_action), vec![]),
        },
        Entry {
            key: "/committees/{committee}/plans/{plan}/export.csv",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |_, _| (format!("/committees/{CLACK}/plans/{DRAFT}/export.csv"), vec![]),
        },
        Entry {
            key: "/subgroups/{subgroup}",
            kind: Page,
            rule: Rule::Everyone,
            request: |_, _| (format!("/subgroups/{SUBGROUP}"), vec![]),
        },
        Entry { key: "/protocols", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/protocols"), vec![]) },
        Entry {
            key: "/accessibility",
            kind: Page,
            rule: Rule::Everyone,
            request: |_, _| (s("/accessibility"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/members",
            kind: Page,
            rule: Rule::ClackMembersOrAdmin,
            request: |_, _| (format!("/committees/{CLACK}/members"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/audit",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |_, _| (format!("/committees/{CLACK}/audit"), vec![]),
        },
        Entry { key: "/sign-in", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/sign-in"), vec![]) },
        Entry { key: "/account", kind: Page, rule: Rule::SignedIn, request: |_, _| (s("/account"), vec![]) },
        Entry { key: "/me", kind: Page, rule: Rule::SignedIn, request: |_, _| (s("/me"), vec![]) },
        Entry { key: "/api/my_work", kind: Read, rule: Rule::SignedIn, request: |_, _| (s("/api/my_work"), vec![]) },
        Entry {
            key: "/invitations/{token}",
            kind: Page,
            rule: Rule::Everyone,
            request: |t, _| (format!("/invitations/{}", t.token), vec![]),
        },
        Entry { key: "/admin", kind: Page, rule: Rule::AdminOnly, request: |_, _| (s("/admin"), vec![]) },
        Entry { key: "/healthz", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/healthz"), vec![]) },
        // The live stream opens for everyone; what it carries is each viewer's (tests/live.rs).
        Entry { key: "/live", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/live"), vec![]) },
    ]
}
