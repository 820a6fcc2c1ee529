//! Command-line tasks of the server binary. Hand-parsed: a handful of flags does not warrant
//! an argument-parsing dependency in the server.

use app::domain::plan::PlanState;
use app::domain::plan_csv::{parse_plan_csv, rows_from_view, write_csv};
use app::domain::slug::{PlanPeriod, Slug};
use app::server::db;
use app::server::db::import::{import_plan, NewPlan};
use sqlx::PgPool;

pub const USAGE: &str = "\
usage:
  server serve [--demo]            migrate, (with --demo) load the demo data if the database is empty, serve
  server migrate                   apply pending migrations and exit
  server load-demo                 load the demo data into an empty database
  server import-plan --committee SLUG --plan PERIOD [--title TEXT] [--publish] FILE.csv
                                   validate every row, then import the plan (nothing is saved if any row is wrong)
  server export-plan --committee SLUG --plan PERIOD
                                   print a published plan as CSV
  server create-admin --email EMAIL --name NAME
                                   make EMAIL a platform admin (a new account if none) and print a
                                   one-time sign-in link to set their password (FV_PUBLIC_ORIGIN)
  server export-committee --committee SLUG
                                   print one committee's backup (JSON: everything it owns; no passwords)
  server restore-committee FILE.json
                                   restore a committee's backup into this database (people matched by
                                   email; new members get one-time links, printed)
  server seed-scale --committees N --actions M
                                   fill an EMPTY database with synthetic committees (bench/overview only)";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve { demo: bool },
    Migrate,
    LoadDemo,
    ImportPlan { committee: String, plan: String, title: Option<String>, publish: bool, file: String },
    ExportPlan { committee: String, plan: String },
    CreateAdmin { email: String, name: String },
    ExportCommittee { committee: String },
    RestoreCommittee { file: String },
    SeedScale { committees: usize, actions: usize },
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut args = args.iter().map(String::as_str);
    let command = args.next().unwrap_or("serve");
    let rest: Vec<&str> = args.collect();
    let flag = |name: &str| rest.contains(&name);
    let value = |name: &str| -> Result<Option<String>, String> {
        match rest.iter().position(|a| *a == name) {
            Some(i) => rest
                .get(i + 1)
                .filter(|v| !v.starts_with("--"))
                .map(|v| Some((*v).to_owned()))
                .ok_or_else(|| format!("{name} needs a value")),
            None => Ok(None),
        }
    };
    let required = |name: &str| value(name)?.ok_or_else(|| format!("{name} is required"));
    match command {
        "serve" => Ok(Command::Serve { demo: flag("--demo") }),
        "migrate" => Ok(Command::Migrate),
        "load-demo" => Ok(Command::LoadDemo),
        "import-plan" => {
            let committee = required("--committee")?;
            let plan = required("--plan")?;
            Slug::parse(&committee)?;
            PlanPeriod::parse(&plan)?;
            let valued = ["--committee", "--plan", "--title"];
            let file = rest
                .iter()
                .enumerate()
                .filter(|(i, a)| !(a.starts_with("--") || *i > 0 && valued.contains(&rest[i - 1])))
                .map(|(_, a)| (*a).to_owned())
                .next_back()
                .ok_or("the CSV file to import is required")?;
            Ok(Command::ImportPlan { committee, plan, title: value("--title")?, publish: flag("--publish"), file })
        }
        "export-plan" => Ok(Command::ExportPlan { committee: required("--committee")?, plan: required("--plan")? }),
        "create-admin" => Ok(Command::CreateAdmin { email: required("--email")?, name: required("--name")? }),
        "export-committee" => {
            let committee = required("--committee")?;
            Slug::parse(&committee)?;
            Ok(Command::ExportCommittee { committee })
        }
        "restore-committee" => match rest.as_slice() {
            [file] if !file.starts_with("--") => Ok(Command::RestoreCommittee { file: (*file).to_owned() }),
            _ => Err("restore-committee takes the backup file, and nothing else".into()),
        },
        "seed-scale" => {
            let number = |name: &str| -> Result<usize, String> {
                required(name)?
                    .parse()
                    .ok()
                    .filter(|n| (1..=10_000).contains(n))
                    .ok_or_else(|| format!("{name} takes a whole number from 1 to 10000"))
            };
            Ok(Command::SeedScale { committees: number("--committees")?, actions: number("--actions")? })
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

/// Runs `import-plan`; the returned text is what the operator sees.
pub async fn run_import(
    pool: &PgPool,
    committee: &str,
    plan: &str,
    title: Option<&str>,
    publish: bool,
    file: &str,
) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let parsed = parse_plan_csv(&bytes).map_err(|problems| {
        let mut text = format!("{file}: {} problem(s); nothing was imported.\n", problems.len());
        for p in problems {
            text.push_str(&format!("  {p}\n"));
        }
        text
    })?;
    let title = title.map(str::to_owned).unwrap_or_else(|| format!("Strategic Improvement Plan {plan}"));
    let mut tx = pool.begin().await.map_err(|e| format!("database: {e}"))?;
    let summary = import_plan(
        &mut tx,
        NewPlan {
            committee_slug: committee,
            plan_slug: plan,
            title: &title,
            state: if publish { PlanState::Published } else { PlanState::Draft },
            is_sample: false,
        },
        &parsed,
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    Ok(format!(
        "Imported plan {plan} for {committee}: {} priorities, {} outcomes, {} objectives, {} actions ({} links to subgroups named as leads){}.",
        summary.priorities,
        summary.outcomes,
        summary.objectives,
        summary.actions,
        summary.subgroup_links,
        if publish { ", published" } else { ", as a draft" }
    ))
}

/// Runs `create-admin`: checks the address and name as the admin page does, then makes the
/// person an admin with a fresh one-time link (valid `LINK_VALID_DAYS`), which is printed, not
/// logged. `origin` is FV_PUBLIC_ORIGIN; without it the link is given as a path.
pub async fn run_create_admin(pool: &PgPool, email: &str, name: &str, origin: Option<&str>) -> Result<String, String> {
    use app::domain::account::{parse_display_name, parse_email, LINK_VALID_DAYS};
    let email = parse_email(email).map_err(|e| format!("--email: {}", problem(&e)))?;
    let name = parse_display_name(name).map_err(|e| format!("--name: {}", problem(&e)))?;
    let (token, token_hash) = app::server::auth::token::new_token();
    let mut tx = pool.begin().await.map_err(|e| format!("database: {e}"))?;
    let made = db::operator::create_admin_link(&mut tx, &email, &name, &token_hash, LINK_VALID_DAYS)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    let region = if made.region_created {
        format!("The database had no region: created {}.\n", db::operator::HOME_REGION.1)
    } else {
        String::new()
    };
    Ok(format!(
        "{region}{} {email} is a platform admin. Give them this one-time link (valid {LINK_VALID_DAYS} days) to set a password; \
         earlier unused links for them no longer work:\n{}/invitations/{token}",
        if made.person_created { "Created:" } else { "Updated:" },
        origin.unwrap_or("")
    ))
}

/// The field message of a refused value, else the error's own.
fn problem(e: &app::error::AppError) -> String {
    match e {
        app::error::AppError::Invalid(fields) => fields.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

pub async fn run_export(pool: &PgPool, committee: &str, plan: &str) -> Result<String, String> {
    let mut tx = pool.begin().await.map_err(|e| format!("database: {e}"))?;
    let view = db::plans::load_readable_plan(&mut tx, &Default::default(), committee, plan)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no published plan {plan} for committee {committee}"))?;
    Ok(write_csv(&rows_from_view(&view)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn serve_is_the_default_command() {
        assert_eq!(parse(&[]), Ok(Command::Serve { demo: false }));
        assert_eq!(parse(&args("serve --demo")), Ok(Command::Serve { demo: true }));
    }

    #[test]
    fn import_plan_takes_its_flags_in_any_order() {
        assert_eq!(
            parse(&args("import-plan plan.csv --plan 2024-26 --committee falkirk --publish")),
            Ok(Command::ImportPlan {
                committee: "falkirk".into(),
                plan: "2024-26".into(),
                title: None,
                publish: true,
                file: "plan.csv".into()
            })
        );
        assert_eq!(
            parse(&args("import-plan --committee falkirk --title Plan --plan 2024-26 x.csv")),
            Ok(Command::ImportPlan {
                committee: "falkirk".into(),
                plan: "2024-26".into(),
                title: Some("Plan".into()),
                publish: false,
                file: "x.csv".into()
            })
        );
    }

    #[test]
    fn import_plan_refuses_bad_arguments_with_a_reason() {
        assert_eq!(parse(&args("import-plan --plan 2024-26 x.csv")), Err("--committee is required".into()));
        assert!(parse(&args("import-plan --committee Falkirk --plan 2024-26 x.csv"))
            .unwrap_err()
            .contains("not a valid name"));
        assert!(parse(&args("import-plan --committee falkirk --plan 2024 x.csv"))
            .unwrap_err()
            .contains("not a plan period"));
        assert_eq!(
            parse(&args("import-plan --committee falkirk --plan 2024-26")),
            Err("the CSV file to import is required".into())
        );
        assert!(parse(&args("frobnicate")).is_err());
        assert_eq!(
            parse(&args("seed-scale --committees 100 --actions 300")),
            Ok(Command::SeedScale { committees: 100, actions: 300 })
        );
        assert!(parse(&args("seed-scale --committees 0 --actions 300")).is_err());
    }

    #[test]
    fn a_committees_backup_is_named_by_slug_and_restored_from_one_file() {
        assert_eq!(
            parse(&args("export-committee --committee falkirk")),
            Ok(Command::ExportCommittee { committee: "falkirk".into() })
        );
        assert!(parse(&args("export-committee --committee Falkirk")).unwrap_err().contains("not a valid name"));
        assert_eq!(parse(&args("export-committee")), Err("--committee is required".into()));
        assert_eq!(
            parse(&args("restore-committee falkirk.json")),
            Ok(Command::RestoreCommittee { file: "falkirk.json".into() })
        );
        for bad in ["restore-committee", "restore-committee a.json b.json", "restore-committee --file a.json"] {
            assert!(parse(&args(bad)).unwrap_err().contains("takes the backup file"), "{bad}");
        }
    }
}
