//! Reading an uploaded plan file, CSV or Excel, into what the preview shows: every row as read
//! and every problem, found by the one reader every plan file goes through
//! (`plan_csv::read_plan_csv`). A workbook is first turned into CSV text, so the rules are the
//! same.

use crate::plan_xlsx;
use app::domain::plan_csv::read_plan_csv;
use app::domain::plan_file::{ImportProblem, ImportRow};
use app::domain::risk_file::{read_risk_csv, RiskFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn code(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug)]
pub struct ReadFile {
    pub format: FileFormat,
    pub rows: Vec<ImportRow>,
    /// In row order; empty means the file can be imported as it is.
    pub problems: Vec<ImportProblem>,
    pub action_count: usize,
}

/// Reads `bytes` (named `file_name` by the browser). `Err` with the reason when there is
/// nothing to preview: not a CSV file or workbook, no header, no rows.
pub fn read_file(file_name: &str, bytes: &[u8]) -> Result<ReadFile, String> {
    let format = detect(file_name, bytes)?;
    let (csv, mut problems) = match format {
        FileFormat::Csv => (bytes.to_vec(), Vec::new()),
        FileFormat::Xlsx => plan_xlsx::sheet_as_csv(bytes)?,
    };
    let file = read_plan_csv(&csv);
    problems.extend(file.problems);
    if file.rows.is_empty() {
        // The first few reasons: with no rows, they are about the file as a whole.
        let mut reasons: Vec<String> = problems.iter().take(5).map(ToString::to_string).collect();
        if problems.len() > reasons.len() {
            reasons.push(format!("and {} more", problems.len() - reasons.len()));
        }
        return Err(if reasons.is_empty() {
            "The file holds no actions.".to_owned()
        } else {
            format!("Nothing could be read from this file: {}.", reasons.join("; "))
        });
    }
    // Stable, so problems of one row keep the order the checks found them in.
    problems.sort_by_key(|p| p.row);
    let action_count = if problems.is_empty() { file.plan.action_count() } else { 0 };
    Ok(ReadFile { format, rows: file.rows, problems, action_count })
}

/// A risk register file as read for its preview (`risk_file::read_risk_csv`).
#[derive(Debug)]
pub struct ReadRiskFile {
    pub format: FileFormat,
    pub file: RiskFile,
}

/// Reads a risk register file (CSV or workbook, told apart as plan files are); `existing`
/// holds the references the register already uses. `Err` with the reason when there is nothing
/// to preview.
pub fn read_risk_file(file_name: &str, bytes: &[u8], existing: &[String]) -> Result<ReadRiskFile, String> {
    let format = detect(file_name, bytes)?;
    let (csv, mut problems) = match format {
        FileFormat::Csv => (bytes.to_vec(), Vec::new()),
        FileFormat::Xlsx => plan_xlsx::sheet_as_csv_with(bytes, &[])?,
    };
    let mut file = read_risk_csv(&csv, existing);
    if file.rows.is_empty() {
        problems.extend(file.problems);
        let mut reasons: Vec<String> = problems.iter().take(5).map(ToString::to_string).collect();
        if problems.len() > reasons.len() {
            reasons.push(format!("and {} more", problems.len() - reasons.len()));
        }
        return Err(format!("Nothing could be read from this file: {}.", reasons.join("; ")));
    }
    if !problems.is_empty() {
        problems.append(&mut file.problems);
        problems.sort_by_key(|p| p.row);
        file.problems = problems;
        file.risks.clear();
    }
    Ok(ReadRiskFile { format, file })
}

