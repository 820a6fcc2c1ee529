//! Tenant isolation, as the database itself enforces it: read from the catalogue, so a table,
//! grant or role attribute added later without the same protection fails here.

mod common;

use sqlx::PgPool;

/// Tables outside `public`, each reviewed: session records (random ids and the signed-in
/// person), sign-in failure counters, and the change-event log with its pruning mark. The log
/// is read only by the server's hub, which matches every event's scope against each stream's
/// viewer (`authz::may_receive`) before sending it; fv_app may select from it but never write
/// (rows come only from the triggers, which run as the owner). Listed table by table, so
/// anything new needs a decision here.
/// Tables the server's role cannot reach except through the database's own functions (sessions
/// and sign-in failures apart), or that hold no committee's data.
const NOT_COMMITTEE_DATA: [&str; 6] = [
    "tower_sessions.session",
    "auth.sign_in_failures",
    "auth.two_step",
    "auth.recovery_codes",
    "live.change_events",
    "live.pruned",
];

#[sqlx::test(migrations = "../migrations")]
async fn every_table_has_forced_row_level_security_and_a_policy(pool: PgPool) {
    let tables = sqlx::query!(
        r#"select n.nspname::text as "schema!", c.relname::text as "table!", c.relrowsecurity as "rls!",
                  c.relforcerowsecurity as "forced!",
                  (select count(*) from pg_policy p where p.polrelid = c.oid) as "policies!"
             from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p')
              and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
              and not (n.nspname = 'public' and c.relname = '_sqlx_migrations')
            order by 1, 2"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(tables.len() > 20, "the catalogue query found only {} tables", tables.len());
    let mut offenders = Vec::new();
    for t in &tables {
        let name = format!("{}.{}", t.schema, t.table);
        if NOT_COMMITTEE_DATA.contains(&name.as_str()) {
            continue;
        }
        if t.schema != "public" {
            offenders.push(format!("{name}: a table outside `public` that is not on the reviewed list"));
        } else if !(t.rls && t.forced && t.policies > 0) {
            offenders.push(format!("{name}: rls={} forced={} policies={}", t.rls, t.forced, t.policies));
        }
    }
    assert!(offenders.is_empty(), "tables without forced row-level security and a policy:\n{}", offenders.join("\n"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_servers_role_owns_nothing_and_cannot_bypass_rls(pool: PgPool) {
    let role = sqlx::query!(
        r#"select rolsuper as "superuser!", rolbypassrls as "bypass!", rolcreaterole as "createrole!",
                  rolcreatedb as "createdb!", oid::int8 as "oid!"
             from pg_roles where rolname = 'fv_app'"#
    )
    .fetch_one(&pool)
    .await
    .expect("the fv_app role exists");
    assert!(!role.superuser && !role.bypass && !role.createrole && !role.createdb);
    let owned = sqlx::query_scalar!(
        r#"select (select count(*) from pg_class where relowner = $1::int8::oid)
                + (select count(*) from pg_namespace where nspowner = $1::int8::oid)
                + (select count(*) from pg_proc where proowner = $1::int8::oid)
                + (select count(*) from pg_type where typowner = $1::int8::oid) as "n!""#,
        role.oid
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(owned, 0, "fv_app owns database objects");
    // The owner can do anything through membership; fv_app must not be a member of any role.
    let memberships =
        sqlx::query_scalar!(r#"select count(*) as "n!" from pg_auth_members where member = $1::int8::oid"#, role.oid)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(memberships, 0, "fv_app inherits another role's rights");

    // And the app, connected as that role, confirms it about itself.
    let app_pool = common::app_pool(&pool, 1);
    server::check_server_role(&app_pool).await.expect("the server accepts fv_app");
    assert!(server::check_server_role(&pool).await.is_err(), "the server would accept the owner role");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_audit_trail_is_append_only_and_password_hashes_unreachable(pool: PgPool) {
    let privilege = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, bool>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert!(privilege("select has_table_privilege('fv_app', 'audit_events', 'INSERT')").await);
    for p in ["UPDATE", "DELETE", "TRUNCATE"] {
        let has: bool = sqlx::query_scalar("select has_table_privilege('fv_app', 'audit_events', $1)")
            .bind(p)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(!has, "fv_app may {p} the audit trail");
    }
    assert!(!privilege("select has_column_privilege('fv_app', 'people', 'password_hash', 'SELECT')").await);
    assert!(!privilege("select has_column_privilege('fv_app', 'people', 'password_hash', 'UPDATE')").await);

    // Even a platform admin's transaction cannot rewrite or remove audit rows.
    server::demo::load_if_empty(&pool).await.unwrap();
    let admin: uuid::Uuid =
        sqlx::query_scalar("select id from people where is_platform_admin").fetch_one(&pool).await.unwrap();
    let app_pool = common::app_pool(&pool, 1);
    for statement in ["update audit_events set summary = 'rewritten'", "delete from audit_events"] {
        let mut tx = app::server::db::begin_as(&app_pool, Some(admin)).await.unwrap();
        let refused = sqlx::query(statement).execute(&mut *tx).await;
        assert!(refused.is_err(), "{statement} was allowed");
    }
    let mut tx = app::server::db::begin_as(&app_pool, Some(admin)).await.unwrap();
    assert!(sqlx::query("select password_hash from people").fetch_all(&mut *tx).await.is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn without_a_person_a_query_sees_only_public_rows(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let count = |sql: &'static str| {
        let app_pool = common::app_pool(&pool, 1);
        async move {
            // A bare connection: no transaction, no app.person_id at all.
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&app_pool).await.unwrap()
        }
    };
    let published: i64 =
        sqlx::query_scalar("select count(*) from plans where status = 'published'").fetch_one(&pool).await.unwrap();
    let all: i64 = sqlx::query_scalar("select count(*) from plans").fetch_one(&pool).await.unwrap();
    assert!(all > published, "the demo has a draft");
    assert_eq!(count("select count(*) from plans").await, published);
    for private in [
        "select count(*) from people",
        "select count(*) from committee_memberships",
        "select count(*) from subgroup_memberships",
        "select count(*) from audit_events",
        "select count(*) from invitations",
    ] {
        assert_eq!(count(private).await, 0, "{private}");
    }
    // The draft's actions are invisible too, while published ones are not.
    let draft_actions: i64 = sqlx::query_scalar(
        "select count(*) from plan_actions pa join plans p on p.id = pa.plan_id where p.status = 'draft'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(draft_actions > 0);
    let visible_actions = count("select count(*) from actions").await;
    let public_actions: i64 = sqlx::query_scalar(
        "select count(distinct pa.action_id) from plan_actions pa join plans p on p.id = pa.plan_id where p.status = 'published'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(visible_actions, public_actions);

    // A member of the committee sees its draft; a member of another does not.
    let person = |email: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, uuid::Uuid>("select id from people where email = $1")
                .bind(email)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let app_pool = common::app_pool(&pool, 1);
    for (email, sees) in [("clacks.member@example.org", all), ("falkirk.lead@example.org", published)] {
        let mut tx = app::server::db::begin_as(&app_pool, Some(person(email).await)).await.unwrap();
        let n: i64 = sqlx::query_scalar("select count(*) from plans").fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, sees, "{email}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_draft_protocol_is_seen_by_its_subgroup_and_the_committees_asked_to_ratify_it(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    // Make one protocol a draft put to Stirling only.
    ird_procedure_as_a_draft_put_to_stirling_only(&pool).await;
    let app_pool = common::app_pool(&pool, 1);
    let sees = |email: Option<&'static str>| {
        let (pool, app_pool) = (pool.clone(), app_pool.clone());
        async move {
            let person = match email {
                Some(e) => Some(
                    sqlx::query_scalar::<_, uuid::Uuid>("select id from people where email = $1")
                        .bind(e)
                        .fetch_one(&pool)
                        .await
                        .unwrap(),
                ),
                None => None,
            };
            let mut tx = app::server::db::begin_as(&app_pool, person).await.unwrap();
            sqlx::query_scalar::<_, i64>("select count(*) from protocols where slug = 'fv-ird-procedure'")
                .fetch_one(&mut *tx)
                .await
                .unwrap()
                == 1
        }
    };
    assert!(sees(Some("chair.ird@example.org")).await, "the owning subgroup");
    assert!(sees(Some("stirling.member@example.org")).await, "a committee asked to ratify it");
    assert!(!sees(Some("falkirk.lead@example.org")).await, "a committee not asked");
    assert!(!sees(Some("chair.protocols@example.org")).await, "another subgroup");
    assert!(!sees(None).await, "the public");
}

/// Plain SQL as the server's role, with a real person set, trying to get around the rules the
/// server functions keep: each must be refused by the database itself.
#[sqlx::test(migrations = "../migrations")]
async fn plain_sql_as_the_servers_role_cannot_get_around_the_rules(pool: PgPool) {
    server::demo::load_if_empty(&pool).await.unwrap();
    let id = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, uuid::Uuid>(sql).fetch_one(&pool).await.unwrap() }
    };
    let clacks_lead = id("select id from people where email = 'clacks.lead@example.org'").await;
    let falkirk_lead = id("select id from people where email = 'falkirk.lead@example.org'").await;
    let clacks = id("select id from committees where slug = 'clackmannanshire'").await;
    let falkirk = id("select id from committees where slug = 'falkirk'").await;
    let draft_action = id(
        "select pa.action_id from plan_actions pa join plans p on p.id = pa.plan_id where p.slug = '2025-27' limit 1",
    )
    .await;
    let falkirk_plan = id("select p.id from plans p where p.committee_id = (select id from committees where slug = 'falkirk') and p.status = 'published' limit 1").await;
    let falkirk_objective =
        id("select id from objectives where plan_id = (select p.id from plans p join committees c on c.id = p.committee_id where c.slug = 'falkirk' and p.status = 'published' limit 1) limit 1").await;
    // A draft protocol of the IRD Steering Group, put to Stirling only.
    ird_procedure_as_a_draft_put_to_stirling_only(&pool).await;
    let draft_version =
        id("select v.id from protocol_versions v join protocols p on p.id = v.protocol_id where p.slug = 'fv-ird-procedure' limit 1").await;
    // A used invitation of Clackmannanshire's, and a pending person of Falkirk's.
    sqlx::query(
        "with p as (insert into people (email, display_name) values ('used@example.org', 'Used Link') returning id)
         insert into invitations (person_id, committee_id, token_hash, expires_at, used_at)
         select id, $1, repeat('a', 64), now() + interval '1 day', now() from p",
    )
    .bind(clacks)
    .execute(&pool)
    .await
    .unwrap();
    let pending = id("with p as (insert into people (email, display_name) values ('pending.falkirk@example.org', 'Pending') returning id)
                      insert into committee_memberships (person_id, committee_id, role)
                      select id, (select id from committees where slug = 'falkirk'), 'lead_officer' from p returning person_id").await;

    let app_pool = common::app_pool(&pool, 1);
    let attacks: Vec<(uuid::Uuid, &str, String)> = vec![
        (clacks_lead, "make oneself a platform admin", "update people set is_platform_admin = true where id = app.person()".into()),
        (
            clacks_lead,
            "revive a used invitation link",
            format!("update invitations set used_at = null where committee_id = '{clacks}'"),
        ),
        (
            clacks_lead,
            "re-point an invitation link at someone else",
            format!("update invitations set person_id = '{pending}' where committee_id = '{clacks}'"),
        ),
        (
            clacks_lead,
            "write a link for another committee's pending person",
            format!(
                "insert into invitations (person_id, committee_id, token_hash, created_by, expires_at)
                 values ('{pending}', '{clacks}', repeat('b', 64), app.person(), now() + interval '7 days')"
            ),
        ),
        (
            falkirk_lead,
            "ask for a ratification to read another subgroup's draft protocol",
            format!("insert into protocol_ratifications (protocol_version_id, committee_id) values ('{draft_version}', '{falkirk}')"),
        ),
        (
            falkirk_lead,
            "place another committee's private action into a published plan",
            format!(
                "insert into plan_actions (plan_id, committee_id, objective_id, action_id, position)
                 values ('{falkirk_plan}', '{falkirk}', '{falkirk_objective}', '{draft_action}', 999)"
            ),
        ),
        (
            falkirk_lead,
            "re-point a placement at another committee's private action",
            format!("update plan_actions set action_id = '{draft_action}' where committee_id = '{falkirk}'"),
        ),
        (
            falkirk_lead,
            "write into another committee's audit trail",
            format!(
                "insert into audit_events (person_id, committee_id, entity, operation, summary)
                 values (app.person(), '{clacks}', 'plan', 'update', 'forged')"
            ),
        ),
        (
            falkirk_lead,
            "hand one's own action to another committee",
            format!("update actions set owner_committee_id = '{clacks}' where owner_committee_id = '{falkirk}'"),
        ),
        (
            falkirk_lead,
            "move a membership onto another committee",
            format!("update committee_memberships set committee_id = '{clacks}' where committee_id = '{falkirk}'"),
        ),
    ];
    for (person, what, sql) in &attacks {
        let mut tx = app::server::db::begin_as(&app_pool, Some(*person)).await.unwrap();
        let result = sqlx::query(sql).execute(&mut *tx).await;
        let refused = match result {
            Err(_) => true,
            Ok(done) => done.rows_affected() == 0,
        };
        assert!(refused, "the database let fv_app {what}: {sql}");
        tx.rollback().await.ok();
    }
    // And the functions that do issue links keep the same rule.
    let mut tx = app::server::db::begin_as(&app_pool, Some(clacks_lead)).await.unwrap();
    let issued: bool = sqlx::query_scalar("select app.issue_invitation($1, $2, null, repeat('c', 64), 7)")
        .bind(pending)
        .bind(clacks)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(!issued, "a link for a person another committee invited");
    tx.rollback().await.unwrap();
    let sees_draft: i64 = sqlx::query_scalar("select count(*) from protocols where slug = 'fv-ird-procedure'")
        .fetch_one(&mut *begin(&app_pool, falkirk_lead).await)
        .await
        .unwrap();
    assert_eq!(sees_draft, 0);
}

async fn begin(pool: &PgPool, person: uuid::Uuid) -> sqlx::Transaction<'static, sqlx::Postgres> {
    app::server::db::begin_as(pool, Some(person)).await.unwrap()
}

/// Makes the FV IRD Procedure a draft protocol that only Stirling is asked to ratify.
async fn ird_procedure_as_a_draft_put_to_stirling_only(pool: &PgPool) {
    sqlx::query("update protocols set is_public = false where slug = 'fv-ird-procedure'").execute(pool).await.unwrap();
    sqlx::query(
        "delete from protocol_ratifications r using protocol_versions v, protocols p, committees c
          where r.protocol_version_id = v.id and v.protocol_id = p.id and p.slug = 'fv-ird-procedure'
            and r.committee_id = c.id and c.slug <> 'stirling'",
    )
    .execute(pool)
    .await
    .unwrap();
}
