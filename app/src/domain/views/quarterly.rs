//! The quarterly cycle's pages: the risk register and a risk, the reporting periods, and the
//! Chief Officers Group report of a closed period.

use super::CommitteeRef;
use crate::domain::period::PeriodView;
use crate::domain::report::CogReport;
use crate::domain::risk::{ActionChoice, AssessmentEntry, RiskRow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub committee: CommitteeRef,
    pub risks: Vec<RiskRow>,
    pub can_add: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskPage {
    pub committee: CommitteeRef,
    pub risk: RiskRow,
    pub history: Vec<AssessmentEntry>,
    /// The actions that mitigate it.
    pub mitigations: Vec<ActionChoice>,
    /// For lead officers: the committee's actions it could be linked to.
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
    /// Whether the period has begun (only those can be closed).
    pub started: bool,
    pub can_close: bool,
}
