//! Protocols, and sign-in links.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        Entry {
            key: "/protocols/{protocol}",
            kind: Page,
            rule: Rule::Everyone,
            request: |_, _| (s("/protocols/fv-learning-review-protocol"), vec![]),
        },
        Entry {
            key: "/api/protocol",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/protocol"), vec![("protocol", s("fv-learning-review-protocol"))]),
        },
        Entry {
            key: "/api/create_protocol",
            kind: Write,
            rule: Rule::ProtocolsSubgroupMembers,
            request: |_, _| {
                (
                    s("/api/create_protocol"),
                    vec![
                        ("subgroup", s(SUBGROUP)),
                        ("title", s("FV Neglect Toolkit")),
                        ("summary", s("")),
                        ("owner_name", s("")),
                        ("label", s("Version 1")),
                        ("document_url", s("https://example.org/neglect.pdf")),
                        ("body", s("")),
                        ("review_due_on", s("2028-01-31")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/add_protocol_version",
            kind: Write,
            rule: Rule::ProtocolsSubgroupMembers,
            request: |_, _| {
                (
                    s("/api/add_protocol_version"),
                    vec![
                        ("protocol", s("fv-learning-review-protocol")),
                        ("label", s("3.0")),
                        ("document_url", s("")),
                        ("body", s("The revised protocol text.")),
                        ("review_due_on", s("")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/record_ratification",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/record_ratification"),
                    vec![
                        ("protocol_version", t.protocol_version.clone()),
                        ("committee", s(CLACK)),
                        ("state", s("declined")),
                        ("decided_on", s("2026-11-20")),
                        ("reason", s("Awaiting legal advice")),
                        ("version", t.ratification_version.clone()),
                    ],
                )
            },
        },
        Entry {
            key: "/api/link_protocol",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/link_protocol"),
                    vec![
                        ("action", t.draft_action.clone()),
                        ("protocol", s("fv-learning-review-protocol")),
                        ("linked", s("true")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/issue_sign_in_link",
            kind: Write,
            rule: Rule::AdminOnly,
            request: |t, _| (s("/api/issue_sign_in_link"), vec![("person", t.member.clone())]),
        },
        Entry {
            key: "/api/deactivate_person",
            kind: Write,
            rule: Rule::AdminOnly,
            request: |t, _| (s("/api/deactivate_person"), vec![("person", t.leaver.clone())]),
        },
    ]
}
