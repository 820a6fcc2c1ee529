//! Plan files are read within bounds set by what is actually read, not by what a file says of
//! itself: a small workbook that repeats one huge shared string in thousands of cells, or a
//! zip that understates what its parts unpack to, is refused without the memory it asks for.
//! This binary counts every allocation (its own global allocator), so the bound is measured.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time: the counters are the whole process's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

use app::domain::plan_csv::COLUMNS as HEADER;

/// A workbook written by hand, part by part: `shared` strings, and the sheet's rows as cells
/// (column letter, shared string index).
fn workbook(shared: &[String], rows: &[Vec<(char, usize)>], sheet_size_claim: Option<u32>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, text: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    let mut strings = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    for s in shared {
        strings.push_str(&format!("<si><t>{s}</t></si>"));
    }
    strings.push_str("</sst>");
    part("xl/sharedStrings.xml", &strings);
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (i, cells) in rows.iter().enumerate() {
        let r = i + 1;
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for (column, index) in cells {
            sheet.push_str(&format!("<c r=\"{column}{r}\" t=\"s\"><v>{index}</v></c>"));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    part("xl/worksheets/sheet1.xml", &sheet);
    let mut bytes = zip.finish().unwrap().into_inner();
    if let Some(claim) = sheet_size_claim {
        understate(&mut bytes, "xl/worksheets/sheet1.xml", claim);
    }
    bytes
}

/// Rewrites the uncompressed size a zip records for part `name` (local header and central
/// directory), as a hostile file would.
fn understate(bytes: &mut [u8], name: &str, claim: u32) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= bytes.len() {
        let signature = u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        if signature == 0x0403_4b50 {
            let name_len = u16::from_le_bytes(bytes[i + 26..i + 28].try_into().unwrap()) as usize;
            if &bytes[i + 30..i + 30 + name_len] == name {
                bytes[i + 22..i + 26].copy_from_slice(&claim.to_le_bytes());
            }
        } else if signature == 0x0201_4b50 {
            let name_len = u16::from_le_bytes(bytes[i + 28..i + 30].try_into().unwrap()) as usize;
            if &bytes[i + 46..i + 46 + name_len] == name {
                bytes[i + 24..i + 28].copy_from_slice(&claim.to_le_bytes());
            }
        }
        i += 1;
    }
}

fn header_row() -> Vec<(char, usize)> {
    ('A'..='K').zip(0..HEADER.len()).collect()
}

#[test]
fn a_small_workbook_repeating_one_huge_shared_string_is_refused_without_copying_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // One 2 MB string, referred to by every action cell of 2,000 rows: 4 GB if each cell
    // copied it.
    let mut shared: Vec<String> = HEADER.iter().map(|s| (*s).to_owned()).collect();
    shared.push("x".repeat(2 * 1024 * 1024));
    shared.extend(["Leadership".to_owned(), "1".to_owned(), "1.1".to_owned(), "Objective".to_owned()]);
    let huge = HEADER.len();
    let mut rows = vec![header_row()];
    for _ in 0..2_000 {
        rows.push(vec![('A', huge + 1), ('B', huge + 2), ('D', huge + 3), ('E', huge + 4), ('F', huge)]);
    }
    let bytes = workbook(&shared, &rows, None);
    assert!(bytes.len() < 200 * 1024, "the file itself is small: {} bytes", bytes.len());

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let read = server::plan_upload::read_file("plan.xlsx", &bytes);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert!(peak < 64 * 1024 * 1024, "reading it took {peak} bytes at its peak");
    let read = read.expect("a preview of the rows");
    assert!(!read.problems.is_empty());
    assert!(
        read.problems.iter().any(|p| p.message.contains("is longer than") && p.column.as_deref() == Some("action")),
        "{:?}",
        &read.problems[..3]
    );
}

#[test]
fn a_zip_that_understates_what_its_parts_unpack_to_is_refused_by_what_they_really_unpack_to() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // A sheet of 700,000 rows of one cell, compressed to little, declared as 1 KB unpacked.
    let shared: Vec<String> = HEADER.iter().map(|s| (*s).to_owned()).collect();
    let mut rows = vec![header_row()];
    rows.extend((0..700_000).map(|_| vec![('A', 0)]));
    let bytes = workbook(&shared, &rows, Some(1024));
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let read = server::plan_upload::read_file("plan.xlsx", &bytes);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let refused = read.expect_err("refused");
    assert!(refused.contains("unpacks to more than") || refused.contains("could not be read"), "{refused}");
    assert!(peak < 64 * 1024 * 1024, "reading it took {peak} bytes at its peak");
}
