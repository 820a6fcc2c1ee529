//! What text the platform accepts, in one place: the longest each kind of field may be (the
//! forms, the plan file's columns and the upload reader all use these), and the characters no
//! field may hold. The README's "Limits" table lists the same numbers.

/// The largest request body the server reads (413 beyond): a plan file of
/// `plan_file::MAX_FILE_BYTES` and the rest of its form fit.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The longest any one form field may be, whatever it is: the protocol text, the longest
/// field there is. Longer fields are refused at the edge, before any server function runs.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// Action wording and updates (forms and the plan file's columns alike).
pub const MAX_DESCRIPTION: usize = 2_000;
pub const MAX_LEAD: usize = 500;
pub const MAX_TIMESCALE: usize = 200;
pub const MAX_LONG_TEXT: usize = 8_000;
/// Priority, outcome and objective titles.
pub const MAX_TITLE: usize = 1_000;
/// Notes that go with a review, a placement or a decision.
pub const MAX_NOTE: usize = 4_000;
pub const MAX_PLAN_TITLE: usize = 200;
pub const MAX_PROTOCOL_TITLE: usize = 300;
pub const MAX_PROTOCOL_BODY: usize = MAX_FIELD_CHARS;
pub const MAX_NAME: usize = 120;
pub const MAX_SHORT_NAME: usize = 40;
pub const MAX_EMAIL: usize = 254;
pub const MAX_PASSWORD: usize = 256;
/// A sign-in's return path.
pub const MAX_RETURN_PATH: usize = 2_000;
/// A cell of a plan file (CSV or workbook): the longest of its columns' own limits, so a cell
/// longer than this is refused before its text is even copied.
pub const MAX_CELL_CHARS: usize = MAX_LONG_TEXT;

/// What a refused plain form carries back into the form (never passwords): fields of at most
/// this many characters, and at most this much in all. Only signed-in people's sessions hold
/// it, for one request; anonymous visitors get the form back in the response itself.
pub const MAX_FLASH_FIELD_CHARS: usize = MAX_FIELD_CHARS;
pub const MAX_FLASH_BYTES: usize = 256 * 1024;
pub const MAX_FLASH_FIELDS: usize = 64;

/// Whether `c` may appear in stored text: everything but control characters, except tab and
/// line ends (PostgreSQL refuses NUL outright; the others only break pages and files).
pub fn allowed_char(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// Why a form field's value cannot be accepted at all, whichever form it is: a control
/// character, or more than any field may hold.
pub fn field_problem(value: &str) -> Option<&'static str> {
    if !value.chars().all(allowed_char) {
        Some("This contains a control character (such as NUL) that cannot be stored; remove it and try again.")
    } else if value.chars().count() > MAX_FIELD_CHARS {
        Some("This is longer than any field accepts (100,000 characters).")
    } else {
        None
    }
}

/// Whether a percent-decoded address (path or query value) is free of control characters.
pub fn clean_address_text(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_oversized_fields_are_refused_and_ordinary_text_passes() {
        assert_eq!(field_problem("Plan\tline one\r\nline two – ünïcode ✓"), None);
        for bad in ["a\0b", "\u{7}", "x\u{1b}[31m", "\u{85}next line"] {
            assert!(field_problem(bad).is_some(), "{bad:?} accepted");
        }
        assert!(field_problem(&"x".repeat(MAX_FIELD_CHARS)).is_none());
        assert!(field_problem(&"x".repeat(MAX_FIELD_CHARS + 1)).is_some());
        assert!(clean_address_text("/committees/stirling?lead=Lead Officer"));
        assert!(!clean_address_text("/committees/\0"));
        assert!(!clean_address_text("tab\there"));
    }
}
