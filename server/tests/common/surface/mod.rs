//! What the site offers, as the permission matrix and the fuzz tests enumerate it: every page,
//! server function and plain route, with concrete requests replaying Clackmannanshire's ids
//! (`entries`), who may make them (`Rule`, `expected`), the demo's kinds of person (`Actor`)
//! and the ids they use (`Targets`, made by `setup_targets`).

mod accounts;
mod actions;
mod files;
mod pages;
mod protocols;
mod quarterly;
mod reads;
mod structure;
mod two_step;

use super::TestApp;
use axum::http::StatusCode;
use sqlx::PgPool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
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

pub const ACTORS: [Actor; 9] = [
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
    pub fn email(self) -> Option<&'static str> {
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

    pub fn in_clackmannanshire(self) -> bool {
        matches!(self, Actor::ClackMember | Actor::ClackContributor | Actor::ClackLead | Actor::TwoCommittees)
    }
}

/// Who may, per DESIGN.md. Targets are always Clackmannanshire's.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
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
    /// Assessing Clackmannanshire's risks: its contributors and lead officers.
    ClackUpdaters,
    /// Reading the FV Policies and Protocols subgroup's risk register: its members and chair,
    /// and the lead officers of its committees.
    ProtocolsRegisterReaders,
}

pub fn expected(rule: Rule, actor: Actor) -> Result<(), StatusCode> {
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
        Rule::ClackUpdaters => {
            allow(matches!(actor, ClackContributor | ClackLead | TwoCommittees), StatusCode::FORBIDDEN)
        }
        Rule::ProtocolsSubgroupMembers => {
            allow(matches!(actor, ProtocolsChair | StirlingMember), StatusCode::FORBIDDEN)
        }
        Rule::ProtocolsRegisterReaders => {
            allow(matches!(actor, ProtocolsChair | StirlingMember | ClackLead | FalkirkLead), StatusCode::FORBIDDEN)
        }
    }
}

/// Ids and values the requests replay: the same for every actor.
pub struct Targets {
    pub draft_action: String,
    pub draft_action_version: String,
    pub shared_action: String,
    pub shared_action_version: String,
    pub shared_placement_version: String,
    /// Parts of the draft (ids and versions) and a review of it.
    pub draft_priority: String,
    pub draft_outcome: String,
    pub draft_objective: String,
    pub draft_placement_version: String,
    pub draft_review: String,
    pub draft_plan: String,
    /// The current version of the FV Learning Review Protocol and Clackmannanshire's row on it.
    pub protocol_version: String,
    pub ratification_version: String,
    pub member: String,
    pub subgroup_member: String,
    pub token: String,
    /// Clackmannanshire's risk (its version), the action linked to it, last quarter (closed)
    /// and this quarter (open, with its dates).
    pub risk: String,
    pub risk_version: String,
    /// A risk in the FV Policies and Protocols subgroup's register (its version).
    pub subgroup_risk: String,
    pub subgroup_risk_version: String,
    pub linked_action: String,
    pub closed_period: String,
    pub earlier_period: String,
    pub open_period: String,
    pub open_starts: String,
    pub open_ends: String,
    /// Someone no actor is, for deactivating: falkirk.member@example.org.
    pub leaver: String,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Page,
    /// A server function that reads.
    Read,
    /// A server function that changes something (each allowed call runs on its own copy of
    /// the database, so one actor's change cannot colour the next actor's result).
    Write,
}

