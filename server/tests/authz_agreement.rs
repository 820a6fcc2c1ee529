//! The two lines of defence agree: for every demo person and every action, committee and
//! subgroup, what the permission module (`app::server::authz`) decides equals what the
//! database's row-level security functions decide for the same person.

mod common;

use app::server::authz::{self, Owner};
use app::server::db;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn the_permission_module_and_row_level_security_decide_alike(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let app_pool = common::app_pool(&pool, 2);
    let people: Vec<(Uuid, String)> =
        sqlx::query_as("select id, email from people order by email").fetch_all(&pool).await.unwrap();
    let actions: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> =
        sqlx::query_as("select id, owner_committee_id, owner_subgroup_id from actions").fetch_all(&pool).await.unwrap();
    let committees: Vec<Uuid> = sqlx::query_scalar("select id from committees").fetch_all(&pool).await.unwrap();
    let subgroups: Vec<Uuid> = sqlx::query_scalar("select id from subgroups").fetch_all(&pool).await.unwrap();
    assert!(people.len() > 10 && actions.len() > 50, "{} people, {} actions", people.len(), actions.len());
    let mut compared = 0;
    for (person, email) in &people {
        let mut tx = db::begin_as(&app_pool, Some(*person)).await.unwrap();
        let (viewer, _) = db::people::load_viewer(&mut tx, *person).await.unwrap().expect("the person");
        let v = Some(&viewer);
        let uuids = |sql: &'static str| sqlx::query_scalar::<_, Vec<Uuid>>(sql);
        let updatable = uuids("select app.updatable_actions()").fetch_one(&mut *tx).await.unwrap();
        let editable = uuids("select app.editable_actions()").fetch_one(&mut *tx).await.unwrap();
        let member_of = uuids("select app.committees()").fetch_one(&mut *tx).await.unwrap();
        let lead_of = uuids("select app.committees('lead_officer')").fetch_one(&mut *tx).await.unwrap();
        let in_subgroups = uuids("select app.subgroups()").fetch_one(&mut *tx).await.unwrap();
        let chair_of = uuids("select app.subgroups('chair')").fetch_one(&mut *tx).await.unwrap();
        let is_admin: bool = sqlx::query_scalar("select app.is_admin()").fetch_one(&mut *tx).await.unwrap();
        for (action, committee, subgroup) in &actions {
            let owner = Owner::of(*committee, *subgroup).expect("one owner");
            assert_eq!(authz::may_update_action(v, owner), updatable.contains(action), "{email} updating {action}");
            assert_eq!(authz::may_shape_action(v, owner), editable.contains(action), "{email} shaping {action}");
            compared += 2;
        }
        for c in &committees {
            assert_eq!(authz::may_read_committee(v, *c), member_of.contains(c), "{email} reading committee {c}");
            assert_eq!(authz::may_lead(v, *c), lead_of.contains(c), "{email} leading committee {c}");
            compared += 2;
        }
        for s in &subgroups {
            assert_eq!(authz::may_work_in_subgroup(v, *s), in_subgroups.contains(s), "{email} in subgroup {s}");
            assert_eq!(authz::may_chair(v, *s), chair_of.contains(s), "{email} chairing subgroup {s}");
            compared += 2;
        }
        assert_eq!(authz::may_administer(v), is_admin, "{email} as admin");
        tx.rollback().await.unwrap();
    }
    // Nobody signed in may do any of it, in either line.
    let mut tx = db::begin_as(&app_pool, None).await.unwrap();
    let updatable: Vec<Uuid> = sqlx::query_scalar("select app.updatable_actions()").fetch_one(&mut *tx).await.unwrap();
    assert!(updatable.is_empty());
    assert!(actions.iter().all(|(_, c, s)| !authz::may_update_action(None, Owner::of(*c, *s).unwrap())));
    assert!(compared > 2_000, "{compared} decisions compared");
}
