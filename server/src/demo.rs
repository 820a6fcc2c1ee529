//! Demo data, loaded by `serve --demo` and `load-demo` into an empty database, never by a
//! migration. The Clackmannanshire plan is the real one, transcribed in demo/ and loaded
//! through the same importer as any CSV; Stirling's and Falkirk's plans are labelled samples.

use app::domain::numbering::ObjectiveNumber;
use app::domain::plan_csv::parse_plan_csv;
use app::error::AppError;
use app::server::db::admin::{self, NewCommittee, NewProtocol, NewProtocolVersion, NewSubgroup};
use app::server::db::import::{import_plan, NewPlan};
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
    clackmannanshire: (u32, u32, u32),
    stirling: (u32, u32),
    falkirk: (u32, u32),
    protocol: Option<&'static str>,
}

const SHARED: [SharedSpec; 3] = [
    // 3.1.2 "CP Guidance is updated in accordance with the National Guidance …"
    SharedSpec {
        subgroup: "fv-policies-procedures-protocols",
        clackmannanshire: (3, 1, 2),
        stirling: (2, 2),
        falkirk: (1, 3),
        protocol: Some("fv-child-protection-guidance"),
    },
    // 3.2.1 "Review, evaluate and quality assure the effectiveness of the IRDs"
    SharedSpec {
        subgroup: "ird-steering-group",
        clackmannanshire: (3, 2, 1),
        stirling: (2, 3),
        falkirk: (3, 1),
        protocol: Some("fv-ird-procedure"),
    },
    // 1.2.3 "Produce and implement a Communication Plan"
    SharedSpec {
        subgroup: "fv-public-information-engagement-participation",
        clackmannanshire: (1, 2, 3),
        stirling: (3, 1),
        falkirk: (2, 2),
        protocol: None,
    },
];

pub async fn load(db: &mut PgConnection) -> Result<(), AppError> {
    let region = admin::create_region(db, "forth-valley", "Forth Valley").await?;
    let committees = [
        (
            "clackmannanshire",
            "Clackmannanshire Child Protection Committee",
            "Clackmannanshire",
            "Clackmannanshire Chief Officers Group",
        ),
        ("stirling", "Stirling Child Protection Committee", "Stirling", "Stirling Chief Officers Group"),
        ("falkirk", "Falkirk Child Protection Committee", "Falkirk", "Falkirk Chief Officers Group"),
    ];
    let mut committee_ids = Vec::new();
    for (slug, name, short_name, cog) in committees {
        let id = admin::create_committee(
            db,
            NewCommittee {
                region_id: region,
                slug,
                name,
                short_name,
                council_areas: &[short_name.to_owned()],
                cog_name: cog,
                is_sample: false,
            },
        )
        .await?;
        committee_ids.push(id);
    }
    for s in &SUBGROUPS {
        let aliases: Vec<String> = s.aliases.iter().map(|a| (*a).to_owned()).collect();
        admin::create_subgroup(
            db,
            NewSubgroup {
                region_id: region,
                slug: s.slug,
                name: s.name,
                short_name: s.short_name,
                aliases: &aliases,
                local_committee: None,
                participating: &committee_ids,
            },
        )
        .await?;
    }

    let plans = [
        ("clackmannanshire", "2023-25", "Strategic Improvement Plan 2023-25", CLACKMANNANSHIRE_CSV, false),
        ("stirling", "2024-26", "Strategic Improvement Plan 2024-26 (sample)", STIRLING_CSV, true),
        ("falkirk", "2024-26", "Strategic Improvement Plan 2024-26 (sample)", FALKIRK_CSV, true),
    ];
    for (committee_slug, plan_slug, title, csv, is_sample) in plans {
        let parsed = parse_plan_csv(csv.as_bytes()).map_err(|problems| {
            tracing::error!(?problems, committee_slug, "demo CSV does not validate");
            AppError::Internal
        })?;
        import_plan(db, NewPlan { committee_slug, plan_slug, title, state: "published", is_sample }, &parsed).await?;
    }
    admin::add_plan_review(
        db,
        "clackmannanshire",
        "2023-25",
        date!(2023 - 11 - 01),
        "Reviewed and updated November 2023",
    )
    .await?;
    admin::add_plan_review(db, "stirling", "2024-26", date!(2025 - 05 - 01), "Sample review").await?;
    admin::add_plan_review(db, "falkirk", "2024-26", date!(2025 - 06 - 01), "Sample review").await?;

    let draft = parse_plan_csv(CLACKMANNANSHIRE_DRAFT_CSV.as_bytes()).map_err(|problems| {
        tracing::error!(?problems, "demo draft CSV does not validate");
        AppError::Internal
    })?;
    import_plan(
        db,
        NewPlan {
            committee_slug: "clackmannanshire",
            plan_slug: "2025-27",
            title: DRAFT_PLAN_TITLE,
            state: "draft",
            is_sample: true,
        },
        &draft,
    )
    .await?;

    let protocols = load_protocols(db, region).await?;
    let learning_review = protocols.iter().find(|(slug, _)| *slug == "fv-learning-review-protocol").map(|(_, id)| *id);
    if let Some(protocol) = learning_review {
        // 1.3.1 "Learning Reviews are conducted according to Forth Valley Protocol …"
        let action = admin::action_at(db, "clackmannanshire", "2023-25", objective(1, 3), 1).await?;
        admin::link_action_protocol(db, action, protocol).await?;
    }

    for shared in &SHARED {
        let (o, m, p) = shared.clackmannanshire;
        let action = admin::action_at(db, "clackmannanshire", "2023-25", objective(o, m), p).await?;
        admin::transfer_to_subgroup(db, action, shared.subgroup).await?;
        admin::adopt_action(db, action, "stirling", "2024-26", objective(shared.stirling.0, shared.stirling.1), "")
            .await?;
        admin::adopt_action(db, action, "falkirk", "2024-26", objective(shared.falkirk.0, shared.falkirk.1), "")
            .await?;
        if let Some(slug) = shared.protocol {
            let protocol = protocols.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id).ok_or(AppError::Internal)?;
            admin::link_action_protocol(db, action, protocol).await?;
        }
    }
    load_people(db).await
}