/// By content first (a workbook is a zip archive), then by name for what it cannot be.
fn detect(file_name: &str, bytes: &[u8]) -> Result<FileFormat, String> {
    let name = file_name.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(FileFormat::Xlsx);
    }
    // The older binary Excel format (an OLE compound file).
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || name.ends_with(".xls") {
        return Err("This is an older Excel file (.xls). Save it as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\" \
                    and upload that."
            .into());
    }
    if name.ends_with(".xlsx") {
        return Err("The file is named .xlsx but is not an Excel workbook. Save it again from your spreadsheet \
                    as \"Excel Workbook (.xlsx)\" and upload that."
            .into());
    }
    Ok(FileFormat::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\n";

    #[test]
    fn a_good_csv_file_reads_every_row_with_no_problems() {
        // A spreadsheet saves a blank row as a row of empty cells.
        let csv = format!("{HEADER}P,1,,1.1,Obj,First,Lead,,,,\n,,,,,,,,,,\nP,1,,1.1,Obj,Second,Lead,,,,G\n");
        let read = read_file("plan.csv", csv.as_bytes()).unwrap();
        assert_eq!(read.format, FileFormat::Csv);
        assert!(read.problems.is_empty());
        assert_eq!(read.action_count, 2);
        assert_eq!(read.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4], "blank rows keep their numbers");
        assert_eq!(read.rows[1].cells.status, "G");
    }

    #[test]
    fn every_row_is_kept_with_every_problem_for_the_preview() {
        let csv = format!("{HEADER}P,1,,1.1,Obj,Good,Lead,,,,\nP,1,,2.1,Obj,Wrong outcome,Lead,,,,Purple\n");
        let read = read_file("plan.csv", csv.as_bytes()).unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.action_count, 0);
        let problems: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert!(problems.iter().all(|p| p.starts_with("row 3, column ")), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("row 3, column status:")), "{problems:?}");
    }

    #[test]
    fn files_with_nothing_to_preview_are_refused_with_the_reason() {
        let err = read_file("plan.csv", b"a,b,c\n1,2,3\n").unwrap_err();
        assert!(err.contains("row 1: the header must be exactly"), "{err}");
        assert!(read_file("plan.csv", HEADER.as_bytes()).unwrap_err().contains("header but no actions"));
        assert!(read_file("plan.csv", b"\xff\xfe\x00").unwrap_err().contains("not UTF-8"));
        assert!(read_file("plan.xls", b"\xD0\xCF\x11\xE0rest").unwrap_err().contains("older Excel file"));
        assert!(read_file("plan.xlsx", b"priority").unwrap_err().contains("not an Excel workbook"));
    }

    #[test]
    fn a_workbook_goes_through_the_same_checks() {
        let rows = vec![app::domain::plan_csv::PlanCsvRow {
            priority: "P".into(),
            outcome_number: "1".into(),
            objective_number: "2.1".into(),
            objective: "Obj".into(),
            action: "Under the wrong outcome".into(),
            ..Default::default()
        }];
        let bytes = plan_xlsx::write_xlsx(&rows).unwrap();
        let read = read_file("anything.bin", &bytes).unwrap();
        assert_eq!(read.format, FileFormat::Xlsx);
        assert_eq!(read.rows[0].row, 2);
        let problems: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("row 2, column objective_number: objective 2.1 does not belong to outcome 1"));
    }

    #[test]
    fn a_risk_register_workbook_is_read_with_its_problems_by_row() {
        let sheet = vec![
            vec!["Risk ref".into(), "Risk".into(), "Likelihood".into(), "Impact".into(), "Target".into(), "RAG".into()],
            vec!["R1".into(), "Staff turnover".into(), "4 - Likely".into(), "Major".into(), "6".into(), "Red".into()],
            vec!["R2".into(), "Data sharing".into(), "9".into(), "2".into(), "4".into(), String::new()],
        ];
        let bytes = plan_xlsx::write_tables(&[("Risks", sheet)]).unwrap();
        let read = read_risk_file("register.xlsx", &bytes, &[]).unwrap();
        assert_eq!(read.format, FileFormat::Xlsx);
        assert_eq!(read.file.rows.len(), 2);
        assert_eq!(read.file.ignored_columns, vec!["RAG"]);
        let problems: Vec<String> = read.file.problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("row 3, column Likelihood: \"9\" is not accepted"), "{problems:?}");
        assert!(read.file.risks.is_empty());

        let err = read_risk_file("register.csv", b"Owner,Notes\nme,x\n", &[]).unwrap_err();
        assert!(err.contains("the header has no reference column"), "{err}");
    }
}
