//! A plan file's shape, shared by the server (which reads and writes it: `plan_csv`, the
//! workbook reader) and the pages (which preview an upload): the columns, one row as text, a
//! row as read with its spreadsheet row number, a problem found, and the limits a file meets.

use serde::{Deserialize, Serialize};

pub const COLUMNS: [&str; 11] = [
    "priority",
    "outcome_number",
    "outcome",
    "objective_number",
    "objective",
    "action",
    "lead",
    "timescale",
    "evidence",
    "progress",
    "status",
];

/// Largest file accepted (the request around it may be 2 MiB: `text::MAX_BODY_BYTES`).
pub const MAX_FILE_BYTES: usize = 1536 * 1024;
/// Actions a plan file may hold.
pub const MAX_ACTIONS: usize = 5_000;
/// Rows read from a workbook's sheet at most: room for blank rows between the actions,
/// without reading a runaway sheet to its end.
pub const MAX_SHEET_ROWS: u32 = 10_000;

/// One row of the format, as text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanCsvRow {
    pub priority: String,
    pub outcome_number: String,
    pub outcome: String,
    pub objective_number: String,
    pub objective: String,
    pub action: String,
    pub lead: String,
    pub timescale: String,
    pub evidence: String,
    pub progress: String,
    pub status: String,
}

impl PlanCsvRow {
    /// The cells in `COLUMNS` order.
    pub fn cells(&self) -> [&str; 11] {
        [
            &self.priority,
            &self.outcome_number,
            &self.outcome,
            &self.objective_number,
            &self.objective,
            &self.action,
            &self.lead,
            &self.timescale,
            &self.evidence,
            &self.progress,
            &self.status,
        ]
    }

    /// From cells in `COLUMNS` order; missing ones are empty, extra ones ignored.
    pub fn from_cells(cells: impl IntoIterator<Item = String>) -> Self {
        let mut it = cells.into_iter();
        let mut next = || it.next().unwrap_or_default();
        PlanCsvRow {
            priority: next(),
            outcome_number: next(),
            outcome: next(),
            objective_number: next(),
            objective: next(),
            action: next(),
            lead: next(),
            timescale: next(),
            evidence: next(),
            progress: next(),
            status: next(),
        }
    }
}

/// One row of a plan file as it was read: its spreadsheet row number (the header is row 1)
/// and its cells. Also how an upload's rows are kept while they await confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub row: u32,
    #[serde(flatten)]
    pub cells: PlanCsvRow,
}

/// A problem found in a plan file: the row (0 for the whole file), the column if one, and
/// what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    pub row: u32,
    pub column: Option<String>,
    pub message: String,
}

impl ImportProblem {
    pub fn whole_file(message: impl Into<String>) -> Self {
        ImportProblem { row: 0, column: None, message: message.into() }
    }

    pub fn at(row: u32, column: Option<&str>, message: impl Into<String>) -> Self {
        ImportProblem { row, column: column.map(str::to_owned), message: message.into() }
    }
}

impl std::fmt::Display for ImportProblem {
    /// As the command-line importer and the preview word it: "row R, column C: reason".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, &self.column) {
            (0, _) => write!(f, "{}", self.message),
            (row, Some(column)) => write!(f, "row {row}, column {column}: {}", self.message),
            (row, None) => write!(f, "row {row}: {}", self.message),
        }
    }
}