/// The demo accounts. One hash serves them all (the same password), so loading stays quick.
async fn load_people(db: &mut PgConnection) -> Result<(), AppError> {
    let hash = app::server::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    for (email, name, committees, subgroups, is_admin) in DEMO_PEOPLE {
        admin::create_demo_person(db, email, name, &hash, is_admin, committees, subgroups).await?;
    }
    Ok(())
}

async fn load_protocols(db: &mut PgConnection, region: Uuid) -> Result<Vec<(&'static str, Uuid)>, AppError> {
    // Ratification states are illustrative, not the committees' real records.
    struct Spec {
        slug: &'static str,
        owner: &'static str,
        title: &'static str,
        summary: &'static str,
        version: &'static str,
        effective: time::Date,
        review_due: time::Date,
        ratifications: [(&'static str, &'static str, Option<time::Date>, Option<&'static str>); 3],
    }
    let specs = [
        Spec {
            slug: "fv-learning-review-protocol",
            owner: "fv-policies-procedures-protocols",
            title: "Forth Valley Learning Review Protocol",
            summary: "How the three committees commission and conduct Learning Reviews under the national guidance.",
            version: "2.0",
            effective: date!(2024 - 04 - 01),
            review_due: date!(2027 - 03 - 31),
            ratifications: [
                ("clackmannanshire", "ratified", Some(date!(2024 - 03 - 12)), None),
                ("stirling", "ratified", Some(date!(2024 - 03 - 19)), None),
                ("falkirk", "pending", None, None),
            ],
        },
        Spec {
            slug: "fv-child-protection-guidance",
            owner: "fv-policies-procedures-protocols",
            title: "FV Child Protection Guidance",
            summary: "Forth Valley multi-agency child protection procedures, aligned with the National Guidance for Child Protection in Scotland 2021 (updated 2023).",
            version: "2024",
            effective: date!(2024 - 12 - 01),
            review_due: date!(2026 - 12 - 31),
            ratifications: [
                ("clackmannanshire", "ratified", Some(date!(2024 - 11 - 26)), None),
                ("stirling", "ratified", Some(date!(2024 - 11 - 28)), None),
                ("falkirk", "ratified", Some(date!(2024 - 12 - 03)), None),
            ],
        },
        Spec {
            slug: "fv-ird-procedure",
            owner: "ird-steering-group",
            title: "FV IRD Procedure",
            summary: "Inter-agency Referral Discussions: when they are held, who takes part, how they are recorded and quality assured.",
            version: "3.1",
            effective: date!(2023 - 10 - 01),
            review_due: date!(2025 - 09 - 30),
            ratifications: [
                ("clackmannanshire", "ratified", Some(date!(2023 - 09 - 14)), None),
                ("stirling", "pending", None, None),
                ("falkirk", "declined", Some(date!(2023 - 09 - 21)), Some("Returned for changes to the health input section.")),
            ],
        },
    ];
    let mut ids = Vec::new();
    for spec in specs {
        let protocol = admin::create_protocol(
            db,
            NewProtocol {
                region_id: region,
                owner_subgroup_slug: Some(spec.owner),
                slug: spec.slug,
                title: spec.title,
                summary: spec.summary,
            },
        )
        .await?;
        let version = admin::add_protocol_version(
            db,
            NewProtocolVersion {
                protocol_id: protocol,
                label: spec.version,
                document_url: None,
                effective_on: Some(spec.effective),
                review_due_on: Some(spec.review_due),
            },
        )
        .await?;
        for (committee, state, decided_on, reason) in spec.ratifications {
            admin::record_ratification(db, version, committee, state, decided_on, reason).await?;
        }
        ids.push((spec.slug, protocol));
    }
    Ok(ids)
}

fn objective(outcome: u32, minor: u32) -> ObjectiveNumber {
    ObjectiveNumber { outcome, minor }
}
