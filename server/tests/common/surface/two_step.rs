//! Two-step sign-in: its pages and server functions. Every actor has a secret being set up
//! (`MATRIX_TWO_STEP_SECRET`), so confirming it with the code of the moment is allowed (and
//! turning it off drops that setup), and the leaver has it on, for an admin to reset.

use super::*;

/// The code `MATRIX_TWO_STEP_SECRET` gives now.
fn code_now() -> String {
    use app::server::auth::two_step::{code_at, step_of};
    code_at(MATRIX_TWO_STEP_SECRET, step_of(app::server::auth::session::now())).expect("a code")
}

pub fn entries() -> Vec<Entry> {
    use Kind::*;
    vec![
        Entry { key: "/sign-in/code", kind: Page, rule: Rule::Everyone, request: |_, _| (s("/sign-in/code"), vec![]) },
        // Without a pending sign-in (none of the actors has one), a setup page is for someone signed in.
        Entry {
            key: "/sign-in/two-step",
            kind: Page,
            rule: Rule::SignedIn,
            request: |_, _| (s("/sign-in/two-step"), vec![]),
        },
        Entry {
            key: "/account/two-step",
            kind: Page,
            rule: Rule::SignedIn,
            request: |_, _| (s("/account/two-step"), vec![]),
        },
        Entry {
            key: "/api/two_step_setup",
            kind: Read,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/two_step_setup"), vec![]),
        },
        Entry {
            key: "/api/own_two_step",
            kind: Read,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/own_two_step"), vec![]),
        },
        // Without a pending sign-in it sends everyone back to the sign-in page and changes
        // nothing, so it is checked as a read (tests/two_step.rs signs in with it).
        Entry {
            key: "/api/sign_in_code",
            kind: Read,
            rule: Rule::Everyone,
            request: |_, _| (s("/api/sign_in_code"), vec![("code", code_now())]),
        },
        Entry {
            key: "/api/begin_two_step",
            kind: Write,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/begin_two_step"), vec![]),
        },
        Entry {
            key: "/api/confirm_two_step",
            kind: Write,
            rule: Rule::SignedIn,
            request: |_, _| {
                (
                    s("/api/confirm_two_step"),
                    vec![("code", code_now()), ("current_password", s(server::demo::DEMO_PASSWORD))],
                )
            },
        },
        // Nobody has two-step on here, so there are no codes to replace: a notice, and nothing
        // changes (tests/two_step.rs replaces codes).
        Entry {
            key: "/api/new_recovery_codes",
            kind: Read,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/new_recovery_codes"), vec![("current_password", s(server::demo::DEMO_PASSWORD))]),
        },
        Entry {
            key: "/api/turn_off_two_step",
            kind: Write,
            rule: Rule::SignedIn,
            request: |_, _| (s("/api/turn_off_two_step"), vec![("current_password", s(server::demo::DEMO_PASSWORD))]),
        },
        Entry {
            key: "/api/set_two_step_for_leads",
            kind: Write,
            rule: Rule::ClackLeadOrAdmin,
            request: |_, _| (s("/api/set_two_step_for_leads"), vec![("committee", s(CLACK)), ("required", s("yes"))]),
        },
        Entry {
            key: "/api/reset_two_step",
            kind: Write,
            rule: Rule::AdminOnly,
            request: |t, _| (s("/api/reset_two_step"), vec![("person", t.leaver.clone())]),
        },
    ]
}