/// The concrete path and form fields an entry sends, for the given targets and actor.
pub type Request = fn(&Targets, Actor) -> (String, Vec<(&'static str, String)>);

pub struct Entry {
    /// The registered route or server function path.
    pub key: &'static str,
    pub kind: Kind,
    pub rule: Rule,
    /// The concrete path and form fields.
    pub request: Request,
}

pub const CLACK: &str = "clackmannanshire";
pub const DRAFT: &str = "2025-27";
pub const SUBGROUP: &str = "fv-policies-procedures-protocols";
pub const NEW_PASSWORD: &str = "a brand new passphrase";
/// The two-step secret every actor is setting up, and the leaver has on.
pub const MATRIX_TWO_STEP_SECRET: &[u8] = b"matrix secret, 20 b.";

pub fn s(v: &str) -> String {
    v.to_owned()
}

/// The draft plan's committee and slug, then `more`.
pub fn plan_fields(more: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    let mut fields = vec![("committee", s(CLACK)), ("plan", s(DRAFT))];
    fields.extend(more);
    fields
}

pub fn update_fields(action: &str, version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("action", s(action)),
        ("version", s(version)),
        ("status", s("A")),
        ("progress", s("Matrix progress")),
        ("evidence", s("")),
    ]
}

/// Every entry, in the order the matrix reports them.
pub fn entries() -> Vec<Entry> {
    [
        pages::entries(),
        reads::entries(),
        accounts::entries(),
        actions::entries(),
        structure::entries(),
        protocols::entries(),
        files::entries(),
        quarterly::entries(),
        two_step::entries(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A plan file of one clean action, for the upload entry.
pub const UPLOAD_CSV: &str =
    "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\r\n\
                          Leadership,1,,1.1,Members know their role,Matrix upload,Lead Officer,,,,\r\n";

/// Text that only Clackmannanshire's members (or, for emails, admins) may ever see.
pub const DRAFT_SECRETS: [&str; 3] = ["2025-27 (draft)", "Co-design a feedback tool", "online sexual exploitation"];
pub const MEMBER_EMAIL: &str = "clacks.member@example.org";

pub fn assert_nothing_foreign(actor: Actor, key: &str, body: &str) {
    if !actor.in_clackmannanshire() {
        for secret in DRAFT_SECRETS {
            assert!(!body.contains(secret), "{actor:?} saw Clackmannanshire's draft ({secret:?}) at {key}");
        }
        if actor != Actor::Admin && key != "/api/sign_in" {
            assert!(!body.contains(MEMBER_EMAIL), "{actor:?} saw a Clackmannanshire member's email at {key}");
        }
    }
}

pub async fn call(
    app: &TestApp,
    entry: &Entry,
    targets: &Targets,
    actor: Actor,
    cookie: Option<&str>,
) -> super::TestResponse {
    let (path, fields) = (entry.request)(targets, actor);
    match entry.kind {
        Kind::Page => match cookie {
            Some(c) => app.get_with_cookie(&path, c).await,
            None => app.get(&path).await,
        },
        Kind::Read | Kind::Write => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            // A plan upload carries a file, so it goes as multipart/form-data.
            if fields.iter().any(|(k, _)| *k == super::UPLOAD_FILE_FIELD) {
                app.post_upload(&path, &fields, cookie).await
            } else {
                app.post(&path, &fields, cookie).await
            }
        }
    }
}

pub fn is_allowed_status(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

pub async fn setup_targets(pool: &PgPool) -> Targets {
    super::stage_matrix_upload(pool).await;
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
    let draft_plan = id("select id from plans where slug = '2025-27'").await;
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
    let q = quarterly::setup_quarterly(pool).await;
    let leaver = id("select id from people where email = 'falkirk.member@example.org'").await;
    sqlx::query(
        "insert into auth.two_step (person_id, secret, confirmed_at)
         select id, $1, case when email = 'falkirk.member@example.org' then now() end from people",
    )
    .bind(MATRIX_TWO_STEP_SECRET)
    .execute(pool)
    .await
    .unwrap();
    Targets {
        leaver,
        risk: q.risk,
        risk_version: q.risk_version,
        subgroup_risk: q.subgroup_risk,
        subgroup_risk_version: q.subgroup_risk_version,
        linked_action: q.linked_action,
        closed_period: q.closed_period,
        earlier_period: q.earlier_period,
        open_period: q.open_period,
        open_starts: q.open_starts,
        open_ends: q.open_ends,
        protocol_version,
        ratification_version,
        draft_priority,
        draft_outcome,
        draft_objective,
        draft_placement_version,
        draft_review,
        draft_plan,
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

pub async fn id_text(pool: &PgPool, sql: &'static str, bind: &str) -> String {
    sqlx::query_scalar::<_, String>(sql).bind(bind).fetch_one(pool).await.unwrap()
}

/// A button or link a page shows for a request the server then accepts: (the request's rule,
/// the page, and what in it means the button is there).
pub struct Flag {
    pub what: &'static str,
    pub rule: Rule,
    pub page: fn(&Targets) -> String,
    pub marker: fn(&Targets) -> String,
}

/// Every flag the matrix checks: a button shown is a request accepted, a button hidden a
/// request refused.
pub fn flags() -> Vec<Flag> {
    vec![
        Flag {
            what: "Update on the draft's action",
            rule: Rule::ClackUpdatersOnDraft,
            page: |_| format!("/committees/{CLACK}/plans/{DRAFT}"),
            marker: |t| format!("actions/{}#update", t.draft_action),
        },
        Flag {
            what: "the subgroup's update form for its shared action",
            rule: Rule::ProtocolsSubgroupMembers,
            page: |_| format!("/subgroups/{SUBGROUP}"),
            marker: |_| s("action=\"/api/update_action\""),
        },
        Flag {
            what: "Publish on the overview",
            rule: Rule::ClackLeadOnDraft,
            page: |_| s("/"),
            marker: |_| s("action=\"/api/publish_plan\""),
        },
        Flag {
            what: "Edit plan",
            rule: Rule::ClackLeadOnDraft,
            page: |_| format!("/committees/{CLACK}/plans/{DRAFT}"),
            marker: |_| format!("/plans/{DRAFT}/edit\""),
        },
        Flag {
            what: "a new shared action",
            rule: Rule::ProtocolsChairOnly,
            page: |_| format!("/subgroups/{SUBGROUP}"),
            marker: |_| s("action=\"/api/create_shared_action\""),
        },
        Flag {
            what: "a new protocol",
            rule: Rule::ProtocolsSubgroupMembers,
            page: |_| format!("/subgroups/{SUBGROUP}"),
            marker: |_| s("action=\"/api/create_protocol\""),
        },
        Flag {
            what: "a new protocol version",
            rule: Rule::ProtocolsSubgroupMembers,
            page: |_| s("/protocols/fv-learning-review-protocol"),
            marker: |_| s("action=\"/api/add_protocol_version\""),
        },
        Flag {
            what: "Clackmannanshire's ratification decision",
            rule: Rule::ClackLeadOnly,
            page: |_| s("/protocols/fv-learning-review-protocol"),
            marker: |_| format!("name=\"committee\" value=\"{CLACK}\""),
        },
        Flag {
            what: "linking the draft's action to protocols",
            rule: Rule::ClackLeadOnDraft,
            page: |t| format!("/committees/{CLACK}/plans/{DRAFT}/actions/{}", t.draft_action),
            marker: |_| s("action=\"/api/link_protocol\""),
        },
        Flag {
            what: "stopping the adoption of a shared action",
            rule: Rule::ClackLeadOnly,
            page: |t| format!("/committees/{CLACK}/plans/2023-25/actions/{}", t.shared_action),
            marker: |_| s("action=\"/api/stop_adopting\""),
        },
        Flag {
            what: "inviting a member",
            rule: Rule::ClackLeadOrAdmin,
            page: |_| format!("/committees/{CLACK}/members"),
            marker: |_| s("action=\"/api/invite_member\""),
        },
        Flag {
            what: "importing a plan",
            rule: Rule::ClackLeadOnly,
            page: |_| format!("/committees/{CLACK}"),
            marker: |_| s("/plans/import\""),
        },
        Flag {
            what: "opening the subgroup's risk register",
            rule: Rule::ProtocolsRegisterReaders,
            page: |_| format!("/subgroups/{SUBGROUP}"),
            marker: |_| format!("href=\"/subgroups/{SUBGROUP}/risks\""),
        },
        Flag {
            what: "adding a risk to the subgroup's register",
            rule: Rule::ProtocolsChairOnly,
            page: |_| format!("/subgroups/{SUBGROUP}/risks"),
            marker: |_| s("action=\"/api/add_risk\""),
        },
        Flag {
            what: "adding a risk",
            rule: Rule::ClackLeadOnly,
            page: |_| format!("/committees/{CLACK}/risks"),
            marker: |_| s("action=\"/api/add_risk\""),
        },
        Flag {
            what: "assessing a risk",
            rule: Rule::ClackUpdaters,
            page: |t| format!("/committees/{CLACK}/risks/{}", t.risk),
            marker: |_| s("action=\"/api/assess_risk\""),
        },
        Flag {
            what: "re-wording a risk",
            rule: Rule::ClackLeadOnly,
            page: |t| format!("/committees/{CLACK}/risks/{}", t.risk),
            marker: |_| s("action=\"/api/edit_risk\""),
        },
        Flag {
            what: "closing a quarter",
            rule: Rule::ClackLeadOnly,
            page: |_| format!("/committees/{CLACK}/periods"),
            marker: |_| s("action=\"/api/close_period\""),
        },
        Flag {
            what: "requiring two-step sign-in of lead officers",
            rule: Rule::ClackLeadOrAdmin,
            page: |_| format!("/committees/{CLACK}/members"),
            marker: |_| s("action=\"/api/set_two_step_for_leads\""),
        },
        Flag {
            what: "a new sign-in link",
            rule: Rule::AdminOnly,
            page: |_| s("/admin"),
            marker: |_| s("action=\"/api/issue_sign_in_link\""),
        },
    ]
}
