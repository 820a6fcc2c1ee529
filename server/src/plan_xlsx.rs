//! The plan format as an Excel workbook: the same eleven columns under the same header row as
//! the CSV (`app::domain::plan_csv`), one row per action, on the first sheet.
//!
//! Reading turns the sheet into CSV text, cell for cell and row for row, so a workbook meets
//! exactly the rules a CSV file does and its problems name the rows Excel shows.

use app::domain::plan_csv::{neutralise, ImportProblem, PlanCsvRow, COLUMNS};
use app::domain::plan_file::MAX_SHEET_ROWS;
use app::domain::text::MAX_CELL_CHARS;
use calamine::{DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use std::io::Cursor;
use std::io::Read;

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Cells beyond this column are read as if they were in it (they are an error either way).
const MAX_SHEET_COLUMNS: usize = 64;
/// What the workbook's parts may unpack to, altogether, counted as they are actually unpacked
/// (the sizes a zip declares are the sender's word). A plan of 5,000 actions unpacks to a few
/// MB; the limit stops a small file that would unpack to gigabytes before calamine reads it.
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;
/// Parts a workbook may hold: a plan's has a dozen.
const MAX_PARTS: usize = 1_000;

/// Column widths in characters, in `COLUMNS` order: text columns wide, numbers narrow.
const WIDTHS: [f64; 11] = [32.0, 10.0, 32.0, 10.0, 40.0, 60.0, 24.0, 16.0, 40.0, 40.0, 8.0];

/// The rows as a workbook: one sheet, "Plan", with the header in bold, frozen above the rows
/// and filterable. Every cell is text, so "1.10" stays "1.10" and nothing is read as a formula.
pub fn write_xlsx(rows: &[PlanCsvRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Plan")?;
    let header = Format::new().set_bold().set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (column, (name, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, *name, &header)?;
        sheet.set_column_width(column, width)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let at = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (column, text) in row.cells().into_iter().enumerate() {
            if !text.is_empty() {
                // As in the CSV export: a workbook saved on as CSV must not run it either.
                sheet.write_string_with_format(at, column as u16, neutralise(text), &cell)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, (COLUMNS.len() - 1) as u16)?;
    workbook.save_to_buffer()
}

/// Tables as a workbook, one sheet each (the first row of each its header, bold, frozen and
/// filterable), every cell text and neutralised as in [`write_xlsx`]: the COG report's
/// sections use it.
pub fn write_tables(sheets: &[(&str, Vec<Vec<String>>)]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_align(FormatAlign::Top);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name)?;
        let columns = rows.first().map(Vec::len).unwrap_or(0);
        for (index, row) in rows.iter().enumerate() {
            let at = u32::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (column, text) in row.iter().enumerate() {
                let column = u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)?;
                if !text.is_empty() {
                    let format = if index == 0 { &header } else { &cell };
                    sheet.write_string_with_format(at, column, neutralise(text), format)?;
                }
            }
        }
        for column in 0..columns {
            let widest = rows.iter().filter_map(|r| r.get(column)).map(|t| t.chars().count()).max().unwrap_or(8);
            sheet.set_column_width(column as u16, (widest as f64 + 2.0).clamp(8.0, 60.0))?;
        }
        if columns > 0 {
            sheet.set_freeze_panes(1, 0)?;
            let last_row = u32::try_from(rows.len().saturating_sub(1)).unwrap_or(u32::MAX);
            sheet.autofilter(0, 0, last_row, (columns - 1) as u16)?;
        }
    }
    workbook.save_to_buffer()
}

/// The first sheet of a workbook as CSV text, plus problems only a workbook can have (cells
/// holding a spreadsheet error). `Err` when the bytes are not a workbook this can read.
pub fn sheet_as_csv(bytes: &[u8]) -> Result<(Vec<u8>, Vec<ImportProblem>), String> {
    sheet_as_csv_with(bytes, &COLUMNS)
}

/// As [`sheet_as_csv`], for a format whose columns are `columns` in this order; with none
/// (a format whose header may come in any order), a problem names the column by its letter.
pub fn sheet_as_csv_with(bytes: &[u8], columns: &[&str]) -> Result<(Vec<u8>, Vec<ImportProblem>), String> {
    let at = |row: u32, column: u32, message: String| match columns.get(column as usize) {
        Some(name) => ImportProblem::at(row + 1, Some(name), message),
        None => ImportProblem::at(row + 1, None, format!("column {}: {message}", column_letters(column))),
    };
    const UNREADABLE: &str = "The file could not be read as an Excel workbook (.xlsx). Save it from your \
                              spreadsheet as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\" and upload that.";
    match unpacked_size(bytes, MAX_UNPACKED_BYTES) {
        None => return Err(UNREADABLE.to_owned()),
        Some(Unpacked::TooLarge) => {
            return Err("The workbook unpacks to more than 32 MB, far more than a plan needs. Save just the plan's \
                        sheet as CSV and upload that."
                .into())
        }
        Some(Unpacked::Within) => {}
    }
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| UNREADABLE.to_owned())?;
    let sheet = workbook.sheet_names().into_iter().next().ok_or("The workbook has no sheets.")?;
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(|_| UNREADABLE.to_owned())?;

    // Absolute positions, so row numbers match the ones Excel shows (the header is row 1).
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut problems = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|_| UNREADABLE.to_owned())? {
        let (row, column) = cell.get_position();
        let text = match cell_text(cell.get_value()) {
            Ok(text) => text,
            Err(CellProblem::Error(code)) => {
                problems.push(at(
                    row,
                    column,
                    format!("holds the spreadsheet error {code}: correct it, or type the value in"),
                ));
                code
            }
            Err(CellProblem::TooLong) => {
                // Not copied: one long shared string may be referred to by thousands of cells.
                problems.push(at(row, column, format!("is longer than {MAX_CELL_CHARS} characters")));
                String::new()
            }
        };
        if text.trim().is_empty() {
            continue; // Formatted but empty cells say nothing.
        }
        if row >= MAX_SHEET_ROWS {
            problems.push(ImportProblem::whole_file(format!(
                "the first sheet goes on past row {MAX_SHEET_ROWS}; a plan holds at most 5000 actions"
            )));
            break;
        }
        let (row, column) = (row as usize, (column as usize).min(MAX_SHEET_COLUMNS - 1));
        if grid.len() <= row {
            grid.resize(row + 1, Vec::new());
        }
        let cells = &mut grid[row];
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }

    // Flexible: rows end where their last cell does (a risk file's columns are not fixed).
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for mut cells in grid {
        // Every row gets the header's columns, so an empty cell at the end of a row is just
        // empty, as it is in a CSV file written by a spreadsheet.
        if cells.len() < columns.len() {
            cells.resize(columns.len(), String::new());
        }
        writer.write_record(&cells).map_err(|_| UNREADABLE.to_owned())?;
    }
    let csv = writer.into_inner().map_err(|_| UNREADABLE.to_owned())?;
    Ok((csv, problems))
}

