//! Importing a plan file in the app: the upload page and the preview.

use super::common::CommitteeRef;
use crate::domain::plan_file::{ImportProblem, ImportRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The upload page: the committee, and the periods it already has plans for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanImportStart {
    pub committee: CommitteeRef,
    pub existing_plans: Vec<String>,
}

/// An uploaded plan file awaiting its lead officer's confirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanImportPreview {
    pub committee: CommitteeRef,
    pub id: Uuid,
    pub file_name: String,
    /// "csv" or "xlsx".
    pub format: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub rows: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
    pub existing_plans: Vec<String>,
}

/// An uploaded risk register file awaiting confirmation by the person who may add risks to
/// the register (a committee's lead officer, a subgroup's chair).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskImportPreview {
    pub holder: crate::domain::risk::RegisterHolder,
    pub id: Uuid,
    pub file_name: String,
    /// "csv" or "xlsx".
    pub format: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub rows: Vec<crate::domain::risk_file::RiskImportRow>,
    pub problems: Vec<ImportProblem>,
    /// The file's columns that are not imported, as it names them.
    pub ignored_columns: Vec<String>,
}
