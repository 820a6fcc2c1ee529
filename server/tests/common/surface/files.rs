//! Plan files: the workbook export, and importing an uploaded file into a new draft.

use super::*;

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        // Plan files: the workbook export, and importing an uploaded file into a new draft.
        Entry {
            key: "/committees/{committee}/plans/{plan}/export.xlsx",
            kind: Page,
            rule: Rule::ReadsClackDraft,
            request: |_, _| (format!("/committees/{CLACK}/plans/{DRAFT}/export.xlsx"), vec![]),
        },
        Entry {
            key: "/committees/{committee}/plans/import",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/plans/import"), vec![]),
        },
        // The same address takes the file (a field named `file` goes as multipart: see `call`).
        Entry {
            key: "/committees/{committee}/plans/import",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (format!("/committees/{CLACK}/plans/import"), vec![(crate::common::UPLOAD_FILE_FIELD, s(UPLOAD_CSV))])
            },
        },
        Entry {
            key: "/committees/{committee}/plans/import/{upload}",
            kind: Page,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (format!("/committees/{CLACK}/plans/import/{}", crate::common::MATRIX_UPLOAD), vec![]),
        },
        Entry {
            key: "/api/plan_import_start",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| (s("/api/plan_import_start"), vec![("committee", s(CLACK))]),
        },
        Entry {
            key: "/api/plan_import",
            kind: Read,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (s("/api/plan_import"), vec![("committee", s(CLACK)), ("upload", s(crate::common::MATRIX_UPLOAD))])
            },
        },
        Entry {
            key: "/api/import_uploaded_plan",
            kind: Write,
            rule: Rule::ClackLeadOnly,
            request: |_, _| {
                (
                    s("/api/import_uploaded_plan"),
                    vec![
                        ("committee", s(CLACK)),
                        ("upload", s(crate::common::MATRIX_UPLOAD)),
                        ("plan", s("2027-29")),
                        ("title", s("Matrix import")),
                    ],
                )
            },
        },
    ]
}