/// A column as a spreadsheet heads it: 0 is A, 25 is Z, 26 is AA.
fn column_letters(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

enum Unpacked {
    Within,
    TooLarge,
}

/// Whether the archive's parts, unpacked for real (not as declared), stay within `limit`
/// bytes altogether; `None` if it is not a readable zip archive.
fn unpacked_size(bytes: &[u8], limit: u64) -> Option<Unpacked> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if archive.len() > MAX_PARTS {
        return Some(Unpacked::TooLarge);
    }
    let mut total = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index(index).ok()?;
        // Read at most one byte past what is left, so a lying part costs no more than the limit.
        let read = std::io::copy(&mut part.take(limit - total + 1), &mut std::io::sink()).ok()?;
        total += read;
        if total > limit {
            return Some(Unpacked::TooLarge);
        }
    }
    Some(Unpacked::Within)
}

enum CellProblem {
    /// The spreadsheet error the cell shows.
    Error(String),
    /// Longer than any column takes.
    TooLong,
}

/// A cell's text, refused before it is copied when it is longer than any column takes.
fn bounded(text: &str) -> Result<String, CellProblem> {
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        Err(CellProblem::TooLong)
    } else {
        Ok(text.to_owned())
    }
}

/// A cell as the text a CSV file would hold, or the problem it has.
fn cell_text(value: &DataRef<'_>) -> Result<String, CellProblem> {
    Ok(match value {
        DataRef::String(s) => return bounded(s),
        DataRef::SharedString(s) => return bounded(s),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(n) => number_text(*n),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}")
            }
        }
        DataRef::DateTime(d) => number_text(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => return bounded(s),
        DataRef::Error(e) => return Err(CellProblem::Error(e.to_string())),
        DataRef::Empty => String::new(),
    })
}

