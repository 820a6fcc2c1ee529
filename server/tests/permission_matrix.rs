//! The permission matrix: every page, server function and plain route × every kind of person
//! (DESIGN.md, "Who may do what"), with Clackmannanshire's objects as the target: its own
//! members, another committee's officers replaying the same form fields and ids, a Forth Valley
//! subgroup's chair, a platform admin and the public.
//!
//! The matrix enumerates the registered server functions and routes itself and fails when one
//! has no entry, so everything added later joins it. Refusals must carry the right status,
//! show nothing of Clackmannanshire's unpublished material, and change nothing in the database.

mod common;

use axum::http::StatusCode;
use common::{database_digest, TestApp};
use sqlx::PgPool;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    Anonymous,
    ClackMember,
    ClackContributor,
    ClackLead,
    FalkirkLead,
    StirlingMember,
    ProtocolsChair,
    /// Clackmannanshire contributor, Stirling member and IRD Steering Group member.
    TwoCommittees,
    Admin,
}

const ACTORS: [Actor; 9] = [
    Actor::Anonymous,
    Actor::ClackMember,
    Actor::ClackContributor,
    Actor::ClackLead,
    Actor::FalkirkLead,
    Actor::StirlingMember,
    Actor::ProtocolsChair,
    Actor::TwoCommittees,
    Actor::Admin,
];

impl Actor {
    fn email(self) -> Option<&'static str> {
        Some(match self {
            Actor::Anonymous => return None,
            Actor::ClackMember => "clacks.member@example.org",
            Actor::ClackContributor => "clacks.contributor@example.org",
            Actor::ClackLead => "clacks.lead@example.org",
            Actor::FalkirkLead => "falkirk.lead@example.org",
            Actor::StirlingMember => "stirling.member@example.org",
            Actor::ProtocolsChair => "chair.protocols@example.org",
            Actor::TwoCommittees => "both.committees@example.org",
            Actor::Admin => "admin@example.org",
        })
    }

    fn in_clackmannanshire(self) -> bool {
        matches!(self, Actor::ClackMember | Actor::ClackContributor | Actor::ClackLead | Actor::TwoCommittees)
    }
}

/// Who may, per DESIGN.md. Targets are always Clackmannanshire's.
#[derive(Clone, Copy, Debug)]
enum Rule {
    Everyone,
    SignedIn,
    /// Reading the draft plan: its members; for everyone else it does not exist.
    ReadsClackDraft,
    /// Committee-internal pages (audit): its members.
    ClackMembers,
    /// The member list: its members and platform admins.
    ClackMembersOrAdmin,
    /// Publishing the draft: its lead officers; members are refused, others cannot see it.
    ClackLeadOnDraft,
    /// Managing memberships: its lead officers and platform admins.
    ClackLeadOrAdmin,
    AdminOnly,
    /// Managing the FV Policies and Protocols subgroup's members: its chair and admins.
    ProtocolsChairOrAdmin,
    /// Updating an action of Clackmannanshire's draft: its contributors and lead officers;
    /// members are refused; for everyone else the action does not exist.
    ClackUpdatersOnDraft,
    /// Updating the FV Policies and Protocols subgroup's shared action: its members and chair
    /// (the Stirling member is added to it for the matrix), whatever their committees.
    ProtocolsSubgroupMembers,
    /// Creating a shared action of the FV Policies and Protocols subgroup: its chair only.
    ProtocolsChairOnly,
    /// Changing Clackmannanshire's published plan: its lead officers only.
    ClackLeadOnly,
}

fn expected(rule: Rule, actor: Actor) -> Result<(), StatusCode> {
    use Actor::*;
    let anon = actor == Anonymous;
    let clack = actor.in_clackmannanshire();
    let allow = |yes: bool, no: StatusCode| if yes { Ok(()) } else { Err(no) };
    match rule {
        Rule::Everyone => Ok(()),
        Rule::SignedIn => allow(!anon, StatusCode::UNAUTHORIZED),
        Rule::ReadsClackDraft => allow(clack, StatusCode::NOT_FOUND),
        _ if anon => Err(StatusCode::UNAUTHORIZED),
        Rule::ClackMembers => allow(clack, StatusCode::FORBIDDEN),
        Rule::ClackMembersOrAdmin => allow(clack || actor == Admin, StatusCode::FORBIDDEN),
        Rule::ClackLeadOnDraft => match actor {
            ClackLead => Ok(()),
            _ if clack => Err(StatusCode::FORBIDDEN),
            _ => Err(StatusCode::NOT_FOUND),
        },
        Rule::ClackLeadOrAdmin => allow(matches!(actor, ClackLead | Admin), StatusCode::FORBIDDEN),
        Rule::AdminOnly => allow(actor == Admin, StatusCode::FORBIDDEN),
        Rule::ProtocolsChairOrAdmin => allow(matches!(actor, ProtocolsChair | Admin), StatusCode::FORBIDDEN),
        Rule::ClackUpdatersOnDraft => match actor {
            ClackContributor | ClackLead | TwoCommittees => Ok(()),
            _ if clack => Err(StatusCode::FORBIDDEN),
            _ => Err(StatusCode::NOT_FOUND),
        },
        Rule::ProtocolsChairOnly => allow(actor == ProtocolsChair, StatusCode::FORBIDDEN),
        Rule::ClackLeadOnly => allow(actor == ClackLead, StatusCode::FORBIDDEN),
        Rule::ProtocolsSubgroupMembers => {
            allow(matches!(actor, ProtocolsChair | StirlingMember), StatusCode::FORBIDDEN)
        }
    }
}

