//! Demo data, loaded by `serve --demo` and `load-demo` into an empty database, never by a
//! migration. The Clackmannanshire plan is the real one, transcribed in demo/ and loaded
//! through the same importer as any CSV; Stirling's and Falkirk's plans are labelled samples.

use app::domain::account::{CommitteeRole, SubgroupRole};
use app::domain::dates::IsoDate;
use app::domain::numbering::ObjectiveNumber;
use app::domain::plan::PlanState;
use app::domain::plan_csv::parse_plan_csv;
use app::domain::protocol::{Decision, RatificationState, VersionForm};
use app::error::AppError;
use app::server::db::admin::{self, NewCommittee, NewSubgroup};
use app::server::db::import::{import_plan, NewPlan};
use app::server::db::members::{self, Named};
use app::server::db::protocol_edits::{self, NewProtocol};
use app::server::db::{self, operator, overview, reviews, shared};
use sqlx::{PgConnection, PgPool};
use time::macros::date;
use uuid::Uuid;

pub const CLACKMANNANSHIRE_CSV: &str = include_str!("../../demo/clackmannanshire-2023-25.csv");
pub const STIRLING_CSV: &str = include_str!("../../demo/stirling-2024-26.csv");
pub const FALKIRK_CSV: &str = include_str!("../../demo/falkirk-2024-26.csv");
/// An unpublished next plan, so the demo shows what only a committee's members may read. It is
/// illustrative, not from the source plan.
pub const CLACKMANNANSHIRE_DRAFT_CSV: &str = include_str!("../../demo/clackmannanshire-2025-27-draft.csv");
pub const DRAFT_PLAN_TITLE: &str = "Strategic Improvement Plan 2025-27 (draft)";

/// The one password of every demo account (demo mode only; listed in the README).
pub const DEMO_PASSWORD: &str = "forth-valley-demo";

/// Demo people: (email, name, committee memberships, subgroup memberships, platform admin).
pub type DemoPerson = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
    bool,
);

pub const DEMO_PEOPLE: [DemoPerson; 14] = [
    ("clacks.member@example.org", "Morven Drummond", &[("clackmannanshire", "member")], &[], false),
    ("clacks.contributor@example.org", "Callum Baird", &[("clackmannanshire", "contributor")], &[], false),
    ("clacks.lead@example.org", "Isla Ferguson", &[("clackmannanshire", "lead_officer")], &[], false),
    ("stirling.member@example.org", "Euan Mackie", &[("stirling", "member")], &[], false),
    ("stirling.contributor@example.org", "Kirsty Lennox", &[("stirling", "contributor")], &[], false),
    ("stirling.lead@example.org", "Fraser Halliday", &[("stirling", "lead_officer")], &[], false),
    ("falkirk.member@example.org", "Ailsa Gourlay", &[("falkirk", "member")], &[], false),
    ("falkirk.contributor@example.org", "Ross Cowie", &[("falkirk", "contributor")], &[], false),
    ("falkirk.lead@example.org", "Shona Menzies", &[("falkirk", "lead_officer")], &[], false),
    ("chair.protocols@example.org", "Gordon Rennie", &[], &[("fv-policies-procedures-protocols", "chair")], false),
    (
        "chair.engagement@example.org",
        "Eilidh Stewart",
        &[],
        &[
            ("fv-public-information-engagement-participation", "chair"),
            ("performance-management-quality-assurance", "chair"),
            ("learning-practice-development", "chair"),
        ],
        false,
    ),
    ("chair.ird@example.org", "Douglas Laing", &[], &[("ird-steering-group", "chair")], false),
    (
        "both.committees@example.org",
        "Catriona Murray",
        &[("clackmannanshire", "contributor"), ("stirling", "member")],
        &[("ird-steering-group", "member")],
        false,
    ),
    ("admin@example.org", "Platform Admin", &[], &[], true),
];

