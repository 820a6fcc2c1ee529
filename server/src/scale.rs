//! Synthetic data for the scale benchmark (bench/overview): many committees with full-size
//! plans, written through the same importer as real plans. Never loaded by `serve`.

use app::domain::numbering::ObjectiveNumber;
use app::domain::plan::PlanState;
use app::domain::plan_csv::{ImportAction, ImportObjective, ImportOutcome, ImportPriority, PlanImport};
use app::domain::status::Status;
use app::error::AppError;
use app::server::db::admin::{self, NewCommittee};
use app::server::db::import::{import_plan, NewPlan};
use sqlx::PgPool;

/// A plan of `actions` actions over 4 priorities, 8 outcomes and 3 objectives per outcome,
/// with statuses spread over the whole key.
pub fn synthetic_plan(actions: usize) -> PlanImport {
    let statuses =
        [Some(Status::OnTarget), Some(Status::Delayed), Some(Status::RevisionRequired), Some(Status::Complete), None];
    let objectives = 4 * 2 * 3;
    let mut priorities = Vec::new();
    let mut made = 0;
    for p in 0..4u32 {
        let mut outcomes = Vec::new();
        for o in 0..2u32 {
            let number = p * 2 + o + 1;
            let mut objs = Vec::new();
            for minor in 1..=3u32 {
                let index = ((number - 1) * 3 + minor - 1) as usize;
                let here = actions / objectives + usize::from(index < actions % objectives);
                let acts = (0..here)
                    .map(|_| {
                        made += 1;
                        ImportAction {
                            description: format!("Synthetic action {made} for the scale benchmark"),
                            lead: "Lead Officer, Committee Members".into(),
                            timescale: "Ongoing".into(),
                            evidence: "Minutes of the committee".into(),
                            progress: "Ongoing".into(),
                            status: statuses[made % statuses.len()],
                        }
                    })
                    .collect();
                objs.push(ImportObjective {
                    number: ObjectiveNumber { outcome: number, minor },
                    title: format!("Objective {number}.{minor}"),
                    actions: acts,
                });
            }
            outcomes.push(ImportOutcome { number, title: format!("Outcome {number}"), objectives: objs });
        }
        priorities.push(ImportPriority { title: format!("Priority {}", p + 1), outcomes });
    }
    PlanImport { priorities }
}

/// Creates a region of `committees` committees, each with one published plan of `actions`
/// actions, one transaction per committee.
pub async fn seed(pool: &PgPool, committees: usize, actions: usize) -> Result<(), AppError> {
    let plan = synthetic_plan(actions);
    let mut tx = pool.begin().await?;
    let region = app::server::db::operator::create_region(&mut tx, "scale-test", "Scale test region").await?;
    tx.commit().await?;
    for i in 0..committees {
        let slug = format!("committee-{i:03}");
        let name = format!("Committee {i:03}");
        let mut tx = pool.begin().await?;
        admin::create_committee(
            &mut tx,
            NewCommittee {
                region_id: region,
                slug: &slug,
                name: &name,
                short_name: &name,
                council_areas: &[],
                cog_name: "",
                is_sample: true,
            },
        )
        .await?;
        import_plan(
            &mut tx,
            NewPlan {
                committee_slug: &slug,
                plan_slug: "2025-27",
                title: "Synthetic plan",
                state: PlanState::Published,
                is_sample: true,
            },
            &plan,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_plan_has_exactly_the_requested_actions_and_valid_numbering() {
        for n in [1, 24, 300, 301] {
            assert_eq!(synthetic_plan(n).action_count(), n);
        }
        let plan = synthetic_plan(300);
        for outcome in plan.priorities.iter().flat_map(|p| &p.outcomes) {
            assert!(outcome.objectives.iter().all(|o| o.number.outcome == outcome.number));
        }
    }
}
