//! A plan's structure, reviews and comparison.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        Entry {
            key: "/committees/{committee}/plans/{plan}/edit",
            kind: Page,
            rule: Rule::ClackLeadOnDraft,
            request: |_, _| (format!("/committees/{CLACK}/plans/{DRAFT}/edit"), vec![]),
        },
        Entry {
            key: "/api/plan_editor",
            kind: Read,
            rule: Rule::ClackLeadOnDraft,
            request: |_, _| (s("/api/plan_editor"), plan_fields(vec![])),
        },
        Entry {
            key: "/committees/{committee}/plans/{plan}/compare/{review}",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |t, _| (format!("/committees/{CLACK}/plans/{DRAFT}/compare/{}", t.draft_review), vec![]),
        },
        Entry {
            key: "/api/compare_plan",
            kind: Read,
            rule: Rule::ReadsClackDraft,
            request: |t, _| (s("/api/compare_plan"), plan_fields(vec![("review", t.draft_review.clone())])),
        },
        Entry {
            key: "/api/add_part",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/add_part"),
                    plan_fields(vec![
                        ("kind", s("objective")),
                        ("parent", t.draft_outcome.clone()),
                        ("title", s("A new objective")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/rename_part",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/rename_part"),
                    plan_fields(vec![
                        ("kind", s("priority")),
                        ("id", t.draft_priority.clone()),
                        ("version", s("1")),
                        ("title", s("Renamed")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/retire_part",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/retire_part"),
                    plan_fields(vec![("kind", s("objective")), ("id", t.draft_objective.clone()), ("version", s("1"))]),
                )
            },
        },
        Entry {
            key: "/api/move_part",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/move_part"),
                    plan_fields(vec![
                        ("kind", s("priority")),
                        ("id", t.draft_priority.clone()),
                        ("version", s("1")),
                        ("direction", s("down")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/renumber_plan",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |_, _| (s("/api/renumber_plan"), plan_fields(vec![])),
        },
        Entry {
            key: "/api/add_plan_action",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/add_plan_action"),
                    plan_fields(vec![
                        ("objective", t.draft_objective.clone()),
                        ("description", s("A new action")),
                        ("lead", s("Lead officer")),
                        ("timescale", s("March 2027")),
                        ("evidence", s("")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/reword_action",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/reword_action"),
                    plan_fields(vec![
                        ("action", t.draft_action.clone()),
                        ("version", t.draft_action_version.clone()),
                        ("description", s("Re-worded action")),
                        ("lead", s("Lead officer")),
                        ("timescale", s("March 2027")),
                        ("evidence", s("")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/retire_action",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/retire_action"),
                    plan_fields(vec![
                        ("action", t.draft_action.clone()),
                        ("version", t.draft_placement_version.clone()),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/move_action",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |t, _| {
                (
                    s("/api/move_action"),
                    plan_fields(vec![
                        ("action", t.draft_action.clone()),
                        ("version", t.draft_placement_version.clone()),
                        ("direction", s("down")),
                    ]),
                )
            },
        },
        Entry {
            key: "/api/record_review",
            kind: Write,
            rule: Rule::ClackLeadOnDraft,
            request: |_, _| {
                (s("/api/record_review"), plan_fields(vec![("reviewed_on", s("2026-11-26")), ("note", s("Matrix"))]))
            },
        },
    ]
}