/// Loads the demo unless the database already holds a committee. Returns whether it loaded.
pub async fn load_if_empty(pool: &PgPool) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    // One loader at a time: two servers starting together must not both load.
    sqlx::query!("select pg_advisory_xact_lock(7241)").execute(&mut *tx).await?;
    let has_data =
        sqlx::query_scalar!(r#"select exists (select 1 from committees) as "exists!""#).fetch_one(&mut *tx).await?;
    if has_data {
        return Ok(false);
    }
    load(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

struct SubgroupSpec {
    slug: &'static str,
    name: &'static str,
    short_name: &'static str,
    aliases: &'static [&'static str],
}

const SUBGROUPS: [SubgroupSpec; 5] = [
    SubgroupSpec {
        slug: "fv-policies-procedures-protocols",
        name: "FV Policies, Procedures and Protocols Subgroup",
        short_name: "FV Policies & Protocols",
        aliases: &["Forth Valley Policies, Procedures and Protocols Subgroup"],
    },
    SubgroupSpec {
        slug: "fv-public-information-engagement-participation",
        name: "FV Public Information, Engagement & Participation Subgroup",
        short_name: "FV Public Info & Engagement",
        aliases: &["FV Public Info, Engagement & Participation Subgroup", "FV PPIE subgroup"],
    },
    SubgroupSpec {
        slug: "performance-management-quality-assurance",
        name: "Performance Management and Quality Assurance Subgroup",
        short_name: "Performance & QA",
        aliases: &["Performance and Quality Assurance Sub Group", "Quality Assurance subgroup"],
    },
    SubgroupSpec {
        slug: "learning-practice-development",
        name: "Learning and Practice Development Subgroup",
        short_name: "Learning & Practice Development",
        aliases: &["Learning and Development Subgroup"],
    },
    SubgroupSpec {
        slug: "ird-steering-group",
        name: "IRD Steering Group",
        short_name: "IRD Steering Group",
        aliases: &["Forth Valley IRD Steering Group"],
    },
];

/// A Clackmannanshire action led by a Forth Valley subgroup, handed to that subgroup and
/// adopted into the sample plans under their own objectives.
struct SharedSpec {
    subgroup: &'static str,
    /// The subgroup's chair, who links the action to its protocol.
    chair: &'static str,
    clackmannanshire: (u32, u32, u32),
    stirling: (u32, u32),
    falkirk: (u32, u32),
    protocol: Option<&'static str>,
}

const SHARED: [SharedSpec; 3] = [
    // 3.1.2 "CP Guidance is updated in accordance with the National Guidance …"
    SharedSpec {
        subgroup: "fv-policies-procedures-protocols",
        chair: "chair.protocols@example.org",
        clackmannanshire: (3, 1, 2),
        stirling: (2, 2),
        falkirk: (1, 3),
        protocol: Some("fv-child-protection-guidance"),
    },
    // 3.2.1 "Review, evaluate and quality assure the effectiveness of the IRDs"
    SharedSpec {
        subgroup: "ird-steering-group",
        chair: "chair.ird@example.org",
        clackmannanshire: (3, 2, 1),
        stirling: (2, 3),
        falkirk: (3, 1),
        protocol: Some("fv-ird-procedure"),
    },
    // 1.2.3 "Produce and implement a Communication Plan"
    SharedSpec {
        subgroup: "fv-public-information-engagement-participation",
        chair: "chair.engagement@example.org",
        clackmannanshire: (1, 2, 3),
        stirling: (3, 1),
        falkirk: (2, 2),
        protocol: None,
    },
];

/// The demo, in one transaction of the owner role. What has no path through the application
/// (the region, accounts with passwords, handing actions to subgroups, source dates) is done
/// as the operator (`db::operator`); everything else through the functions the server itself
/// uses, as the server's role, acting as the person who would do it (an admin sets up the
/// committees, subgroups and memberships; each committee's lead officer imports, reviews,
/// adopts and ratifies; each subgroup's chair adds its protocols), so row-level security and
/// the audit trail see it as they see everyone's work.
pub async fn load(db: &mut PgConnection) -> Result<(), AppError> {
    let people = operator_setup(db).await?;
    let person = |email: &str| people.iter().find(|(e, _)| *e == email).map(|(_, id)| *id).ok_or(AppError::Internal);

    operator::as_server_role(db).await?;
    db::act_as(db, person("admin@example.org")?).await?;
    let region = overview::home_region(db).await?;
    let mut committee_ids = Vec::new();
    for (slug, name, short_name, cog) in COMMITTEES {
        let c = NewCommittee {
            region_id: region.id,
            slug,
            name,
            short_name,
            council_areas: &[short_name.to_owned()],
            cog_name: cog,
            is_sample: false,
        };
        committee_ids.push((slug, admin::create_committee(db, c).await?));
    }
    let all: Vec<Uuid> = committee_ids.iter().map(|(_, id)| *id).collect();
    let mut subgroup_ids = Vec::new();
    for s in &SUBGROUPS {
        let aliases: Vec<String> = s.aliases.iter().map(|a| (*a).to_owned()).collect();
        let new = NewSubgroup {
            region_id: region.id,
            slug: s.slug,
            name: s.name,
            short_name: s.short_name,
            aliases: &aliases,
            local_committee: None,
            participating: &all,
        };
        subgroup_ids.push((s.slug, admin::create_subgroup(db, new).await?));
    }
    let committee =
        |slug: &str| committee_ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id).ok_or(AppError::Internal);
    let subgroup =
        |slug: &str| subgroup_ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id).ok_or(AppError::Internal);
    for (email, name, committees, subgroups, _) in DEMO_PEOPLE {
        let who = Named { display_name: name, email };
        for (slug, role) in committees {
            let role = CommitteeRole::parse(role).ok_or(AppError::Internal)?;
            members::add_committee_member(db, committee(slug)?, person(email)?, role, &who).await?;
        }
        for (slug, role) in subgroups {
            let role = SubgroupRole::parse(role).ok_or(AppError::Internal)?;
            members::add_subgroup_member(db, subgroup(slug)?, person(email)?, role, &who).await?;
        }
    }

    // Each committee's lead officer imports its plans and records their reviews.
    let plans = [
        (
            "clackmannanshire",
            "2023-25",
            "Strategic Improvement Plan 2023-25",
            CLACKMANNANSHIRE_CSV,
            PlanState::Published,
            false,
        ),
        (
            "stirling",
            "2024-26",
            "Strategic Improvement Plan 2024-26 (sample)",
            STIRLING_CSV,
            PlanState::Published,
            true,
        ),
        ("falkirk", "2024-26", "Strategic Improvement Plan 2024-26 (sample)", FALKIRK_CSV, PlanState::Published, true),
        ("clackmannanshire", "2025-27", DRAFT_PLAN_TITLE, CLACKMANNANSHIRE_DRAFT_CSV, PlanState::Draft, true),
    ];
    let mut plan_ids = Vec::new();
    for (committee_slug, plan_slug, title, csv, state, is_sample) in plans {
        db::act_as(db, person(&format!("{}.lead@example.org", short(committee_slug)))?).await?;
        let parsed = parse_plan_csv(csv.as_bytes()).map_err(|problems| {
            tracing::error!(?problems, committee_slug, plan_slug, "demo CSV does not validate");
            AppError::Internal
        })?;
        let imported = import_plan(db, NewPlan { committee_slug, plan_slug, title, state, is_sample }, &parsed).await?;
        plan_ids.push(((committee_slug, plan_slug), imported.plan_id));
    }
    let plan =
        |c: &str, p: &str| plan_ids.iter().find(|(k, _)| *k == (c, p)).map(|(_, id)| *id).ok_or(AppError::Internal);
    for (committee_slug, plan_slug, reviewed_on, note) in REVIEWS {
        db::act_as(db, person(&format!("{}.lead@example.org", short(committee_slug)))?).await?;
        reviews::record(db, plan(committee_slug, plan_slug)?, committee(committee_slug)?, reviewed_on, note).await?;
    }

    // Each subgroup's chair adds its protocols; each committee's lead officer records its
    // decision on them.
    let mut protocol_ids = Vec::new();
    for spec in PROTOCOLS {
        db::act_as(db, person(spec.chair)?).await?;
        let new = NewProtocol {
            region_id: region.id,
            subgroup_id: subgroup(spec.owner)?,
            slug: spec.slug,
            title: spec.title,
            summary: spec.summary,
            owner_name: "",
        };
        let first = VersionForm {
            label: spec.version.to_owned(),
            document_url: None,
            body: String::new(),
            review_due_on: Some(spec.review_due),
        };
        let (protocol, version) = protocol_edits::create(db, &new, &first).await?;
        for (committee_slug, state, decided_on, reason) in spec.ratifications {
            if state == RatificationState::Pending {
                continue;
            }
            db::act_as(db, person(&format!("{}.lead@example.org", short(committee_slug)))?).await?;
            let decision = Decision { state, decided_on, reason: reason.map(str::to_owned) };
            protocol_edits::decide(db, version, committee(committee_slug)?, &decision, 1).await?;
        }
        protocol_ids.push((spec.slug, protocol, version, spec.effective));
    }
    operator::as_owner(db).await?;
    for (_, _, version, effective) in &protocol_ids {
        operator::date_protocol_version(db, *version, *effective).await?;
    }
    operator::as_server_role(db).await?;
    let protocol =
        |slug: &str| protocol_ids.iter().find(|(s, ..)| *s == slug).map(|(_, id, ..)| *id).ok_or(AppError::Internal);
    db::act_as(db, person("clacks.lead@example.org")?).await?;
    // 1.3.1 "Learning Reviews are conducted according to Forth Valley Protocol …"
    let learning_review = operator::action_at(db, "clackmannanshire", "2023-25", objective(1, 3), 1).await?;
    protocol_edits::set_link(
        db,
        learning_review,
        protocol("fv-learning-review-protocol")?,
        true,
        Some(committee("clackmannanshire")?),
        None,
    )
    .await?;

    // Three Clackmannanshire actions led by a Forth Valley subgroup become the subgroup's
    // (the operator's step), which Stirling's and Falkirk's lead officers adopt into their
    // plans and the subgroup's chair links to its protocol.
    for shared in &SHARED {
        let (o, m, p) = shared.clackmannanshire;
        let action = operator::action_at(db, "clackmannanshire", "2023-25", objective(o, m), p).await?;
        operator::as_owner(db).await?;
        operator::transfer_to_subgroup(db, action, shared.subgroup).await?;
        operator::as_server_role(db).await?;
        for (committee_slug, (outcome, minor)) in [("stirling", shared.stirling), ("falkirk", shared.falkirk)] {
            db::act_as(db, person(&format!("{}.lead@example.org", short(committee_slug)))?).await?;
            let committee_id = committee(committee_slug)?;
            let plan_id = plan(committee_slug, "2024-26")?;
            let target = shared::shared_action(db, action, committee_id).await?.ok_or(AppError::Internal)?;
            let objective =
                shared::objective_id(db, plan_id, outcome as i32, minor as i32).await?.ok_or(AppError::Internal)?;
            let at = shared::Placement { plan_id, committee_id, objective_id: objective, local_note: "" };
            shared::adopt(db, &target, &at).await?;
        }
        if let Some(slug) = shared.protocol {
            db::act_as(db, person(shared.chair)?).await?;
            protocol_edits::set_link(db, action, protocol(slug)?, true, None, Some(subgroup(shared.subgroup)?)).await?;
        }
        db::act_as(db, person("clacks.lead@example.org")?).await?;
    }
    operator::as_owner(db).await?;
    Ok(())
}

