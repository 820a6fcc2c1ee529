//! The quarterly cycle: the risk register, the reporting periods and the COG report with its
//! files. Never public: Clackmannanshire's members read; contributors assess; lead officers
//! write.

use super::*;
use app::server::authz::Owner;

/// A risk's fields as the add and edit forms send them.
/// A risk register file of one clean risk, for the upload entries.
const RISK_UPLOAD_CSV: &str = "Reference,Risk,Likelihood,Impact,Target score\r\nM1,Matrix uploaded risk,2,2,4\r\n";

fn risk_fields(more: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("register", format!("committees/{CLACK}")),
        ("reference", s("RM1")),
        ("title", s("Matrix risk")),
        ("description", s("A risk the matrix adds")),
        ("cause", s("A cause")),
        ("consequence", s("A consequence")),
        ("owner", s("Lead Officer")),
        ("controls", s("Controls")),
        ("target_score", s("6")),
        ("review_on", s("")),
    ];
    fields.extend(more);
    fields
}

/// "2026-27" of "2026-27-q3".
fn financial_year(quarter: &str) -> String {
    quarter.rsplit_once("-q").map(|(y, _)| y.to_owned()).unwrap_or_default()
}

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        Entry {
            key: "/committees/{committee}/risks",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |_, _| (format!("/committees/{CLACK}/risks"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/risks/{risk}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/risks/{}", t.risk), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |_, _| (format!("/committees/{CLACK}/periods"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods/{period}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/periods/{}", t.closed_period), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods/{period}/download/{file}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/periods/{}/download/attention.csv", t.closed_period), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods/{period}/download/{file}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/periods/{}/download/report.xlsx", t.closed_period), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods/{period}/download/{file}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/periods/{}/download/report.pdf", t.closed_period), vec![]),
        },
        Entry {
            key: "/committees/{committee}/periods/{period}/compare/{other}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| {
                (format!("/committees/{CLACK}/periods/{}/compare/{}", t.closed_period, t.earlier_period), vec![])
            },
        },
        Entry {
            key: "/api/compare_periods",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |t, _| {
                (
                    s("/api/compare_periods"),
                    vec![
                        ("committee", s(CLACK)),
                        ("period", t.closed_period.clone()),
                        ("other", t.earlier_period.clone()),
                    ],
                )
            },
        },
        Entry {
            key: "/committees/{committee}/years/{year}",
            kind: Page,
            rule: Rule::ClackMembers,
            request: |t, _| (format!("/committees/{CLACK}/years/{}", financial_year(&t.closed_period)), vec![]),
        },
        Entry {
            key: "/api/annual_summary",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |t, _| {
                (s("/api/annual_summary"), vec![("committee", s(CLACK)), ("year", financial_year(&t.closed_period))])
            },
        },
        // The public summary of a published plan's latest closed quarter: everyone.
        Entry {
            key: "/committees/{committee}/plans/{plan}/summary",
            kind: Page,
            rule: Rule::Everyone,
            request: |_, _| (format!("/committees/{CLACK}/plans/2023-25/summary"), vec![]),
        },
        Entry {
            key: "/api/public_summary",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/public_summary"), vec![("committee", s(CLACK)), ("plan", s("2023-25"))]),
        },
        Entry {
            key: "/api/risk_register",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |_, _| (s("/api/risk_register"), vec![("register", format!("committees/{CLACK}"))]),
        },
        Entry {
            key: "/api/risk",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |t, _| {
                (s("/api/risk"), vec![("register", format!("committees/{CLACK}")), ("risk", t.risk.clone())])
            },
        },
        // A subgroup's register: its members, chair and its committees' lead officers read;
        // its chair writes.
        Entry {
            key: "/subgroups/{subgroup}/risks",
            kind: Page,
            rule: Rule::ProtocolsRegisterReaders,
            request: |_, _| (format!("/subgroups/{SUBGROUP}/risks"), vec![]),
        },
        Entry {
            key: "/subgroups/{subgroup}/risks/{risk}",
            kind: Page,
            rule: Rule::ProtocolsRegisterReaders,
            request: |t, _| (format!("/subgroups/{SUBGROUP}/risks/{}", t.subgroup_risk), vec![]),
        },
        Entry {
            key: "/api/risk",
            kind: Read,
            rule: Rule::ProtocolsRegisterReaders,
            request: |t, _| {
                (s("/api/risk"), vec![("register", format!("subgroups/{SUBGROUP}")), ("risk", t.subgroup_risk.clone())])
            },
        },
        Entry {
            key: "/api/add_risk",
            kind: Write,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                let mut fields = risk_fields(vec![("likelihood", s("2")), ("impact", s("2"))]);
                fields[0].1 = format!("subgroups/{SUBGROUP}");
                (s("/api/add_risk"), fields)
            },
        },
        Entry {
            key: "/api/assess_risk",
            kind: Write,
            rule: Rule::ProtocolsChairOnly,
            request: |t, _| {
                (
                    s("/api/assess_risk"),
                    vec![
                        ("register", format!("subgroups/{SUBGROUP}")),
                        ("risk", t.subgroup_risk.clone()),
                        ("version", t.subgroup_risk_version.clone()),
                        ("likelihood", s("3")),
                        ("impact", s("4")),
                        ("note", s("Matrix assessment")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/reporting_periods",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |_, _| (s("/api/reporting_periods"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/cog_report",
            kind: Read,
            rule: Rule::ClackMembers,
            request: |t, _| (s("/api/cog_report"), vec![("committee", s(CLACK)), ("period", t.closed_period.clone())]),
        },
        Entry {
            key: "/api/add_risk",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (s("/api/add_risk"), risk_fields(vec![("likelihood", s("4")), ("impact", s("3"))])),
        },
        Entry {
            key: "/api/edit_risk",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (s("/api/edit_risk"), risk_fields(vec![("risk", t.risk.clone()), ("version", t.risk_version.clone())]))
            },
        },
        Entry {
            key: "/api/assess_risk",
            kind: Write,
            rule: Rule::ClackUpdaters,
            request: |t, _| {
                (
                    s("/api/assess_risk"),
                    vec![
                        ("register", format!("committees/{CLACK}")),
                        ("risk", t.risk.clone()),
                        ("version", t.risk_version.clone()),
                        ("likelihood", s("5")),
                        ("impact", s("4")),
                        ("note", s("Matrix assessment")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/close_risk",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/close_risk"),
                    vec![
                        ("register", format!("committees/{CLACK}")),
                        ("risk", t.risk.clone()),
                        ("version", t.risk_version.clone()),
                        ("reason", s("Matrix closing")),
                    ],
                )
            },
        },
        Entry {
            key: "/api/link_risk_action",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/link_risk_action"),
                    vec![
                        ("register", format!("committees/{CLACK}")),
                        ("risk", t.risk.clone()),
                        ("action", t.draft_action.clone()),
                    ],
                )
            },
        },
        Entry {
            key: "/api/unlink_risk_action",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/unlink_risk_action"),
                    vec![
                        ("register", format!("committees/{CLACK}")),
                        ("risk", t.risk.clone()),
                        ("action", t.linked_action.clone()),
                    ],
                )
            },
        },
        Entry {
            key: "/api/close_period",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| (s("/api/close_period"), vec![("committee", s(CLACK)), ("period", t.open_period.clone())]),
        },
        Entry {
            key: "/api/set_period_dates",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |t, _| {
                (
                    s("/api/set_period_dates"),
                    vec![
                        ("committee", s(CLACK)),
                        ("period", t.open_period.clone()),
                        ("starts_on", t.open_starts.clone()),
                        ("ends_on", t.open_ends.clone()),
                    ],
                )
            },
        },
        // The Forth Valley report: every member of any committee or subgroup, and admins (each
        // signed-in actor here is one); what each sees of the subgroup registers is tested in
        // `quarterly.rs`.
        Entry {
            key: "/forth-valley/report",
            kind: Page,
            rule: Rule::SignedIn,
            request: |_, _| (s("/forth-valley/report"), vec![]),
        },
        Entry {
            key: "/api/regional_report",
            kind: Read,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/regional_report"), vec![]),
        },
        // Importing a register from a file: whoever may add risks to it, and only the uploader
        // sees and imports their upload (staged by `stage_matrix_upload`).
        Entry {
            key: "/committees/{committee}/risks/import",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/risks/import"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/risks/import",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (
                    format!("/committees/{CLACK}/risks/import"),
                    vec![(crate::common::UPLOAD_FILE_FIELD, s(RISK_UPLOAD_CSV))],
                )
            },
        },
        Entry {
            key: "/committees/{committee}/risks/import/{upload}",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/risks/import/{}", crate::common::MATRIX_RISK_UPLOAD), vec![]),
        },
        Entry {
            key: "/subgroups/{subgroup}/risks/import",
            kind: Page,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| (format!("/subgroups/{SUBGROUP}/risks/import"), vec![]),
        },
        Entry {
            key: "/subgroups/{subgroup}/risks/import",
            kind: Write,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                (
                    format!("/subgroups/{SUBGROUP}/risks/import"),
                    vec![(crate::common::UPLOAD_FILE_FIELD, s(RISK_UPLOAD_CSV))],
                )
            },
        },
        Entry {
            key: "/subgroups/{subgroup}/risks/import/{upload}",
            kind: Page,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                (format!("/subgroups/{SUBGROUP}/risks/import/{}", crate::common::MATRIX_SUBGROUP_RISK_UPLOAD), vec![])
            },
        },
        Entry {
            key: "/api/risk_import_start",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (s("/api/risk_import_start"), vec![("register", format!("committees/{CLACK}"))]),
        },
        Entry {
            key: "/api/risk_import_start",
            kind: Read,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| (s("/api/risk_import_start"), vec![("register", format!("subgroups/{SUBGROUP}"))]),
        },
        Entry {
            key: "/api/risk_import",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (
                    s("/api/risk_import"),
                    vec![("register", format!("committees/{CLACK}")), ("upload", s(crate::common::MATRIX_RISK_UPLOAD))],
                )
            },
        },
        Entry {
            key: "/api/risk_import",
            kind: Read,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                (
                    s("/api/risk_import"),
                    vec![
                        ("register", format!("subgroups/{SUBGROUP}")),
                        ("upload", s(crate::common::MATRIX_SUBGROUP_RISK_UPLOAD)),
                    ],
                )
            },
        },
        Entry {
            key: "/api/import_uploaded_risks",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (
                    s("/api/import_uploaded_risks"),
                    vec![("register", format!("committees/{CLACK}")), ("upload", s(crate::common::MATRIX_RISK_UPLOAD))],
                )
            },
        },
        Entry {
            key: "/api/import_uploaded_risks",
            kind: Write,
            rule: Rule::ProtocolsChairOnly,
            request: |_, _| {
                (
                    s("/api/import_uploaded_risks"),
                    vec![
                        ("register", format!("subgroups/{SUBGROUP}")),
                        ("upload", s(crate::common::MATRIX_SUBGROUP_RISK_UPLOAD)),
                    ],
                )
            },
        },
    ]
}