/// Ids and values the requests replay: the same for every actor.
struct Targets {
    draft_action: String,
    draft_action_version: String,
    shared_action: String,
    shared_action_version: String,
    shared_placement_version: String,
    /// Parts of the draft (ids and versions) and a review of it.
    draft_priority: String,
    draft_outcome: String,
    draft_objective: String,
    draft_placement_version: String,
    draft_review: String,
    /// The current version of the FV Learning Review Protocol and Clackmannanshire's row on it.
    protocol_version: String,
    ratification_version: String,
    member: String,
    subgroup_member: String,
    token: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Page,
    /// A server function that reads.
    Read,
    /// A server function that changes something (each allowed call runs on its own copy of
    /// the database, so one actor's change cannot colour the next actor's result).
    Write,
}

struct Entry {
    /// The registered route or server function path.
    key: &'static str,
    kind: Kind,
    rule: Rule,
    /// The concrete path and form fields.
    request: fn(&Targets, Actor) -> (String, Vec<(&'static str, String)>),
}

const CLACK: &str = "clackmannanshire";
const DRAFT: &str = "2025-27";
const SUBGROUP: &str = "fv-policies-procedures-protocols";
const NEW_PASSWORD: &str = "a brand new passphrase";

fn s(v: &str) -> String {
    v.to_owned()
}

/// The draft plan's committee and slug, then `more`.
fn plan_fields(more: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    let mut fields = vec![("committee", s(CLACK)), ("plan", s(DRAFT))];
    fields.extend(more);
    fields
}

fn update_fields(action: &str, version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("action", s(action)),
        ("version", s(version)),
        ("status", s("A")),
        ("progress", s("Matrix progress")),
        ("evidence", s("")),
    ]
}

fn entries() -> Vec<Entry> {
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
        // Plan files: the workbook export, and importing an uploaded file into a new draft.
        Entry {
            key: "/committees/{committee}/plans/{plan}/export.xlsx",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |_, _| (format!("/committees/{CLACK}/plans/{DRAFT}/export.xlsx"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/plans/import",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/plans/import"), vec![]),
        },
        // The same address takes the file (a field named `file` goes as multipart: see `call`).
        Entry {
            key: "/committees/{committee}/plans/import",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (format!("/committees/{CLACK}/plans/import"), vec![(common::UPLOAD_FILE_FIELD, s(UPLOAD_CSV))])
            },
        },
        Entry {
            key: "/committees/{committee}/plans/import/{upload}",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/plans/import/{}", common::MATRIX_UPLOAD), vec![]),
        },
        Entry {
            key: "/api/plan_import_start",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (s("/api/plan_import_start"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/plan_import",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (s("/api/plan_import"), vec![("committee", s(CLACK)), ("upload", s(common::MATRIX_UPLOAD))])
            },
        },
        Entry {
            key: "/api/import_uploaded_plan",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (
                    s("/api/import_uploaded_plan"),
                    vec![
                        ("committee", s(CLACK)),
                        ("upload", s(common::MATRIX_UPLOAD)),
                        ("plan", s("2027-29")),
                        ("title", s("Matrix import")),
                    ],
                )
            },
        },
    ]
}

/// A plan file of one clean action, for the upload entry.
const UPLOAD_CSV: &str =
    "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\r\n\
                          Leadership,1,,1.1,Members know their role,Matrix upload,Lead Officer,,,,\r\n";

/// Text that only Clackmannanshire's members (or, for emails, admins) may ever see.
const DRAFT_SECRETS: [&str; 3] = ["2025-27 (draft)", "Co-design a feedback tool", "online sexual exploitation"];
const MEMBER_EMAIL: &str = "clacks.member@example.org";