/// A number as a person typed it: whole numbers without a decimal point ("2", not "2.0"),
/// others in the shortest form that reads back the same (1.1 stays "1.1").
fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::plan_csv::{parse_plan_csv, write_csv};

    fn row(objective: &str, action: &str, status: &str) -> PlanCsvRow {
        PlanCsvRow {
            priority: "Leadership".into(),
            outcome_number: "1".into(),
            outcome: "".into(),
            objective_number: objective.into(),
            objective: "Members know their role".into(),
            action: action.into(),
            lead: "Chair, Lead Officer".into(),
            status: status.into(),
            ..PlanCsvRow::default()
        }
    }

    #[test]
    fn numbers_read_as_they_were_typed() {
        assert_eq!(number_text(2.0), "2");
        assert_eq!(number_text(1.1), "1.1");
        assert_eq!(number_text(12.25), "12.25");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn a_written_workbook_reads_back_as_the_same_csv() {
        let rows = vec![
            row("1.1", "Induction, with \"quotes\"\nand a second line", ""),
            row("1.1", "=1+1 stays text", "P"),
            row("1.10", "Objective ten keeps its zero", "G"),
        ];
        let bytes = write_xlsx(&rows).unwrap();
        let (csv, problems) = sheet_as_csv(&bytes).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let plan = parse_plan_csv(&csv).unwrap();
        assert_eq!(write_csv(&plan.rows()), write_csv(&rows));
    }

    #[test]
    fn numbers_dates_and_errors_in_cells_become_text_or_problems() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (column, name) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        // Row 2: numbers typed as numbers, a date for the timescale.
        sheet.write_string(1, 0, "Leadership").unwrap();
        sheet.write_number(1, 1, 1.0).unwrap();
        sheet.write_number(1, 3, 1.2).unwrap();
        sheet.write_string(1, 4, "Objective").unwrap();
        sheet.write_string(1, 5, "Action").unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
        let date_format = Format::new().set_num_format("mmm-yy");
        sheet.write_datetime_with_format(1, 7, &date, &date_format).unwrap();
        // Row 4 (after a blank row): a formula whose cached result is an error.
        sheet.write_string(3, 0, "Leadership").unwrap();
        sheet.write_formula(3, 5, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        let (csv, problems) = sheet_as_csv(&bytes).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        assert_eq!(lines[1], "Leadership,1,,1.2,Objective,Action,,2024-03-01,,,");
        assert_eq!(lines[2], ",,,,,,,,,,", "a blank row keeps the numbering");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].to_string(),
            "row 4, column action: holds the spreadsheet error #DIV/0!: correct it, or type the value in"
        );
    }

    #[test]
    fn what_is_not_a_workbook_is_refused_with_advice() {
        let err = sheet_as_csv(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(err.contains("Excel Workbook (.xlsx)"), "{err}");
        assert!(sheet_as_csv(b"priority,outcome_number").is_err());
    }
}