/// What the quarterly entries replay: a risk with one linked action, two closed quarters (the
/// last two, with their public summaries) and an open one (this quarter), made through the app's own functions as
/// Clackmannanshire's lead officer.
pub struct Quarterly {
    pub risk: String,
    pub risk_version: String,
    pub subgroup_risk: String,
    pub subgroup_risk_version: String,
    pub linked_action: String,
    pub closed_period: String,
    pub earlier_period: String,
    pub open_period: String,
    pub open_starts: String,
    pub open_ends: String,
}

pub async fn setup_quarterly(pool: &PgPool) -> Quarterly {
    use app::domain::period::Quarter;
    use app::domain::risk::{check_assessment, check_risk, RiskForm};
    use app::server::db::{self, members, periods, risks};
    let lead: uuid::Uuid = sqlx::query_scalar("select id from people where email = 'clacks.lead@example.org'")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut tx = db::begin_as(pool, Some(lead)).await.unwrap();
    let c = members::committee_by_slug(&mut tx, CLACK).await.unwrap().unwrap();
    let wording = check_risk(&RiskForm {
        reference: "R1",
        title: "Partners cannot evidence the impact of training",
        description: "Training is delivered but its effect on practice is not known.",
        cause: "No shared evaluation framework",
        consequence: "Resources spent without assurance",
        owner: "Learning and Development subgroup chair",
        controls: "Attendance recorded",
        target_score: "4",
        review_on: "",
    })
    .unwrap();
    let risk = risks::add_risk(&mut tx, Owner::Committee(c.id), &wording, &check_assessment("3", "3", "").unwrap())
        .await
        .unwrap();
    let row = risks::risk(&mut tx, Owner::Committee(c.id), risk).await.unwrap().unwrap();
    let choice = risks::action_choices(&mut tx, Owner::Committee(c.id))
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.href.contains("/plans/2023-25/"))
        .expect("a published action to link");
    assert!(risks::link_action(&mut tx, &row, Owner::Committee(c.id), &choice).await.unwrap());
    let today = periods::today(&mut tx).await.unwrap();
    let (open, closed) = (Quarter::of(today), Quarter::of(today).previous());
    let earlier = closed.previous();
    for q in [earlier, closed] {
        let (s_on, e_on) = q.dates();
        let period = periods::set_period(&mut tx, &c, &q.slug(), &q.label(), s_on, e_on).await.unwrap();
        let snapshot =
            periods::gather(&mut tx, &c, &q.slug(), &q.label(), &s_on.to_string(), &e_on.to_string()).await.unwrap();
        let id = periods::close(&mut tx, &c, period, &snapshot, None, "").await.unwrap();
        let summaries = app::domain::public_summary::public_summaries(&snapshot, None);
        app::server::db::summaries::store(&mut tx, c.id, id, &summaries).await.unwrap();
    }
    tx.commit().await.unwrap();
    let version: i32 =
        sqlx::query_scalar("select version from risks where id = $1").bind(risk).fetch_one(pool).await.unwrap();
    // The subgroup's register: a risk its chair adds.
    let chair: uuid::Uuid = sqlx::query_scalar("select id from people where email = 'chair.protocols@example.org'")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut tx = db::begin_as(pool, Some(chair)).await.unwrap();
    let sub = members::subgroup_by_slug(&mut tx, SUBGROUP).await.unwrap().unwrap();
    let wording = check_risk(&RiskForm {
        reference: "SR1",
        title: "Protocols reviewed late across the three areas",
        description: "",
        cause: "",
        consequence: "",
        owner: "Subgroup chair",
        controls: "",
        target_score: "4",
        review_on: "",
    })
    .unwrap();
    let subgroup_risk =
        risks::add_risk(&mut tx, Owner::Subgroup(sub.id), &wording, &check_assessment("2", "4", "").unwrap())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let (os, oe) = open.dates();
    Quarterly {
        risk: risk.to_string(),
        risk_version: version.to_string(),
        subgroup_risk: subgroup_risk.to_string(),
        subgroup_risk_version: s("1"),
        linked_action: choice.id.to_string(),
        closed_period: closed.slug(),
        earlier_period: earlier.slug(),
        open_period: open.slug(),
        open_starts: os.to_string(),
        open_ends: oe.to_string(),
    }
}
