//! The one CSV format for a plan, used for import and export (RFC 4180, UTF-8, one row per
//! action). Import validates every row before anything is saved and reports each problem with
//! its row, column and reason; export writes the canonical form, so export → import → export
//! gives identical bytes.

use crate::domain::numbering::{parse_outcome_number, ObjectiveNumber};
use crate::domain::plan_file::MAX_ACTIONS;
pub use crate::domain::plan_file::{ImportProblem, ImportRow, PlanCsvRow, COLUMNS};
use crate::domain::status::Status;
use crate::domain::text;
use crate::domain::views::{ActionRow, ObjectiveView, OutcomeView, PlanView};

/// The longest text each column takes, in `COLUMNS` order: the same limits as the forms that
/// edit the same fields.
const COLUMN_LIMITS: [usize; 11] = [
    text::MAX_TITLE,
    10,
    text::MAX_TITLE,
    20,
    text::MAX_TITLE,
    text::MAX_DESCRIPTION,
    text::MAX_LEAD,
    text::MAX_TIMESCALE,
    text::MAX_LONG_TEXT,
    text::MAX_LONG_TEXT,
    10,
];

/// A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV
/// injection"); a cell beginning with a quote is the escape itself.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Text as it is written to a file: a cell a spreadsheet would run as a formula gets a
/// leading quote, which spreadsheets show as text. Text that already begins with a quote gets
/// one more, so [`restore`] can always tell an added quote from the text's own.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A cell as read from a file: exactly the quote [`neutralise`] added, if it added one.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A validated plan, shaped as the tree it will be stored as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanImport {
    pub priorities: Vec<ImportPriority>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPriority {
    pub title: String,
    pub outcomes: Vec<ImportOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub number: u32,
    pub title: String,
    pub objectives: Vec<ImportObjective>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportObjective {
    pub number: ObjectiveNumber,
    pub title: String,
    pub actions: Vec<ImportAction>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportAction {
    pub description: String,
    pub lead: String,
    pub timescale: String,
    pub evidence: String,
    pub progress: String,
    pub status: Option<Status>,
}

impl PlanImport {
    pub fn action_count(&self) -> usize {
        self.priorities.iter().flat_map(|p| &p.outcomes).flat_map(|o| &o.objectives).map(|o| o.actions.len()).sum()
    }

    /// The rows that describe this plan, in order.
    pub fn rows(&self) -> Vec<PlanCsvRow> {
        let mut rows = Vec::new();
        for priority in &self.priorities {
            for outcome in &priority.outcomes {
                for objective in &outcome.objectives {
                    for action in &objective.actions {
                        rows.push(PlanCsvRow {
                            priority: priority.title.clone(),
                            outcome_number: outcome.number.to_string(),
                            outcome: outcome.title.clone(),
                            objective_number: objective.number.to_string(),
                            objective: objective.title.clone(),
                            action: action.description.clone(),
                            lead: action.lead.clone(),
                            timescale: action.timescale.clone(),
                            evidence: action.evidence.clone(),
                            progress: action.progress.clone(),
                            status: action.status.map(|s| s.code().to_owned()).unwrap_or_default(),
                        });
                    }
                }
            }
        }
        rows
    }
}

/// The rows of a stored plan, in plan order. The original timescale is exported (a revised
/// one is part of the action's history, not of the plan as written).
pub fn rows_from_view(plan: &PlanView) -> Vec<PlanCsvRow> {
    PlanImport::from(plan).rows()
}

impl From<&PlanView> for PlanImport {
    fn from(plan: &PlanView) -> Self {
        let action = |a: &ActionRow| ImportAction {
            description: a.description.clone(),
            lead: a.lead.clone(),
            timescale: a.timescale.clone(),
            evidence: a.evidence.clone(),
            progress: a.progress.clone(),
            status: a.status,
        };
        let objective = |o: &ObjectiveView| ImportObjective {
            number: o.number,
            title: o.title.clone(),
            actions: o.actions.iter().map(action).collect(),
        };
        let outcome = |o: &OutcomeView| ImportOutcome {
            number: o.number,
            title: o.title.clone(),
            objectives: o.objectives.iter().map(objective).collect(),
        };
        PlanImport {
            priorities: plan
                .priorities
                .iter()
                .map(|p| ImportPriority { title: p.title.clone(), outcomes: p.outcomes.iter().map(outcome).collect() })
                .collect(),
        }
    }
}

/// Writes rows in the canonical form: header first, CRLF line ends, quotes only where needed.
pub fn write_csv(rows: &[PlanCsvRow]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    writer.write_record(COLUMNS).expect("write to memory");
    for row in rows {
        writer.write_record(row.cells().map(neutralise).iter().map(|c| c.as_bytes())).expect("write to memory");
    }
    let bytes = writer.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("cells are UTF-8")
}

/// Any table as CSV (the first row its header), in the same canonical form and with the
/// same formula neutralisation as a plan's export: the COG report's sections use it.
pub fn write_table(rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(row.iter().map(|c| neutralise(c)).collect::<Vec<_>>().iter().map(|c| c.as_bytes()))
            .expect("write to memory");
    }
    let bytes = writer.into_inner().expect("flush to memory");
    String::from_utf8(bytes).expect("cells are UTF-8")
}

/// A plan file as read: every row as read (for a preview), every problem found, and the plan
/// those rows make (complete only when there are no problems).
#[derive(Debug, Clone, Default)]
pub struct PlanFile {
    pub rows: Vec<ImportRow>,
    pub problems: Vec<ImportProblem>,
    pub plan: PlanImport,
}

impl PlanFile {
    /// The plan if the file can be imported as it is, or every problem.
    pub fn into_result(self) -> Result<PlanImport, Vec<ImportProblem>> {
        if self.problems.is_empty() {
            Ok(self.plan)
        } else {
            Err(self.problems)
        }
    }
}

/// Reads and validates a whole file. Either every row is good and the plan comes back, or
/// every problem found comes back and nothing should be saved.
pub fn parse_plan_csv(bytes: &[u8]) -> Result<PlanImport, Vec<ImportProblem>> {
    read_plan_csv(bytes).into_result()
}

/// Re-validates rows kept from an earlier reading (a staged upload) through the same reader,
/// so an import never trusts what was stored.
pub fn revalidate(rows: &[ImportRow]) -> Result<PlanImport, Vec<ImportProblem>> {
    let cells: Vec<PlanCsvRow> = rows.iter().map(|r| r.cells.clone()).collect();
    parse_plan_csv(write_csv(&cells).as_bytes())
}

/// Reads a plan file: the one reader of the format, for imports, uploads and their preview.
/// Rows are numbered as a spreadsheet shows them (the header is row 1; blank rows are skipped
/// but keep their numbers).
pub fn read_plan_csv(bytes: &[u8]) -> PlanFile {
    let whole_file =
        |message: String| PlanFile { problems: vec![ImportProblem::whole_file(message)], ..PlanFile::default() };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return whole_file(format!("the file is not UTF-8 text (first bad byte at position {})", e.valid_up_to()))
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return whole_file("the file is empty: it needs the header row and one row per action".into());
    }

    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut file = PlanFile::default();
    let mut complete: Vec<(u32, PlanCsvRow)> = Vec::new();

    for (index, record) in reader.records().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                file.problems.push(ImportProblem::at(row, None, format!("cannot be read as CSV ({e})")));
                break;
            }
        };
        if row == 1 {
            let header: Vec<&str> = record.iter().map(str::trim).collect();
            if header != COLUMNS {
                return whole_file_row_one();
            }
            continue;
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue; // Spreadsheets leave blank rows at the end; they carry nothing.
        }
        if file.rows.len() == MAX_ACTIONS {
            file.problems.push(ImportProblem::at(row, None, format!("a plan holds at most {MAX_ACTIONS} actions")));
            break;
        }
        let cells: Vec<String> = record.iter().map(read_cell).collect();
        // As read, for the preview and the stored upload, which cannot hold what the row's
        // problem names: a character that cannot be stored shows as a replacement mark.
        let shown =
            cells.iter().map(|c| c.chars().map(|ch| if text::allowed_char(ch) { ch } else { '\u{fffd}' }).collect());
        file.rows.push(ImportRow { row, cells: PlanCsvRow::from_cells(shown) });
        if record.len() != COLUMNS.len() {
            file.problems.push(ImportProblem::at(
                row,
                None,
                format!("has {} columns; every row needs the {} columns of the header", record.len(), COLUMNS.len()),
            ));
            continue;
        }
        for ((column, limit), cell) in COLUMNS.iter().zip(COLUMN_LIMITS).zip(&cells) {
            if !cell.chars().all(text::allowed_char) {
                file.problems.push(ImportProblem::at(
                    row,
                    Some(column),
                    "holds a control character (such as NUL) that cannot be stored: remove it",
                ));
            } else if cell.chars().count() > limit {
                file.problems.push(ImportProblem::at(row, Some(column), format!("is longer than {limit} characters")));
            }
        }
        complete.push((row, PlanCsvRow::from_cells(cells)));
    }

    file.plan = build_tree(&complete, &mut file.problems);
    if file.rows.is_empty() && file.problems.is_empty() {
        file.problems.push(ImportProblem::whole_file("the file has a header but no actions"));
    }
    // Stable, so the problems of one row keep the order the checks found them in.
    file.problems.sort_by_key(|p| p.row);
    file
}

