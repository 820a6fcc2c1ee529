//! Updating actions, and shared actions.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        Entry {
            key: "/api/update_action",
            kind: Write,
            rule: Rule::ClackUpdatersOnDraft,
            request: |t, _| (s("/api/update_action"), update_fields(&t.draft_action, &t.draft_action_version)),
        },
        Entry {
            key: "/api/update_action",
            kind: Write,
            rule: Rule::ProtocolsSubgroupMembers,
            request: |t, _| (s("/api/update_action"), update_fields(&t.shared_action, &t.shared_action_version)),
        },
        Entry {
            key: "/api/create_shared_action",
            kind: Write,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                (
                    s("/api/create_shared_action"),
                    vec![
                        ("subgroup", s(SUBGROUP)),
                        ("description", s("Agree one Forth Valley chronology template")),
                        ("lead", s("FV Policies subgroup")),
                        ("timescale", s("June 2026")),
                        ("evidence", s("")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/adopt_action",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/adopt_action"),
                    vec![("action", t.shared_action.clone()), ("placement", format!("{CLACK}/{DRAFT}/1.1"))],
                )
            },
        },
        Entry {
            key: "/api/stop_adopting",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/stop_adopting"),
                    vec![
                        ("committee", s(CLACK)),
                        ("plan", s("2023-25")),
                        ("action", t.shared_action.clone()),
                        ("version", t.shared_placement_version.clone()),
                    ],
                )
            },
        },
    ]
}
