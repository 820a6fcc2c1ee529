//! A risk register as a file, for importing an existing register: CSV, or an Excel workbook
//! read as CSV (the server's workbook reader), one row per risk under a header row.
//!
//! Registers kept in spreadsheets name their columns in many ways ("Risk owner", "Controls in
//! place", "L", "Target"), so the header is matched by meaning, in any order, and columns that
//! are not part of a risk (a derived "Score", a "RAG" colour) are named on the preview as not
//! imported. Every row goes through the same checks as the forms (`risk::check_risk`,
//! `risk::check_assessment`); a problem names its row and column and says what to do.

use crate::domain::plan_file::ImportProblem;
use serde::{Deserialize, Serialize};

/// A risk register file holds at most this many risks (a committee's has a few dozen).
pub const MAX_RISKS: usize = 1_000;

/// One column of the format: its field (as the forms name it), its label, the header names a
/// register may use for it, whether a file must have it, and what goes in it.
pub struct RiskColumn {
    pub field: &'static str,
    pub label: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
    pub note: &'static str,
}

/// The columns, in the order the template and the preview show them.
pub const RISK_COLUMNS: [RiskColumn; 11] = [
    RiskColumn {
        field: "reference",
        label: "Reference",
        names: &["reference", "ref", "risk reference", "risk ref", "risk id", "id", "risk no", "risk number", "no"],
        required: true,
        note: "The risk's reference in the register, e.g. R1. Each once.",
    },
    RiskColumn {
        field: "title",
        label: "Risk",
        names: &["risk", "title", "risk title", "risk name", "name", "risk summary"],
        required: true,
        note: "What the risk is, in a few words.",
    },
    RiskColumn {
        field: "description",
        label: "Description",
        names: &["description", "risk description", "details"],
        required: false,
        note: "The risk described more fully.",
    },
    RiskColumn {
        field: "cause",
        label: "Cause",
        names: &["cause", "causes", "cause s", "source"],
        required: false,
        note: "What could bring it about.",
    },
    RiskColumn {
        field: "consequence",
        label: "Consequence",
        names: &["consequence", "consequences", "consequence s", "effect", "effects"],
        required: false,
        note: "What would follow if it happened.",
    },
    RiskColumn {
        field: "owner",
        label: "Owner",
        names: &["owner", "risk owner", "owned by"],
        required: false,
        note: "Who owns the risk, as the register writes it.",
    },
    RiskColumn {
        field: "controls",
        label: "Controls in place",
        names: &["controls", "controls in place", "existing controls", "current controls", "control measures"],
        required: false,
        note: "What is already done to control it.",
    },
    RiskColumn {
        field: "likelihood",
        label: "Likelihood",
        names: &["likelihood", "current likelihood", "probability", "l"],
        required: true,
        note: "1 to 5, or its word: 1 Rare, 2 Unlikely, 3 Possible, 4 Likely, 5 Almost certain (\"4 - Likely\" reads as 4).",
    },
    RiskColumn {
        field: "impact",
        label: "Impact",
        names: &["impact", "current impact", "severity", "i"],
        required: true,
        note: "1 to 5, or its word: 1 Negligible, 2 Minor, 3 Moderate, 4 Major, 5 Severe.",
    },
    RiskColumn {
        field: "target_score",
        label: "Target score",
        names: &["target score", "target", "target risk score", "target rating", "target risk"],
        required: true,
        note: "The score (likelihood × impact) the committee aims for: 1 to 25.",
    },
    RiskColumn {
        field: "review_on",
        label: "Review date",
        names: &["review date", "review on", "review", "next review", "next review date", "date of next review"],
        required: false,
        note: "When it is next reviewed: 2027-03-31 or 31/03/2027 (day first), or empty.",
    },
];

/// The header names of the template, in order.
pub fn template_header() -> Vec<&'static str> {
    RISK_COLUMNS.iter().map(|c| c.label).collect()
}