/// The operator's part: the region, and the demo accounts with their (one) password and the
/// admin flag. Returns each account's id by email.
async fn operator_setup(db: &mut PgConnection) -> Result<Vec<(&'static str, Uuid)>, AppError> {
    operator::create_region(db, "forth-valley", "Forth Valley").await?;
    // One hash serves them all (the same password), so loading stays quick.
    let hash = app::server::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut people = Vec::new();
    for (email, name, _, _, is_admin) in DEMO_PEOPLE {
        people.push((email, operator::create_demo_person(db, email, name, &hash, is_admin).await?));
    }
    Ok(people)
}

/// The demo accounts' prefix for a committee ("clacks" for Clackmannanshire).
fn short(committee: &str) -> &str {
    if committee == "clackmannanshire" {
        "clacks"
    } else {
        committee
    }
}

const COMMITTEES: [(&str, &str, &str, &str); 3] = [
    (
        "clackmannanshire",
        "Clackmannanshire Child Protection Committee",
        "Clackmannanshire",
        "Clackmannanshire Chief Officers Group",
    ),
    ("stirling", "Stirling Child Protection Committee", "Stirling", "Stirling Chief Officers Group"),
    ("falkirk", "Falkirk Child Protection Committee", "Falkirk", "Falkirk Chief Officers Group"),
];

