//! The demo's pages, as each kind of person sees them, against a stored copy (snapshots in
//! `tests/snapshots/demo-pages/`), with what differs from load to load taken out: ids, nonces,
//! versions, times of day and dates of loading. The demo is made the way production makes
//! data (through the real functions, as the people who would do it); this shows that it still
//! looks exactly as it did, and makes any change to what a page shows a reviewed one.
//!
//! `FV_UPDATE_SNAPSHOTS=1 cargo test -p server --test demo_pages` writes the copies afresh;
//! review the diff before committing it.

mod common;

use common::TestApp;
use sqlx::PgPool;
use std::path::PathBuf;

const SNAPSHOTS: &str = "tests/snapshots/demo-pages";

/// (file name, who, path or a query giving it).
const PAGES: [(&str, Option<&str>, &str); 25] = [
    ("overview", None, "/"),
    ("committee-clackmannanshire", None, "/committees/clackmannanshire"),
    ("committee-stirling-member", Some("stirling.member@example.org"), "/committees/stirling"),
    ("plan-clackmannanshire", None, "/committees/clackmannanshire/plans/2023-25"),
    ("plan-clackmannanshire-contributor", Some("clacks.contributor@example.org"), "/committees/clackmannanshire/plans/2023-25"),
    ("plan-stirling", None, "/committees/stirling/plans/2024-26"),
    ("plan-falkirk-lead", Some("falkirk.lead@example.org"), "/committees/falkirk/plans/2024-26"),
    ("plan-draft-lead", Some("clacks.lead@example.org"), "/committees/clackmannanshire/plans/2025-27"),
    ("plan-filtered", None, "/committees/clackmannanshire/plans/2023-25?status=p"),
    (
        "action-shared",
        Some("chair.protocols@example.org"),
        "sql:select '/committees/clackmannanshire/plans/2023-25/actions/' || a.id from actions a join subgroups s on s.id = a.owner_subgroup_id where s.slug = 'fv-policies-procedures-protocols'",
    ),
    (
        "action-own",
        Some("clacks.lead@example.org"),
        "sql:select '/committees/clackmannanshire/plans/2023-25/actions/' || pa.action_id from plan_actions pa join objectives ob on ob.id = pa.objective_id join plans p on p.id = pa.plan_id where p.slug = '2023-25' and ob.outcome_number = 1 and ob.minor = 3 and pa.position = 1",
    ),
    ("subgroup-protocols", None, "/subgroups/fv-policies-procedures-protocols"),
    ("subgroup-ird-chair", Some("chair.ird@example.org"), "/subgroups/ird-steering-group"),
    ("subgroup-engagement-lead", Some("stirling.lead@example.org"), "/subgroups/fv-public-information-engagement-participation"),
    ("protocols", None, "/protocols"),
    ("accessibility", None, "/accessibility"),
    ("protocol-learning-review", Some("falkirk.lead@example.org"), "/protocols/fv-learning-review-protocol"),
    ("protocol-ird", None, "/protocols/fv-ird-procedure"),
    ("protocol-guidance-chair", Some("chair.protocols@example.org"), "/protocols/fv-child-protection-guidance"),
    ("members-clackmannanshire", Some("clacks.lead@example.org"), "/committees/clackmannanshire/members"),
    ("my-work-both", Some("both.committees@example.org"), "/me"),
    ("plan-editor", Some("clacks.lead@example.org"), "/committees/clackmannanshire/plans/2023-25/edit"),
    (
        "compare",
        None,
        "sql:select '/committees/clackmannanshire/plans/2023-25/compare/' || r.id from plan_reviews r join plans p on p.id = r.plan_id join committees c on c.id = p.committee_id where c.slug = 'clackmannanshire' and p.slug = '2023-25'",
    ),
    ("account", Some("both.committees@example.org"), "/account"),
    ("admin", Some("admin@example.org"), "/admin"),
];

/// The page without what differs from one load of the demo to the next.
fn normalise(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // uuids
        if html.get(i..i + 36).is_some_and(is_uuid) {
            out.push_str("<id>");
            i += 36;
            continue;
        }
        out.push(html[i..].chars().next().unwrap());
        i += html[i..].chars().next().unwrap().len_utf8();
    }
    let mut text = short_ids(&out);
    for attribute in ["nonce=\"", "crossorigin=\""] {
        text = replace_attribute(&text, attribute, "<nonce>");
    }
    text = replace_attribute(&text, "name=\"version\" value=\"", "<n>");
    text = replace_attribute(&text, "name=\"placement_version\" value=\"", "<n>");
    text
}

/// Element ids made from an id's first eight hex digits ("status-f351dbee-none").
fn short_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('-') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let candidate = rest.get(..8).filter(|c| c.chars().all(|ch| ch.is_ascii_hexdigit()));
        let ends = rest.get(8..9).is_some_and(|e| e == "-" || e == "\"");
        if let (Some(_), true) = (candidate, ends) {
            out.push_str("<short>");
            rest = &rest[8..];
        }
    }
    out.push_str(rest);
    out
}

fn is_uuid(s: &str) -> bool {
    s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

fn replace_attribute(text: &str, start: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(start) {
        out.push_str(&rest[..at + start.len()]);
        rest = &rest[at + start.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(with);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_pages_show_what_they_showed(pool: PgPool) {
    let app = TestApp::with_demo(pool).await;
    let update = std::env::var("FV_UPDATE_SNAPSHOTS").is_ok();
    let dir = PathBuf::from(SNAPSHOTS);
    // The day the demo was loaded, as pages write it ("3 December 2026"): not part of a page.
    let today: String = sqlx::query_scalar("select to_char(now() at time zone 'Europe/London', 'FMDD FMMonth YYYY')")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut differ = Vec::new();
    for (name, who, path) in PAGES {
        let path = match path.strip_prefix("sql:") {
            Some(sql) => sqlx::query_scalar::<_, String>(sql).fetch_one(&app.pool).await.unwrap(),
            None => path.to_owned(),
        };
        let response = match who {
            Some(email) => {
                let cookie = app.sign_in(email).await;
                app.get_with_cookie(&path, &cookie).await
            }
            None => app.get(&path).await,
        };
        assert_eq!(response.status, axum::http::StatusCode::OK, "{name}: {path}");
        // The accessibility statement's own fixed date first: on the day it was written it is
        // also today's, and a snapshot taken then must not make it a moving date.
        let page = normalise(&response.body)
            .replace(app::pages::accessibility::PREPARED, "[statement date]")
            .replace(&today, "[today]")
            .replace("><", ">\n<");
        let file = dir.join(format!("{name}.html"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &page).unwrap();
            continue;
        }
        let stored = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| panic!("no snapshot {file:?}: run with FV_UPDATE_SNAPSHOTS=1"));
        if stored != page {
            let line = stored.lines().zip(page.lines()).position(|(a, b)| a != b).unwrap_or(0);
            differ.push(format!(
                "{name} ({path}), from line {}: stored {:?} / now {:?}",
                line + 1,
                stored.lines().nth(line).unwrap_or_default(),
                page.lines().nth(line).unwrap_or_default()
            ));
        }
    }
    assert!(differ.is_empty(), "pages differ from their snapshots:\n{}", differ.join("\n"));
}