/// One risk as read from a file, in the format's fields (whatever the file called its
/// columns): what the preview shows and what an upload keeps while it waits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RiskCells {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub cause: String,
    pub consequence: String,
    pub owner: String,
    pub controls: String,
    pub likelihood: String,
    pub impact: String,
    pub target_score: String,
    pub review_on: String,
}

impl RiskCells {
    fn cell_mut(&mut self, field: &str) -> Option<&mut String> {
        Some(match field {
            "reference" => &mut self.reference,
            "title" => &mut self.title,
            "description" => &mut self.description,
            "cause" => &mut self.cause,
            "consequence" => &mut self.consequence,
            "owner" => &mut self.owner,
            "controls" => &mut self.controls,
            "likelihood" => &mut self.likelihood,
            "impact" => &mut self.impact,
            "target_score" => &mut self.target_score,
            "review_on" => &mut self.review_on,
            _ => return None,
        })
    }
}

/// A row of a risk file: its spreadsheet row number (the header is row 1) and its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskImportRow {
    pub row: u32,
    #[serde(flatten)]
    pub cells: RiskCells,
}

/// The label a problem names a field's column by.
pub fn column_label(field: &str) -> &'static str {
    RISK_COLUMNS.iter().find(|c| c.field == field).map(|c| c.label).unwrap_or("file")
}