const REVIEWS: [(&str, &str, time::Date, &str); 3] = [
    ("clackmannanshire", "2023-25", date!(2023 - 11 - 01), "Reviewed and updated November 2023"),
    ("stirling", "2024-26", date!(2025 - 05 - 01), "Sample review"),
    ("falkirk", "2024-26", date!(2025 - 06 - 01), "Sample review"),
];

struct ProtocolSpec {
    slug: &'static str,
    owner: &'static str,
    chair: &'static str,
    title: &'static str,
    summary: &'static str,
    version: &'static str,
    effective: time::Date,
    review_due: IsoDate,
    ratifications: [(&'static str, RatificationState, Option<IsoDate>, Option<&'static str>); 3],
}

const fn day(year: i32, month: u8, day: u8) -> IsoDate {
    IsoDate { year, month, day }
}

// Ratification states are illustrative, not the committees' real records.
const PROTOCOLS: [ProtocolSpec; 3] = [
    ProtocolSpec {
        slug: "fv-learning-review-protocol",
        owner: "fv-policies-procedures-protocols",
        chair: "chair.protocols@example.org",
        title: "Forth Valley Learning Review Protocol",
        summary: "How the three committees commission and conduct Learning Reviews under the national guidance.",
        version: "2.0",
        effective: date!(2024 - 04 - 01),
        review_due: day(2027, 3, 31),
        ratifications: [
            ("clackmannanshire", RatificationState::Ratified, Some(day(2024, 3, 12)), None),
            ("stirling", RatificationState::Ratified, Some(day(2024, 3, 19)), None),
            ("falkirk", RatificationState::Pending, None, None),
        ],
    },
    ProtocolSpec {
        slug: "fv-child-protection-guidance",
        owner: "fv-policies-procedures-protocols",
        chair: "chair.protocols@example.org",
        title: "FV Child Protection Guidance",
        summary: "Forth Valley multi-agency child protection procedures, aligned with the National Guidance for Child Protection in Scotland 2021 (updated 2023).",
        version: "2024",
        effective: date!(2024 - 12 - 01),
        review_due: day(2026, 12, 31),
        ratifications: [
            ("clackmannanshire", RatificationState::Ratified, Some(day(2024, 11, 26)), None),
            ("stirling", RatificationState::Ratified, Some(day(2024, 11, 28)), None),
            ("falkirk", RatificationState::Ratified, Some(day(2024, 12, 3)), None),
        ],
    },
    ProtocolSpec {
        slug: "fv-ird-procedure",
        owner: "ird-steering-group",
        chair: "chair.ird@example.org",
        title: "FV IRD Procedure",
        summary: "Inter-agency Referral Discussions: when they are held, who takes part, how they are recorded and quality assured.",
        version: "3.1",
        effective: date!(2023 - 10 - 01),
        review_due: day(2025, 9, 30),
        ratifications: [
            ("clackmannanshire", RatificationState::Ratified, Some(day(2023, 9, 14)), None),
            ("stirling", RatificationState::Pending, None, None),
            (
                "falkirk",
                RatificationState::Declined,
                Some(day(2023, 9, 21)),
                Some("Returned for changes to the health input section."),
            ),
        ],
    },
];

fn objective(outcome: u32, minor: u32) -> ObjectiveNumber {
    ObjectiveNumber { outcome, minor }
}
