//! The quarterly cycle's pages: the risk register and a risk, the reporting periods, and the
//! Chief Officers Group report of a closed period.

use super::CommitteeRef;
use crate::domain::annual::AnnualSummary;
use crate::domain::period::PeriodView;
use crate::domain::public_summary::PublicSummary;
use crate::domain::report::CogReport;
use crate::domain::risk::{ActionChoice, AssessmentEntry, RegisterHolder, RiskRow};
use crate::domain::snapshot_compare::SnapshotComparison;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub holder: RegisterHolder,
    pub risks: Vec<RiskRow>,
    pub can_add: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskPage {
    pub holder: RegisterHolder,
    pub risk: RiskRow,
    pub history: Vec<AssessmentEntry>,
    /// The actions that mitigate it.
    pub mitigations: Vec<ActionChoice>,
    /// For those who manage the register: the actions it could be linked to.
    pub choices: Vec<ActionChoice>,
    pub can_assess: bool,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodsPage {
    pub committee: CommitteeRef,
    pub periods: Vec<PeriodView>,
    /// ISO date: periods that begin later cannot be closed yet.
    pub today: String,
    pub can_close: bool,
}

/// One snapshot in a period's history: when, by whom, why, and whether a later one replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotEntry {
    pub taken_at: String,
    pub taken_by: String,
    pub reason: String,
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub committee: CommitteeRef,
    pub period: PeriodView,
    /// The report of the period's current snapshot; none while it is open.
    pub report: Option<CogReport>,
    pub snapshots: Vec<SnapshotEntry>,
    /// The committee's other closed periods (slug, name), to compare this one with.
    pub others: Vec<(String, String)>,
    /// Whether the period has begun (only those can be closed).
    pub started: bool,
    pub can_close: bool,
}

/// Two closed periods compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodComparePage {
    pub committee: CommitteeRef,
    pub comparison: SnapshotComparison,
    pub earlier_slug: String,
    pub later_slug: String,
}

/// A published plan's latest quarterly summary, for everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryPage {
    pub committee: CommitteeRef,
    pub plan_slug: String,
    pub plan_title: String,
    /// None until a quarter including the plan is closed.
    pub summary: Option<PublicSummary>,
}

/// A committee's financial year in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualPage {
    pub committee: CommitteeRef,
    pub year_label: String,
    pub year_slug: String,
    /// None while no quarter of the year is closed.
    pub summary: Option<AnnualSummary>,
}
