//! Server functions that change accounts, memberships, committees and subgroups.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        // Server functions that change something.
        Entry { key: "/api/sign_out", kind: Write, rule: Rule::Everyone, request: |_, _| (s("/api/sign_out"), vec![]) },
        Entry {
            key: "/api/change_password",
            kind: Write,
            rule: Rule::SignedIn,
            request: |_, _| {
                (
                    s("/api/change_password"),
                    vec![
                        ("current_password", s(server::demo::DEMO_PASSWORD)),
                        ("password", s(NEW_PASSWORD)),
                        ("confirm", s(NEW_PASSWORD)),
                    ],
                )
            },
        },
        Entry {
            key: "/api/accept_invitation",
            kind: Write,
            rule: Rule::Everyone,
            request: |t, _| {
                (
                    s("/api/accept_invitation"),
                    vec![("token", t.token.clone()), ("password", s(NEW_PASSWORD)), ("confirm", s(NEW_PASSWORD))],
                )
            },
        },
        Entry {
            key: "/api/publish_plan",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |_, _| (s("/api/publish_plan"), vec![("committee", s(CLACK)), ("plan", s(DRAFT))]),
        },
        Entry {
            key: "/api/invite_member",
            kind: Write,
            rule: Rule::ClackLeadOrAdmin,
            request: |_, _| {
                (
                    s("/api/invite_member"),
                    vec![
                        ("committee", s(CLACK)),
                        ("email", s("new.officer@example.org")),
                        ("display_name", s("New Officer")),
                        ("role", s("lead_officer")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/change_member_role",
            kind: Write,
            rule: Rule::ClackLeadOrAdmin,
            request: |t, _| {
                (
                    s("/api/change_member_role"),
                    vec![("committee", s(CLACK)), ("person", t.member.clone()), ("role", s("lead_officer"))],
                )
            },
        },
        Entry {
            key: "/api/remove_member",
            kind: Write,
            rule: Rule::ClackLeadOrAdmin,
            request: |t, _| (s("/api/remove_member"), vec![("committee", s(CLACK)), ("person", t.member.clone())]),
        },
        Entry {
            key: "/api/create_committee",
            kind: Write,
            rule: Rule::AdminOnly,
            request: |_, _| {
                (
                    s("/api/create_committee"),
                    vec![
                        ("name", s("West Lothian CPC")),
                        ("short_name", s("West Lothian")),
                        ("slug", s("west-lothian")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/create_subgroup",
            kind: Write,
            rule: Rule::AdminOnly,
            request: |_, _| {
                (
                    s("/api/create_subgroup"),
                    vec![("name", s("FV Data Subgroup")), ("short_name", s("FV Data")), ("slug", s("fv-data"))],
                )
            },
        },
        Entry {
            key: "/api/add_subgroup_member",
            kind: Write,
            rule: Rule::ProtocolsChairOrAdmin,
            request: |_, _| {
                (
                    s("/api/add_subgroup_member"),
                    vec![
                        ("subgroup", s(SUBGROUP)),
                        ("email", s("new.member@example.org")),
                        ("display_name", s("New Member")),
                        ("role", s("member")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/remove_subgroup_member",
            kind: Write,
            rule: Rule::ProtocolsChairOrAdmin,
            request: |t, _| {
                (
                    s("/api/remove_subgroup_member"),
                    vec![("subgroup", s(SUBGROUP)), ("person", t.subgroup_member.clone())],
                )
            },
        },
    ]
}
