//! `server export-committee` and `server restore-committee`: one committee's backup as one
//! JSON file, and its restore into an empty database or another deployment. The database makes
//! and reads the document (`app::server::db::backup`); here people are matched by email and
//! the sections that name someone are pointed at this database's people.

use app::server::db::backup;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// Where the document names a person (section, field).
pub const PERSON_FIELDS: [(&str, &str); 8] = [
    ("committee_memberships", "person_id"),
    ("subgroup_memberships", "person_id"),
    ("action_people", "person_id"),
    ("status_updates", "person_id"),
    ("risk_assessments", "person_id"),
    ("period_snapshots", "taken_by"),
    ("plan_reviews", "created_by"),
    ("audit_events", "person_id"),
];

/// The committee's backup as pretty-printed JSON (its rows in a fixed order, and its keys sorted:
/// serde_json's map is ordered by key), so two exports of the same data are the same file.
pub async fn run_export(pool: &PgPool, committee: &str) -> Result<String, String> {
    let mut tx = pool.begin().await.map_err(|e| format!("database: {e}"))?;
    let doc = backup::export(&mut tx, committee)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no committee {committee:?}"))?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| format!("writing the backup: {e}"))?;
    text.push('\n');
    Ok(text)
}

/// Restores a backup in one transaction (nothing is kept if any of it is refused) and says
/// what was restored and left out. People are matched by email; someone new here is created
/// without a password, and those with a membership get a one-time link to set one (printed,
/// never logged; `origin` is FV_PUBLIC_ORIGIN).
pub async fn run_restore(pool: &PgPool, text: &str, origin: Option<&str>) -> Result<String, String> {
    use app::domain::account::LINK_VALID_DAYS;
    let mut doc: Value = serde_json::from_str(text).map_err(|e| format!("not a committee backup (JSON): {e}"))?;
    let people = people_of(&doc)?;
    let members: std::collections::HashSet<String> = ["committee_memberships", "subgroup_memberships"]
        .iter()
        .flat_map(|s| doc[*s].as_array().into_iter().flatten())
        .filter_map(|m| m["person_id"].as_str().map(str::to_owned))
        .collect();
    let mut tx = pool.begin().await.map_err(|e| format!("database: {e}"))?;
    let mut ids: HashMap<String, String> = HashMap::new();
    let (mut matched, mut links) = (0, Vec::new());
    for p in &people {
        let here = match backup::person_by_email(&mut tx, &p.email).await.map_err(|e| e.to_string())? {
            Some(id) => {
                matched += 1;
                id
            }
            None => {
                let id =
                    backup::create_person(&mut tx, p.id, &p.email, &p.display_name).await.map_err(|e| e.to_string())?;
                if members.contains(&p.id.to_string()) {
                    let (token, hash) = app::server::auth::token::new_token();
                    backup::issue_link(&mut tx, id, &hash, LINK_VALID_DAYS).await.map_err(|e| e.to_string())?;
                    links.push(format!("{}: {}/invitations/{token}", p.email, origin.unwrap_or("")));
                }
                id
            }
        };
        ids.insert(p.id.to_string(), here.to_string());
    }
    remap_people(&mut doc, &ids)?;
    let restored = backup::restore(&mut tx, &doc).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;

    let name = doc["committee"]["name"].as_str().unwrap_or("the committee");
    let mut out = format!(
        "Restored {name}. People: {} in the backup, {matched} matched by email to accounts here, {} new.\n",
        people.len(),
        people.len() - matched
    );
    for r in restored {
        out.push_str(&format!("  {}: {}", r.kind, r.restored));
        if r.left_out > 0 {
            out.push_str(&format!(" ({} left out: not in this database)", r.left_out));
        }
        out.push('\n');
    }
    if links.is_empty() {
        out.push_str("Everyone with a membership already had an account here: they sign in as before.\n");
    } else {
        out.push_str(&format!(
            "One-time links (valid {LINK_VALID_DAYS} days) for the {} members new here to set a password; pass each on to its owner:\n",
            links.len()
        ));
        for link in links {
            out.push_str(&format!("  {link}\n"));
        }
    }
    Ok(out)
}

struct Person {
    id: Uuid,
    email: String,
    display_name: String,
}

fn people_of(doc: &Value) -> Result<Vec<Person>, String> {
    if doc["format"] != "forth-valley-committee" {
        return Err("not a committee backup: made by `server export-committee`?".into());
    }
    let list = doc["people"].as_array().ok_or("the backup lists no people")?;
    list.iter()
        .map(|p| {
            let field = |k: &str| p[k].as_str().map(str::to_owned).ok_or(format!("a person in the backup has no {k}"));
            let id =
                Uuid::parse_str(&field("id")?).map_err(|_| "a person's id in the backup is not a UUID".to_owned())?;
            Ok(Person { id, email: field("email")?, display_name: field("display_name")? })
        })
        .collect()
}

/// Points every field that names a person at this database's id for them.
fn remap_people(doc: &mut Value, ids: &HashMap<String, String>) -> Result<(), String> {
    for (section, field) in PERSON_FIELDS {
        for row in doc[section].as_array_mut().into_iter().flatten() {
            let Some(old) = row[field].as_str() else { continue };
            let new = ids.get(old).ok_or_else(|| format!("{section} names a person the backup does not list"))?;
            row[field] = Value::String(new.clone());
        }
    }
    Ok(())
}