/// A file whose first row is not the format's header: its columns would mean nothing.
fn whole_file_row_one() -> PlanFile {
    PlanFile {
        problems: vec![ImportProblem::at(1, None, format!("the header must be exactly: {}", COLUMNS.join(",")))],
        ..PlanFile::default()
    }
}

/// A cell as a plan file holds it, as it is stored: trimmed, line ends normalised, and the
/// quote [`neutralise`] added on export taken off again.
pub fn read_cell(cell: &str) -> String {
    restore(&canonical(cell)).to_owned()
}

/// Trimmed, with line ends normalised inside, so stored text is canonical.
fn canonical(cell: &str) -> String {
    let unified = cell.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.split('\n').map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

fn build_tree(rows: &[(u32, PlanCsvRow)], problems: &mut Vec<ImportProblem>) -> PlanImport {
    let mut plan = PlanImport::default();
    // Numbers already closed off, to catch a group that reappears after another started.
    let mut seen_priorities: Vec<String> = Vec::new();
    let mut seen_outcomes: Vec<u32> = Vec::new();
    let mut seen_objectives: Vec<ObjectiveNumber> = Vec::new();

    for (row, cells) in rows {
        let row = *row;
        let mut problem = |column: &'static str, message: String| {
            problems.push(ImportProblem::at(row, Some(column), message));
        };

        if cells.priority.is_empty() {
            problem("priority", "is empty: name the strategic priority".into());
        }
        let outcome_number = parse_outcome_number(&cells.outcome_number).map_err(|m| problem("outcome_number", m)).ok();
        let objective_number = outcome_number.and_then(|outcome| {
            ObjectiveNumber::parse_under(&cells.objective_number, outcome)
                .map_err(|m| problem("objective_number", m))
                .ok()
        });
        if outcome_number.is_none() && ObjectiveNumber::parse(&cells.objective_number).is_err() {
            problem(
                "objective_number",
                format!(
                    "\"{}\" is not an objective number: write it as outcome.number, e.g. 1.2",
                    cells.objective_number
                ),
            );
        }
        if cells.objective.is_empty() {
            problem("objective", "is empty: every objective needs its text".into());
        }
        if cells.action.is_empty() {
            problem("action", "is empty: say what is going to be done".into());
        }
        let status = Status::parse_optional(&cells.status).map_err(|m| problem("status", m)).ok();

        let (Some(outcome_number), Some(objective_number), Some(status)) = (outcome_number, objective_number, status)
        else {
            continue;
        };
        if cells.priority.is_empty() || cells.objective.is_empty() || cells.action.is_empty() {
            continue;
        }

        // Priority: continue the current one or open a new one.
        let continues_priority = plan.priorities.last().is_some_and(|p| p.title == cells.priority);
        if !continues_priority {
            if seen_priorities.contains(&cells.priority) {
                problem(
                    "priority",
                    format!("\"{}\" appeared earlier: keep each priority's rows together", cells.priority),
                );
                continue;
            }
            seen_priorities.push(cells.priority.clone());
            plan.priorities.push(ImportPriority { title: cells.priority.clone(), outcomes: Vec::new() });
        }
        let priority = plan.priorities.last_mut().expect("just ensured");

        let continues_outcome = priority.outcomes.last().is_some_and(|o| o.number == outcome_number);
        if continues_outcome {
            let outcome = priority.outcomes.last().expect("just checked");
            if outcome.title != cells.outcome {
                problem(
                    "outcome",
                    format!("differs from the text given for outcome {outcome_number} on an earlier row"),
                );
                continue;
            }
        } else {
            if seen_outcomes.contains(&outcome_number) {
                problem("outcome_number", format!("outcome {outcome_number} appeared earlier: keep each outcome's rows together, under one priority"));
                continue;
            }
            seen_outcomes.push(outcome_number);
            priority.outcomes.push(ImportOutcome {
                number: outcome_number,
                title: cells.outcome.clone(),
                objectives: Vec::new(),
            });
        }
        let outcome = priority.outcomes.last_mut().expect("just ensured");

        let continues_objective = outcome.objectives.last().is_some_and(|o| o.number == objective_number);
        if continues_objective {
            let objective = outcome.objectives.last().expect("just checked");
            if objective.title != cells.objective {
                problem(
                    "objective",
                    format!("differs from the text given for objective {objective_number} on an earlier row"),
                );
                continue;
            }
        } else {
            if seen_objectives.contains(&objective_number) {
                problem(
                    "objective_number",
                    format!("objective {objective_number} appeared earlier: keep each objective's rows together"),
                );
                continue;
            }
            seen_objectives.push(objective_number);
            outcome.objectives.push(ImportObjective {
                number: objective_number,
                title: cells.objective.clone(),
                actions: Vec::new(),
            });
        }
        let objective = outcome.objectives.last_mut().expect("just ensured");
        objective.actions.push(ImportAction {
            description: cells.action.clone(),
            lead: cells.lead.clone(),
            timescale: cells.timescale.clone(),
            evidence: cells.evidence.clone(),
            progress: cells.progress.clone(),
            status,
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\n";

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        text.into_bytes()
    }

    fn problems(bytes: &[u8]) -> Vec<String> {
        parse_plan_csv(bytes).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_file_becomes_a_tree_in_source_order() {
        let plan = parse_plan_csv(&csv(&[
            "Leadership,1,,1.1,Members know their role,Induction,\"Chair, Lead Officer\",As required,,Ongoing,",
            "Leadership,1,,1.1,Members know their role,Development day,Chair,Annually,,Complete,P",
            "Leadership,1,,1.2,Plans are delivered,Produce a plan,Lead Officer,2024,,,G",
            "Improvement,2,Processes support improvement,2.1,Robust systems,Audit,QA subgroup,March 2024,Report,,A",
        ]))
        .unwrap();
        assert_eq!(plan.priorities.len(), 2);
        assert_eq!(plan.priorities[0].outcomes[0].objectives.len(), 2);
        assert_eq!(plan.priorities[0].outcomes[0].objectives[0].actions[1].status, Some(Status::Complete));
        assert_eq!(plan.priorities[0].outcomes[0].objectives[0].actions[0].lead, "Chair, Lead Officer");
        assert_eq!(plan.priorities[1].outcomes[0].title, "Processes support improvement");
        assert_eq!(plan.action_count(), 4);
    }

    #[test]
    fn export_then_import_then_export_gives_identical_bytes() {
        let plan = parse_plan_csv(&csv(&[
            "P,1,,1.1,Obj,\"A list:\n- one, two\n- \"\"three\"\"\",Lead,Ongoing,,As required,",
            "P,1,,1.1,Obj,Second,Lead,Ongoing,\"x,y\",,R",
        ]))
        .unwrap();
        let first = write_csv(&plan.rows());
        let second = write_csv(&parse_plan_csv(first.as_bytes()).unwrap().rows());
        assert_eq!(first, second);
        assert!(first.starts_with("priority,outcome_number,"));
        assert!(first.contains("\r\n"), "RFC 4180 line ends");
        assert!(first.contains("\"A list:\n- one, two\n- \"\"three\"\"\""));
    }

    #[test]
    fn a_wrong_header_is_refused_before_anything_else() {
        let err = problems(b"priority,outcome,objective\nP,1,1.1\n");
        assert_eq!(err, vec!["row 1: the header must be exactly: priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status"]);
    }

    #[test]
    fn every_bad_row_is_reported_with_row_column_and_reason() {
        let err = problems(&csv(&[
            "P,1,,1.1,Obj,Good action,Lead,,,,",
            "P,1,,2.1,Obj,Action under the wrong outcome,Lead,,,,",
            "P,x,,1.2,Obj,Bad outcome number,Lead,,,,",
            "P,1,,1.3,Obj,,Lead,,,,",
            "P,1,,1.4,Obj,Bad status,Lead,,,,Purple",
            "P,1,,1.5,Obj,Too few columns",
        ]));
        assert!(
            err.iter()
                .any(|e| e.starts_with("row 3, column objective_number: objective 2.1 does not belong to outcome 1")),
            "{err:?}"
        );
        assert!(
            err.iter().any(|e| e.starts_with("row 4, column outcome_number: \"x\" is not an outcome number")),
            "{err:?}"
        );
        assert!(err.iter().any(|e| e.starts_with("row 5, column action: is empty")), "{err:?}");
        assert!(err.iter().any(|e| e.starts_with("row 6, column status: \"Purple\" is not a status")), "{err:?}");
        assert!(err.iter().any(|e| e.starts_with("row 7: has 6 columns")), "{err:?}");
        assert!(!err.iter().any(|e| e.starts_with("row 2")), "{err:?}");
    }

    #[test]
    fn groups_must_stay_together_and_agree_on_their_text() {
        let err = problems(&csv(&[
            "P,1,First,1.1,Obj,A,L,,,,",
            "P,1,Other text,1.1,Obj,B,L,,,,",
            "P,2,,2.1,Obj,C,L,,,,",
            "P,1,First,1.2,Obj,D,L,,,,",
            "P,2,,2.1,Changed objective,E,L,,,,",
        ]));
        assert!(err.iter().any(|e| e.starts_with("row 3, column outcome: differs")), "{err:?}");
        assert!(
            err.iter().any(|e| e.starts_with("row 5, column outcome_number: outcome 1 appeared earlier")),
            "{err:?}"
        );
        assert!(err.iter().any(|e| e.starts_with("row 6, column objective: differs")), "{err:?}");
    }

    #[test]
    fn empty_and_non_utf8_files_are_refused() {
        assert_eq!(problems(b""), vec!["the file is empty: it needs the header row and one row per action"]);
        assert_eq!(problems(HEADER.as_bytes()), vec!["the file has a header but no actions"]);
        assert!(problems(b"\xff\xfe").iter().any(|e| e.contains("not UTF-8")));
    }

    #[test]
    fn cells_are_trimmed_and_line_ends_normalised() {
        let plan = parse_plan_csv("\u{feff}priority,outcome_number,outcome,objective_number,objective,action,lead,timescale,evidence,progress,status\r\n P ,1,,1.1, Obj ,\"one  \r\ntwo\",L,,,, \r\n".as_bytes()).unwrap();
        let objective = &plan.priorities[0].outcomes[0].objectives[0];
        assert_eq!(plan.priorities[0].title, "P");
        assert_eq!(objective.title, "Obj");
        assert_eq!(objective.actions[0].description, "one\ntwo");
        assert_eq!(objective.actions[0].status, None);
    }
    #[test]
    fn cells_a_spreadsheet_would_run_are_exported_as_text_and_read_back_as_they_were() {
        let texts =
            ["=HYPERLINK(\"https://evil.example\",\"Click\")", "+1", "-", "@SUM(A1)", "'", "''=x", "'plain", "plain"];
        let rows: Vec<PlanCsvRow> = texts
            .iter()
            .map(|t| PlanCsvRow {
                priority: "P".into(),
                outcome_number: "1".into(),
                objective_number: "1.1".into(),
                objective: "Obj".into(),
                action: "Act".into(),
                progress: (*t).into(),
                ..PlanCsvRow::default()
            })
            .collect();
        let exported = write_csv(&rows);
        let reader = csv::ReaderBuilder::new().from_reader(exported.as_bytes());
        let cells: Vec<String> = reader.into_records().map(|r| r.unwrap()[9].to_owned()).collect();
        for cell in &cells {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} would run as a formula");
        }
        assert_eq!(cells[0], "'=HYPERLINK(\"https://evil.example\",\"Click\")");
        assert_eq!(cells[4], "''", "a lone quote gets its escape");
        assert_eq!(cells[6], "''plain", "text that starts with a quote gets one more");
        assert_eq!(cells[7], "plain");
        let read = parse_plan_csv(exported.as_bytes()).unwrap();
        let progress: Vec<String> =
            read.priorities[0].outcomes[0].objectives[0].actions.iter().map(|a| a.progress.clone()).collect();
        assert_eq!(progress, texts);
        assert_eq!(write_csv(&read.rows()), exported);
        // A quote someone typed before ordinary text, in a file of their own, stays.
        assert_eq!(restore("'plain"), "'plain");
    }

    #[test]
    fn control_characters_and_overlong_cells_are_refused_by_column() {
        let long_action = "x".repeat(text::MAX_DESCRIPTION + 1);
        let err = problems(&csv(&["P,1,,1.1,Obj,A\u{0}B,L,,,,", &format!("P,1,,1.1,Obj,{long_action},L,,,,")]));
        assert!(err.iter().any(|e| e.starts_with("row 2, column action: holds a control character")), "{err:?}");
        assert!(err.iter().any(|e| e == "row 3, column action: is longer than 2000 characters"), "{err:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512,
            rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_201),
            failure_persistence: None,
            ..Default::default()
        })]
        /// Any stored text survives export and import unchanged, and export → import → export
        /// gives the same bytes, whatever it begins with.
        #[test]
        fn any_text_survives_export_and_import(text in "['=+@\\-\t]{0,3}([^\\p{Cc}]|\n|\t){0,40}") {
            let text = canonical(&text);
            proptest::prop_assume!(!text.is_empty());
            let row = PlanCsvRow {
                priority: "P".into(),
                outcome_number: "1".into(),
                objective_number: "1.1".into(),
                objective: "Obj".into(),
                action: text.clone(),
                evidence: text.clone(),
                progress: text.clone(),
                ..PlanCsvRow::default()
            };
            let first = write_csv(std::slice::from_ref(&row));
            let read = parse_plan_csv(first.as_bytes()).unwrap();
            let action = &read.priorities[0].outcomes[0].objectives[0].actions[0];
            proptest::prop_assert_eq!(&action.description, &text);
            proptest::prop_assert_eq!(&action.progress, &text);
            proptest::prop_assert_eq!(write_csv(&read.rows()), first);
        }
    }
}