fn assert_nothing_foreign(actor: Actor, key: &str, body: &str) {
    if !actor.in_clackmannanshire() {
        for secret in DRAFT_SECRETS {
            assert!(!body.contains(secret), "{actor:?} saw Clackmannanshire's draft ({secret:?}) at {key}");
        }
        if actor != Actor::Admin && key != "/api/sign_in" {
            assert!(!body.contains(MEMBER_EMAIL), "{actor:?} saw a Clackmannanshire member's email at {key}");
        }
    }
}

async fn call(
    app: &TestApp,
    entry: &Entry,
    targets: &Targets,
    actor: Actor,
    cookie: Option<&str>,
) -> common::TestResponse {
    let (path, fields) = (entry.request)(targets, actor);
    match entry.kind {
        Kind::Page => match cookie {
            Some(c) => app.get_with_cookie(&path, c).await,
            None => app.get(&path).await,
        },
        Kind::Read | Kind::Write => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            // A plan upload carries a file, so it goes as multipart/form-data.
            if fields.iter().any(|(k, _)| *k == common::UPLOAD_FILE_FIELD) {
                app.post_upload(&path, &fields, cookie).await
            } else {
                app.post(&path, &fields, cookie).await
            }
        }
    }
}

fn is_allowed_status(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_route_and_server_function_has_an_entry_and_enforces_it(pool: PgPool) {
    // Coverage first: the registered surface, not a list kept by hand.
    let mut registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    registered.extend(leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_owned()));
    registered.extend(server::routes::PLAIN_ROUTES.iter().map(|r| (*r).to_owned()));
    let entries = entries();
    let covered: BTreeSet<String> = entries.iter().map(|e| e.key.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(missing.is_empty(), "routes or server functions without a permission-matrix entry: {missing:?}");
    assert!(stale.is_empty(), "matrix entries for routes that no longer exist: {stale:?}");

    // The demo, every actor signed in once (sessions live in the database, so they carry over
    // into the copies below), a subgroup member to remove and an open invitation.
    let app = TestApp::with_demo(pool.clone()).await;
    let mut cookies = Vec::new();
    for actor in ACTORS {
        cookies.push(match actor.email() {
            Some(email) => Some(app.sign_in(email).await),
            None => None,
        });
    }
    let targets = setup_targets(&app.pool).await;

    // Everything denied, and every read, against one database: a refusal must change nothing.
    let mut checked = 0;
    let mut writes = Vec::new();
    for entry in &entries {
        for (actor, cookie) in ACTORS.iter().zip(cookies.iter_mut()) {
            let expect = expected(entry.rule, *actor);
            if entry.kind == Kind::Write && expect.is_ok() {
                writes.push((entry, *actor, cookie.clone()));
                continue;
            }
            let before = database_digest(&app.pool).await;
            let response = call(&app, entry, &targets, *actor, cookie.as_deref()).await;
            // As a browser would: a re-issued session id replaces the old one.
            if let (Some(renewed), false) = (response.session_cookie(), *actor == Actor::Anonymous) {
                *cookie = Some(renewed);
            }
            match expect {
                Ok(()) => assert!(
                    is_allowed_status(response.status),
                    "{actor:?} should be allowed {} but got {}: {}",
                    entry.key,
                    response.status,
                    &response.body[..response.body.len().min(300)]
                ),
                Err(status) => {
                    assert_eq!(
                        response.status,
                        status,
                        "{actor:?} at {}: {}",
                        entry.key,
                        &response.body[..response.body.len().min(300)]
                    );
                    assert_eq!(
                        database_digest(&app.pool).await,
                        before,
                        "{actor:?}'s refused {} changed the database",
                        entry.key
                    );
                }
            }
            assert_nothing_foreign(*actor, entry.key, &response.body);
            checked += 1;
        }
    }

    // Each allowed change on its own copy of that database.
    let template: String = sqlx::query_scalar("select current_database()::text").fetch_one(&app.pool).await.unwrap();
    let master_options = pool.connect_options().as_ref().clone().database("postgres");
    let master =
        sqlx::postgres::PgPoolOptions::new().max_connections(1).connect_with(master_options.clone()).await.unwrap();
    app.app_pool.close().await;
    app.pool.close().await;
    pool.close().await;
    for (n, (entry, actor, cookie)) in writes.iter().enumerate() {
        // Database names stop at 63 bytes; the template's is already long.
        let copy = format!("fv_matrix_{}_{n}", std::process::id());
        sqlx::query(&format!("create database \"{copy}\" template \"{template}\"")).execute(&master).await.unwrap();
        let owner = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect_with(master_options.clone().database(&copy))
            .await
            .unwrap();
        let copy_app = TestApp::new(owner.clone());
        let before = database_digest(&owner).await;
        let response = call(&copy_app, entry, &targets, *actor, cookie.as_deref()).await;
        assert!(
            is_allowed_status(response.status),
            "{actor:?} should be allowed {} but got {}: {}",
            entry.key,
            response.status,
            response.body
        );
        if entry.key != "/api/sign_out" {
            assert_ne!(database_digest(&owner).await, before, "{actor:?}'s {} changed nothing", entry.key);
        }
        assert_nothing_foreign(*actor, entry.key, &response.body);
        copy_app.app_pool.close().await;
        owner.close().await;
        drop_database(&master, &copy).await;
        checked += 1;
    }
    assert_eq!(checked, entries.len() * ACTORS.len());
}

async fn setup_targets(pool: &PgPool) -> Targets {
    common::stage_matrix_upload(pool).await;
    let id = |sql: &'static str| async move {
        sqlx::query_scalar::<_, uuid::Uuid>(sql).fetch_one(pool).await.unwrap().to_string()
    };
    let draft_action = id(
        "select pa.action_id from plan_actions pa join plans p on p.id = pa.plan_id where p.slug = '2025-27' limit 1",
    )
    .await;
    let member = id("select id from people where email = 'clacks.member@example.org'").await;
    let subgroup_member = id("select id from people where email = 'stirling.member@example.org'").await;
    sqlx::query(
        "insert into subgroup_memberships (person_id, subgroup_id, role)
         select $1::uuid, id, 'member' from subgroups where slug = $2",
    )
    .bind(&subgroup_member)
    .bind(SUBGROUP)
    .execute(pool)
    .await
    .unwrap();
    let (token, token_hash) = app::server::auth::token::new_token();
    sqlx::query(
        "with p as (insert into people (email, display_name) values ('invited@example.org', 'Invited Person') returning id)
         insert into invitations (person_id, token_hash, expires_at) select id, $1, now() + interval '1 day' from p",
    )
    .bind(&token_hash)
    .execute(pool)
    .await
    .unwrap();
    let draft_action_version =
        id_text(pool, "select version::text from actions where id = $1::uuid", &draft_action).await;
    let shared_action = id("select a.id from actions a join subgroups s on s.id = a.owner_subgroup_id
          where s.slug = 'fv-policies-procedures-protocols' order by a.id limit 1")
    .await;
    let shared_action_version =
        id_text(pool, "select version::text from actions where id = $1::uuid", &shared_action).await;
    let shared_placement_version = id_text(
        pool,
        "select pa.version::text from plan_actions pa join plans p on p.id = pa.plan_id
          where pa.action_id = $1::uuid and p.slug = '2023-25'",
        &shared_action,
    )
    .await;
    let draft_priority =
        id("select pr.id from priorities pr join plans p on p.id = pr.plan_id where p.slug = '2025-27' order by pr.position limit 1").await;
    let draft_outcome =
        id("select o.id from outcomes o join plans p on p.id = o.plan_id where p.slug = '2025-27' order by o.number limit 1").await;
    let draft_objective = id(
        "select ob.id from objectives ob join plans p on p.id = ob.plan_id where p.slug = '2025-27' order by ob.outcome_number, ob.minor limit 1",
    )
    .await;
    let draft_placement_version =
        id_text(pool, "select version::text from plan_actions where action_id = $1::uuid", &draft_action).await;
    let draft_review = id("insert into plan_reviews (plan_id, committee_id, reviewed_on, note)
         select id, committee_id, date '2026-01-15', 'Matrix review' from plans where slug = '2025-27' returning id")
    .await;
    let protocol_version = id(
        "select v.id from protocol_versions v join protocols p on p.id = v.protocol_id where p.slug = 'fv-learning-review-protocol'",
    )
    .await;
    let ratification_version = id_text(
        pool,
        "select r.version::text from protocol_ratifications r join committees c on c.id = r.committee_id
          where r.protocol_version_id = $1::uuid and c.slug = 'clackmannanshire'",
        &protocol_version,
    )
    .await;
    Targets {
        protocol_version,
        ratification_version,
        draft_priority,
        draft_outcome,
        draft_objective,
        draft_placement_version,
        draft_review,
        draft_action,
        draft_action_version,
        shared_action,
        shared_action_version,
        shared_placement_version,
        member,
        subgroup_member,
        token,
    }
}

async fn id_text(pool: &PgPool, sql: &'static str, bind: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).bind(bind).fetch_one(pool).await.unwrap()
}

/// Drops a copy once its last connection has gone (closing a pool ends its connections
/// asynchronously on the server side).
async fn drop_database(master: &PgPool, name: &str) {
    for _ in 0..100 {
        if sqlx::query(&format!("drop database if exists \"{name}\" with (force)")).execute(master).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("could not drop {name}");
}
