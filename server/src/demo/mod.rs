//! Demo data, loaded by `serve --demo` and `load-demo` into an empty database, never by a
//! migration. The Clackmannanshire plan is the real one, transcribed in demo/ and loaded
//! through the same importer as any CSV; Stirling's and Falkirk's plans are labelled samples.

use app::domain::account::{CommitteeRole, SubgroupRole};
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
use uuid::Uuid;

mod data;
pub use data::{
    DemoPerson, CLACKMANNANSHIRE_CSV, CLACKMANNANSHIRE_DRAFT_CSV, DEMO_PASSWORD, DEMO_PEOPLE, DRAFT_PLAN_TITLE,
    FALKIRK_CSV, STIRLING_CSV,
};
use data::{COMMITTEES, PROTOCOLS, REVIEWS, SHARED, SUBGROUPS};

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
    operator::create_region(db, operator::HOME_REGION.0, operator::HOME_REGION.1).await?;
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

fn objective(outcome: u32, minor: u32) -> ObjectiveNumber {
    ObjectiveNumber { outcome, minor }
}