/// A header cell as compared: lower case, words only ("Risk Owner:" → "risk owner").
fn header_key(cell: &str) -> String {
    cell.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Which field each of the header's columns holds (None: not imported), every problem with the
/// header, and the names of the columns that are not imported.
pub fn map_header(header: &[&str]) -> (Vec<Option<&'static str>>, Vec<ImportProblem>, Vec<String>) {
    let mut fields = Vec::with_capacity(header.len());
    let mut problems = Vec::new();
    let mut ignored = Vec::new();
    for cell in header {
        let key = header_key(cell);
        let column = RISK_COLUMNS.iter().find(|c| c.names.contains(&key.as_str()));
        match column {
            Some(column) if fields.contains(&Some(column.field)) => problems.push(ImportProblem::at(
                1,
                None,
                format!(
                    "two columns hold the {}: \"{}\" is the second; keep one of them",
                    column.label.to_lowercase(),
                    cell.trim()
                ),
            )),
            Some(column) => {
                fields.push(Some(column.field));
                continue;
            }
            None if key.is_empty() => {}
            None => ignored.push(cell.trim().to_owned()),
        }
        fields.push(None);
    }
    for column in RISK_COLUMNS.iter().filter(|c| c.required) {
        if !fields.contains(&Some(column.field)) {
            problems.push(ImportProblem::at(
                1,
                None,
                format!(
                    "the header has no {} column (it may be called {})",
                    column.label.to_lowercase(),
                    column.names.iter().take(3).map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    (fields, problems, ignored)
}

/// A row's cells placed in their fields by the header's mapping; cells past the header's end,
/// or under columns not imported, are left out.
pub fn place(fields: &[Option<&'static str>], cells: impl IntoIterator<Item = String>) -> RiskCells {
    let mut placed = RiskCells::default();
    for (field, cell) in fields.iter().zip(cells) {
        if let Some(slot) = field.and_then(|f| placed.cell_mut(f)) {
            *slot = cell;
        }
    }
    placed
}

/// A likelihood or impact as registers write it: "4", "4 - Likely", "4 · Likely", or the word
/// of the scale ("likely"), into the digit the forms take; anything else is given back as it
/// is, for the forms' check to refuse with its message.
pub fn level_text(cell: &str, words: &[&str; 5]) -> String {
    let cell = cell.trim();
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = cell[digits.len()..].trim_start_matches(|c: char| c.is_whitespace() || "-–·:.()".contains(c));
        // "4 - Likely" is 4; "4.5" or "4 of 5 maybe" is not a level.
        if rest.is_empty() || words.iter().any(|w| w.eq_ignore_ascii_case(rest.trim_end_matches(')'))) {
            return digits;
        }
        return cell.to_owned();
    }
    match words.iter().position(|w| w.eq_ignore_ascii_case(cell)) {
        Some(i) => (i + 1).to_string(),
        None => cell.to_owned(),
    }
}

/// A target score as registers write it: "6" or "6 - Medium" is 6.
pub fn score_text(cell: &str) -> String {
    let cell = cell.trim();
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    let rest = cell[digits.len()..].trim_start_matches(|c: char| c.is_whitespace() || "-–·:(".contains(c));
    let band = rest.trim_end_matches(')');
    if !digits.is_empty()
        && (band.is_empty() || ["low", "medium", "high", "very high"].contains(&band.to_lowercase().as_str()))
    {
        digits
    } else {
        cell.to_owned()
    }
}

/// A review date as British registers write it: 31/03/2027 (day first) or 31.03.2027 becomes
/// 2027-03-31; an ISO date, or a workbook's date cell (read as ISO), stays as it is.
pub fn date_text(cell: &str) -> String {
    let cell = cell.trim();
    let parts: Vec<&str> = cell.split(['/', '.']).collect();
    if let [d, m, y] = parts.as_slice() {
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if all_digits(d) && all_digits(m) && all_digits(y) && d.len() <= 2 && m.len() <= 2 {
            let year = if y.len() == 2 { format!("20{y}") } else { (*y).to_owned() };
            return format!("{year}-{m:0>2}-{d:0>2}");
        }
    }
    cell.to_owned()
}

#[cfg(feature = "ssr")]
pub use reader::*;

#[cfg(feature = "ssr")]
mod reader {
    use super::*;
    use crate::domain::plan_csv::read_cell;
    use crate::domain::risk::{check_assessment, check_risk, Assessment, RiskForm, RiskWording, IMPACT, LIKELIHOOD};
    use crate::domain::text;
    use crate::error::AppError;

    /// A risk file as read: every row (for the preview), every problem, the columns not
    /// imported, and the risks the rows make (all of them only when there are no problems).
    #[derive(Debug, Clone, Default)]
    pub struct RiskFile {
        pub rows: Vec<RiskImportRow>,
        pub problems: Vec<ImportProblem>,
        pub ignored_columns: Vec<String>,
        pub risks: Vec<(RiskWording, Assessment)>,
    }

    /// Reads a risk file (CSV text; a workbook's sheet comes as CSV too). `existing` holds the
    /// references already in the register, which the file may not use again.
    pub fn read_risk_csv(bytes: &[u8], existing: &[String]) -> RiskFile {
        let whole_file =
            |message: String| RiskFile { problems: vec![ImportProblem::whole_file(message)], ..RiskFile::default() };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return whole_file(format!(
                    "the file is not UTF-8 text (first bad byte at position {})",
                    e.valid_up_to()
                ))
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return whole_file("the file is empty: it needs the header row and one row per risk".into());
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut file = RiskFile::default();
        let mut fields: Vec<Option<&'static str>> = Vec::new();
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
                let header: Vec<&str> = record.iter().collect();
                let (mapped, problems, ignored) = map_header(&header);
                if !problems.is_empty() {
                    return RiskFile { problems, ignored_columns: ignored, ..RiskFile::default() };
                }
                fields = mapped;
                file.ignored_columns = ignored;
                continue;
            }
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if file.rows.len() == MAX_RISKS {
                file.problems.push(ImportProblem::at(row, None, format!("a register holds at most {MAX_RISKS} risks")));
                break;
            }
            let mut unstorable = Vec::new();
            let cells = record.iter().zip(&fields).map(|(cell, field)| {
                let cell = read_cell(cell);
                if field.is_some() && !cell.chars().all(text::allowed_char) {
                    unstorable.push(field.unwrap_or_default());
                }
                // As shown and kept: a character that cannot be stored shows as a replacement mark.
                cell.chars().map(|ch| if text::allowed_char(ch) { ch } else { '\u{fffd}' }).collect::<String>()
            });
            let cells = place(&fields, cells.collect::<Vec<_>>());
            for field in unstorable {
                file.problems.push(ImportProblem::at(
                    row,
                    Some(column_label(field)),
                    "holds a control character (such as NUL) that cannot be stored: remove it",
                ));
            }
            file.rows.push(RiskImportRow { row, cells });
        }
        if file.rows.is_empty() && file.problems.is_empty() {
            file.problems.push(ImportProblem::whole_file("the file has a header but no risks"));
        }
        let (problems, risks) = check_rows(&file.rows, existing);
        file.problems.extend(problems);
        file.problems.sort_by_key(|p| p.row);
        if file.problems.is_empty() {
            file.risks = risks;
        }
        file
    }

    /// Checks rows already placed in their fields (a file just read, or an upload kept from an
    /// earlier reading, so an import never trusts what was stored): every problem, and the
    /// risks the good rows make.
    pub fn check_rows(
        rows: &[RiskImportRow],
        existing: &[String],
    ) -> (Vec<ImportProblem>, Vec<(RiskWording, Assessment)>) {
        let mut problems = Vec::new();
        let mut risks = Vec::new();
        let mut seen: Vec<(String, u32)> = Vec::new();
        for r in rows {
            let c = &r.cells;
            let likelihood = level_text(&c.likelihood, &LIKELIHOOD);
            let impact = level_text(&c.impact, &IMPACT);
            let target = score_text(&c.target_score);
            let review = date_text(&c.review_on);
            let wording = check_risk(&RiskForm {
                reference: &c.reference,
                title: &c.title,
                description: &c.description,
                cause: &c.cause,
                consequence: &c.consequence,
                owner: &c.owner,
                controls: &c.controls,
                target_score: &target,
                review_on: &review,
            });
            let assessment = check_assessment(&likelihood, &impact, "");
            let mut row_problem = |field: &str, message: String| {
                problems.push(ImportProblem::at(r.row, Some(column_label(field)), message));
            };
            for result in [wording.as_ref().err(), assessment.as_ref().err()].into_iter().flatten() {
                match result {
                    AppError::Invalid(errors) => {
                        for e in errors {
                            let given = match e.field.as_str() {
                                "likelihood" => Some(&c.likelihood),
                                "impact" => Some(&c.impact),
                                "target_score" => Some(&c.target_score),
                                "review_on" => Some(&c.review_on),
                                _ => None,
                            };
                            let message = match given.filter(|g| !g.trim().is_empty()) {
                                Some(g) => format!("\"{}\" is not accepted: {}", g.trim(), e.message),
                                None => e.message.clone(),
                            };
                            row_problem(&e.field, message);
                        }
                    }
                    other => row_problem("reference", other.to_string()),
                }
            }
            let reference = c.reference.split_whitespace().collect::<Vec<_>>().join(" ");
            if !reference.is_empty() {
                if let Some((_, first)) = seen.iter().find(|(s, _)| s.eq_ignore_ascii_case(&reference)) {
                    row_problem(
                        "reference",
                        format!("{reference} is also on row {first}: each risk needs its own reference"),
                    );
                } else if existing.iter().any(|e| e.eq_ignore_ascii_case(&reference)) {
                    row_problem(
                        "reference",
                        format!("{reference} is already in the register: give the new risk another reference, or leave it out of the file"),
                    );
                }
                seen.push((reference, r.row));
            }
            if let (Ok(w), Ok(a)) = (wording, assessment) {
                risks.push((w, a));
            }
        }
        (problems, risks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_by_meaning_in_any_order() {
        let (fields, problems, ignored) =
            map_header(&["Risk Ref", "Risk", "Risk Owner:", "L", "I", "Score", "Target", "Next review", "RAG"]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            fields,
            vec![
                Some("reference"),
                Some("title"),
                Some("owner"),
                Some("likelihood"),
                Some("impact"),
                None,
                Some("target_score"),
                Some("review_on"),
                None
            ]
        );
        assert_eq!(ignored, vec!["Score", "RAG"]);
    }

    #[test]
    fn a_header_without_a_required_column_or_with_one_twice_is_refused() {
        let (_, problems, _) = map_header(&["Reference", "Title", "Likelihood", "Likelihood", "Target"]);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|p| p.starts_with("row 1: two columns hold the likelihood")), "{text:?}");
        assert!(text.iter().any(|p| p.starts_with("row 1: the header has no impact column")), "{text:?}");
        assert_eq!(text.len(), 2, "{text:?}");
    }

    #[test]
    fn levels_scores_and_dates_are_read_as_registers_write_them() {
        use crate::domain::risk::{IMPACT, LIKELIHOOD};
        assert_eq!(level_text("4", &LIKELIHOOD), "4");
        assert_eq!(level_text("4 - Likely", &LIKELIHOOD), "4");
        assert_eq!(level_text("4 (Likely)", &LIKELIHOOD), "4");
        assert_eq!(level_text("almost certain", &LIKELIHOOD), "5");
        assert_eq!(level_text("Major", &IMPACT), "4");
        assert_eq!(level_text("4.5", &IMPACT), "4.5", "not a level: left for the check to refuse");
        assert_eq!(level_text("high", &IMPACT), "high");
        assert_eq!(score_text("6 - Medium"), "6");
        assert_eq!(score_text("12"), "12");
        assert_eq!(score_text("twelve"), "twelve");
        assert_eq!(date_text("31/03/2027"), "2027-03-31");
        assert_eq!(date_text("1.4.27"), "2027-04-01");
        assert_eq!(date_text("2027-03-31"), "2027-03-31");
        assert_eq!(date_text("next March"), "next March");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_row_is_checked_with_the_forms_rules_and_problems_name_row_and_column() {
        let csv = "Ref,Risk,Likelihood,Impact,Target score,Review date,Score\n\
                   R1,Staff turnover,4 - Likely,Major,6,31/03/2027,16\n\
                   ,,,,,,\n\
                   R2,,7,Severe,30,2027-02-30,\n\
                   r1,Duplicate,2,2,4,,\n\
                   R9,Already there,1,1,1,,\n";
        let file = read_risk_csv(csv.as_bytes(), &["R9".to_owned()]);
        let text: Vec<String> = file.problems.iter().map(ToString::to_string).collect();
        assert_eq!(file.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4, 5, 6], "blank rows keep numbers");
        assert_eq!(file.ignored_columns, vec!["Score"]);
        assert!(text.iter().all(|p| !p.starts_with("row 2")), "{text:?}");
        for expected in [
            "row 4, column Risk:",
            "row 4, column Likelihood: \"7\" is not accepted",
            "row 4, column Target score: \"30\" is not accepted",
            "row 4, column Review date: \"2027-02-30\" is not accepted",
            "row 5, column Reference: r1 is also on row 2",
            "row 6, column Reference: R9 is already in the register",
        ] {
            assert!(text.iter().any(|p| p.starts_with(expected)), "{expected} in {text:?}");
        }
        assert!(file.risks.is_empty(), "nothing to import while any row is wrong");

        let good = read_risk_csv(b"Reference,Title,L,I,Target\nR1,Staff turnover,4,3,6\n", &[]);
        assert!(good.problems.is_empty(), "{:?}", good.problems);
        let (wording, first) = &good.risks[0];
        assert_eq!((wording.reference.as_str(), wording.target_score), ("R1", 6));
        assert_eq!((first.likelihood, first.impact), (4, 3));
        assert_eq!(check_rows(&good.rows, &[]).0, vec![], "kept rows check the same again");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn files_with_nothing_to_read_say_why() {
        let first = |bytes: &[u8]| read_risk_csv(bytes, &[]).problems[0].to_string();
        assert!(first(b"").contains("empty"));
        assert!(first(b"\xff\xfe").contains("not UTF-8"));
        assert!(first(b"Reference,Risk,Likelihood,Impact,Target\n").contains("header but no risks"));
        assert!(first(b"a,b\n1,2\n").contains("has no reference column"));
    }
}
