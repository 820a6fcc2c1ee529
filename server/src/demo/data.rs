//! What the demo holds: committees, subgroups, people, shared actions, reviews and protocols.
//! Illustrative data around the real Clackmannanshire plan; `super::load` writes it.

use app::domain::dates::IsoDate;
use app::domain::protocol::RatificationState;
use time::macros::date;

pub const CLACKMANNANSHIRE_CSV: &str = include_str!("../../../demo/clackmannanshire-2023-25.csv");
pub const STIRLING_CSV: &str = include_str!("../../../demo/stirling-2024-26.csv");
pub const FALKIRK_CSV: &str = include_str!("../../../demo/falkirk-2024-26.csv");
/// An unpublished next plan, so the demo shows what only a committee's members may read. It is
/// illustrative, not from the source plan.
pub const CLACKMANNANSHIRE_DRAFT_CSV: &str = include_str!("../../../demo/clackmannanshire-2025-27-draft.csv");
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

pub(super) struct SubgroupSpec {
    pub(super) slug: &'static str,
    pub(super) name: &'static str,
    pub(super) short_name: &'static str,
    pub(super) aliases: &'static [&'static str],
}

pub(super) const SUBGROUPS: [SubgroupSpec; 5] = [
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
pub(super) struct SharedSpec {
    pub(super) subgroup: &'static str,
    /// The subgroup's chair, who links the action to its protocol.
    pub(super) chair: &'static str,
    pub(super) clackmannanshire: (u32, u32, u32),
    pub(super) stirling: (u32, u32),
    pub(super) falkirk: (u32, u32),
    pub(super) protocol: Option<&'static str>,
}

pub(super) const SHARED: [SharedSpec; 3] = [
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
pub(super) const COMMITTEES: [(&str, &str, &str, &str); 3] = [
    (
        "clackmannanshire",
        "Clackmannanshire Child Protection Committee",
        "Clackmannanshire",
        "Clackmannanshire Chief Officers Group",
    ),
    ("stirling", "Stirling Child Protection Committee", "Stirling", "Stirling Chief Officers Group"),
    ("falkirk", "Falkirk Child Protection Committee", "Falkirk", "Falkirk Chief Officers Group"),
];

pub(super) const REVIEWS: [(&str, &str, time::Date, &str); 3] = [
    ("clackmannanshire", "2023-25", date!(2023 - 11 - 01), "Reviewed and updated November 2023"),
    ("stirling", "2024-26", date!(2025 - 05 - 01), "Sample review"),
    ("falkirk", "2024-26", date!(2025 - 06 - 01), "Sample review"),
];

pub(super) struct ProtocolSpec {
    pub(super) slug: &'static str,
    pub(super) owner: &'static str,
    pub(super) chair: &'static str,
    pub(super) title: &'static str,
    pub(super) summary: &'static str,
    pub(super) version: &'static str,
    pub(super) effective: time::Date,
    pub(super) review_due: IsoDate,
    pub(super) ratifications: [(&'static str, RatificationState, Option<IsoDate>, Option<&'static str>); 3],
}

pub(super) const fn day(year: i32, month: u8, day: u8) -> IsoDate {
    IsoDate { year, month, day }
}

// Ratification states are illustrative, not the committees' real records.
pub(super) const PROTOCOLS: [ProtocolSpec; 3] = [
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
