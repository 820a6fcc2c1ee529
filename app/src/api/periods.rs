//! Reporting periods and the Chief Officers Group report: a committee's members read them; its
//! lead officers set a period's dates and close it, which freezes the snapshot the report is
//! made from.

use crate::domain::views::{AnnualPage, PeriodComparePage, PeriodsPage, ReportPage, SummaryPage};
use crate::error::AppError;
use leptos::prelude::*;

/// Resolving periods: the committee's stored ones and the default quarters, by address.
#[cfg(feature = "ssr")]
pub(crate) mod resolve {
    use crate::domain::dates::IsoDate;
    use crate::domain::period::{PeriodView, Quarter};
    use crate::error::AppError;
    use crate::server::db::periods::{SnapshotRecord, StoredPeriod};
    use uuid::Uuid;

    /// A period, stored or not, with its current snapshot.
    pub struct Period {
        pub stored: Option<Uuid>,
        pub view: PeriodView,
        pub current: Option<Uuid>,
    }

    fn view(
        slug: String,
        label: String,
        starts_on: String,
        ends_on: String,
        id: Option<Uuid>,
        snaps: &[SnapshotRecord],
    ) -> Period {
        let mine: Vec<&SnapshotRecord> = snaps.iter().filter(|s| Some(s.period_id) == id).collect();
        let current = mine.iter().find(|s| !s.superseded);
        Period {
            stored: id,
            current: current.map(|s| s.id),
            view: PeriodView {
                slug,
                label,
                starts_on,
                ends_on,
                closed_at: current.map(|s| s.taken_at.clone()),
                closed_by: current.map(|s| s.taken_by.clone()),
                superseded: mine.iter().filter(|s| s.superseded).count() as u32,
            },
        }
    }

    /// Every period the committee is offered on `today` and every stored one, newest first.
    pub fn all(stored: &[StoredPeriod], snaps: &[SnapshotRecord], today: IsoDate) -> Vec<Period> {
        let mut out: Vec<Period> = stored
            .iter()
            .map(|p| view(p.slug.clone(), p.label.clone(), p.starts_on.clone(), p.ends_on.clone(), Some(p.id), snaps))
            .collect();
        for q in Quarter::offered(today) {
            if !out.iter().any(|p| p.view.slug == q.slug()) {
                let (s, e) = q.dates();
                out.push(view(q.slug(), q.label(), s.to_string(), e.to_string(), None, snaps));
            }
        }
        out.sort_by(|a, b| b.view.starts_on.cmp(&a.view.starts_on));
        out
    }

    /// The current snapshot of the committee's closed period just before `this`, if any: what
    /// its report and its public summary are compared with.
    pub fn previous(stored: &[StoredPeriod], snaps: &[SnapshotRecord], today: IsoDate, this: &Period) -> Option<Uuid> {
        all(stored, snaps, today).into_iter().filter(|p| p.view.starts_on < this.view.starts_on).find_map(|p| p.current)
    }

    /// The period at `slug`: a stored one, or any financial-year quarter.
    pub fn one(stored: &[StoredPeriod], snaps: &[SnapshotRecord], slug: &str) -> Result<Period, AppError> {
        if let Some(p) = stored.iter().find(|p| p.slug == slug) {
            return Ok(view(
                p.slug.clone(),
                p.label.clone(),
                p.starts_on.clone(),
                p.ends_on.clone(),
                Some(p.id),
                snaps,
            ));
        }
        let q = Quarter::parse(slug).ok_or_else(|| AppError::not_found(format!("a reporting period \"{slug}\"")))?;
        let (s, e) = q.dates();
        Ok(view(q.slug(), q.label(), s.to_string(), e.to_string(), None, snaps))
    }
}

/// Requires: a member of the committee.
#[server(endpoint = "reporting_periods")]
pub async fn get_periods(committee: String) -> Result<PeriodsPage, AppError> {
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::periods, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Member).await?;
    let stored = periods::stored_periods(&mut tx, c.id).await?;
    let snaps = periods::snapshots(&mut tx, c.id).await?;
    let today = periods::today(&mut tx).await?;
    tx.commit().await?;
    Ok(PeriodsPage {
        can_close: authz::may_close_period(viewer.as_ref(), c.id),
        committee: c.committee_ref(),
        periods: resolve::all(&stored, &snaps, today).into_iter().map(|p| p.view).collect(),
        today: today.to_string(),
    })
}

/// The report page's data for `viewer`: the period's report made from its current snapshot
/// and compared with the committee's closed period before it. The page and the report's files
/// (`server::report_files`) both come from here.
#[cfg(feature = "ssr")]
pub async fn load_report(
    tx: &mut sqlx::PgConnection,
    viewer: Option<&crate::server::authz::Viewer>,
    committee: &str,
    period: &str,
) -> Result<ReportPage, AppError> {
    use crate::domain::report::cog_report;
    use crate::domain::views::SnapshotEntry;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::db::periods;
    let c = authz::committee(&mut *tx, viewer, committee, CommitteeNeed::Member).await?;
    let stored = periods::stored_periods(&mut *tx, c.id).await?;
    let snaps = periods::snapshots(&mut *tx, c.id).await?;
    let today = periods::today(&mut *tx).await?;
    let this = resolve::one(&stored, &snaps, period)?;
    let report = match this.current {
        Some(id) => {
            let snapshot = periods::snapshot_data(&mut *tx, id).await?.ok_or(AppError::Internal)?;
            let previous = match resolve::previous(&stored, &snaps, today, &this) {
                Some(id) => periods::snapshot_data(&mut *tx, id).await?,
                None => None,
            };
            Some(cog_report(&snapshot, previous.as_ref()))
        }
        None => None,
    };
    let others = resolve::all(&stored, &snaps, today)
        .into_iter()
        .filter(|p| p.current.is_some() && p.view.slug != this.view.slug)
        .map(|p| (p.view.slug, p.view.label))
        .collect();
    let history = snaps
        .iter()
        .filter(|s| this.stored == Some(s.period_id))
        .map(|s| SnapshotEntry {
            taken_at: s.taken_at.clone(),
            taken_by: s.taken_by.clone(),
            reason: s.reason.clone(),
            superseded: s.superseded,
        })
        .collect();
    Ok(ReportPage {
        started: this.view.starts_on <= today.to_string(),
        can_close: authz::may_close_period(viewer, c.id),
        committee: c.committee_ref(),
        period: this.view,
        report,
        snapshots: history,
        others,
    })
}

/// Requires: a member of the committee.
#[server(endpoint = "cog_report")]
pub async fn get_report(committee: String, period: String) -> Result<ReportPage, AppError> {
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    let page = load_report(&mut tx, viewer.as_ref(), &committee, &period).await?;
    tx.commit().await?;
    Ok(page)
}

/// Requires: a lead officer of the committee. Freezes the period: every plan of the committee
/// published now, its risk register and its pending ratifications. Closing a closed period
/// again needs a reason; the earlier snapshot is kept, marked superseded.
#[server(endpoint = "close_period")]
pub async fn close_period(committee: String, period: String, reason: Option<String>) -> Result<(), AppError> {
    use crate::domain::dates::IsoDate;
    use crate::domain::period::check_reclose_reason;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::periods, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let stored = periods::stored_periods(&mut tx, c.id).await?;
    let snaps = periods::snapshots(&mut tx, c.id).await?;
    let today = periods::today(&mut tx).await?;
    let this = resolve::one(&stored, &snaps, &period)?;
    if this.view.starts_on > today.to_string() {
        return Err(AppError::Conflict(format!("{} has not begun yet, so it cannot be closed.", this.view.label)));
    }
    let reason = check_reclose_reason(reason.as_deref().unwrap_or_default(), this.current.is_some())?;
    let (starts, ends) = (
        IsoDate::parse(&this.view.starts_on).ok_or(AppError::Internal)?,
        IsoDate::parse(&this.view.ends_on).ok_or(AppError::Internal)?,
    );
    let period_id = match this.stored {
        Some(id) => id,
        None => periods::set_period(&mut tx, &c, &this.view.slug, &this.view.label, starts, ends).await?,
    };
    let snapshot =
        periods::gather(&mut tx, &c, &this.view.slug, &this.view.label, &this.view.starts_on, &this.view.ends_on)
            .await?;
    let snapshot_id = periods::close(&mut tx, &c, period_id, &snapshot, this.current, &reason).await?;
    // The public summary of each published plan, written with the snapshot it is made from.
    let previous = match resolve::previous(&stored, &snaps, today, &this) {
        Some(id) => periods::snapshot_data(&mut tx, id).await?,
        None => None,
    };
    let summaries = crate::domain::public_summary::public_summaries(&snapshot, previous.as_ref());
    crate::server::db::summaries::store(&mut tx, c.id, snapshot_id, &summaries).await?;
    tx.commit().await?;
    let actions: usize = snapshot.plans.iter().map(|p| p.actions.len()).sum();
    request::notice(format!(
        "Closed {}: {} published plan(s), {actions} actions and {} risks frozen as reported.",
        this.view.label,
        snapshot.plans.len(),
        snapshot.risks.len()
    ))
    .await?;
    request::redirect(&format!("/committees/{}/periods/{}", c.slug, this.view.slug))
}

/// Requires: a lead officer of the committee. Moves an open period's dates to fit the
/// committee's meetings.
#[server(endpoint = "set_period_dates")]
pub async fn set_period_dates(
    committee: String,
    period: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    use crate::domain::period::check_dates;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::periods, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Lead).await?;
    let stored = periods::stored_periods(&mut tx, c.id).await?;
    let snaps = periods::snapshots(&mut tx, c.id).await?;
    let this = resolve::one(&stored, &snaps, &period)?;
    if this.current.is_some() {
        return Err(AppError::Conflict(format!(
            "{} is closed: its report keeps the dates it was closed with.",
            this.view.label
        )));
    }
    let (s, e) = check_dates(&starts_on, &ends_on)?;
    periods::set_period(&mut tx, &c, &this.view.slug, &this.view.label, s, e).await?;
    tx.commit().await?;
    request::notice(format!("{} now runs from {s} to {e}.", this.view.label)).await
}

/// Requires: a member of the committee. Two closed periods' records side by side, the earlier
/// first whichever order the address gives.
#[server(endpoint = "compare_periods")]
pub async fn compare_periods(committee: String, period: String, other: String) -> Result<PeriodComparePage, AppError> {
    use crate::domain::snapshot_compare::compare_snapshots;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::periods, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Member).await?;
    let stored = periods::stored_periods(&mut tx, c.id).await?;
    let snaps = periods::snapshots(&mut tx, c.id).await?;
    let (a, b) = (resolve::one(&stored, &snaps, &period)?, resolve::one(&stored, &snaps, &other)?);
    let closed = |p: &resolve::Period| {
        p.current.ok_or_else(|| {
            AppError::Conflict(format!("{} is open: only closed periods can be compared.", p.view.label))
        })
    };
    let (id_a, id_b) = (closed(&a)?, closed(&b)?);
    let ((first, first_slug), (second, second_slug)) = if a.view.starts_on <= b.view.starts_on {
        ((id_a, a.view.slug), (id_b, b.view.slug))
    } else {
        ((id_b, b.view.slug), (id_a, a.view.slug))
    };
    let earlier = periods::snapshot_data(&mut tx, first).await?.ok_or(AppError::Internal)?;
    let later = periods::snapshot_data(&mut tx, second).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(PeriodComparePage {
        committee: c.committee_ref(),
        comparison: compare_snapshots(&earlier, &later),
        earlier_slug: first_slug,
        later_slug: second_slug,
    })
}

/// Requires: nothing: anyone reads a published plan's latest quarterly summary (the database
/// holds only the plan's public words in it, and shows it only while the plan is published).
#[server(endpoint = "public_summary")]
pub async fn get_public_summary(committee: String, plan: String) -> Result<SummaryPage, AppError> {
    use crate::domain::plan::PlanState;
    use crate::server::auth::viewer::Access;
    use crate::server::{db, request};
    let (viewer, mut tx) = request::begin().await?;
    let header = db::plans::find_plan(&mut *tx, &Access::of(viewer.as_ref()), &committee, &plan)
        .await?
        .filter(|h| h.state == PlanState::Published)
        .ok_or_else(|| AppError::not_found(format!("a published plan {plan} for the committee \"{committee}\"")))?;
    let summary = db::summaries::latest(&mut tx, &committee, &plan).await?;
    tx.commit().await?;
    Ok(SummaryPage { committee: header.committee, plan_slug: header.slug, plan_title: header.title, summary })
}

/// Requires: a member of the committee. The financial year `year` ("2026-27") in one place:
/// its closed quarters combined, measured from the closed period before its first quarter.
#[server(endpoint = "annual_summary")]
pub async fn get_annual_summary(committee: String, year: String) -> Result<AnnualPage, AppError> {
    use crate::domain::annual::annual;
    use crate::domain::period::Quarter;
    use crate::server::authz::{self, CommitteeNeed};
    use crate::server::{db::periods, request};
    let (viewer, mut tx) = request::begin().await?;
    let c = authz::committee(&mut tx, viewer.as_ref(), &committee, CommitteeNeed::Member).await?;
    let first = Quarter::parse(&format!("{}-q1", year.trim()))
        .ok_or_else(|| AppError::not_found(format!("a financial year \"{year}\" (written like 2026-27)")))?;
    let stored = periods::stored_periods(&mut tx, c.id).await?;
    let snaps = periods::snapshots(&mut tx, c.id).await?;
    let today = periods::today(&mut tx).await?;
    let quarters = (1..=4u8)
        .map(|number| resolve::one(&stored, &snaps, &Quarter { year: first.year, number }.slug()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut closed = Vec::new();
    for id in quarters.iter().filter_map(|q| q.current) {
        closed.push(periods::snapshot_data(&mut tx, id).await?.ok_or(AppError::Internal)?);
    }
    let baseline = match resolve::previous(&stored, &snaps, today, &quarters[0]) {
        Some(id) => periods::snapshot_data(&mut tx, id).await?,
        None => None,
    };
    tx.commit().await?;
    let label = first.label().trim_start_matches("Q1 ").to_owned();
    Ok(AnnualPage {
        committee: c.committee_ref(),
        summary: annual(&label, &closed, baseline.as_ref()),
        year_label: label,
        year_slug: year.trim().to_owned(),
    })
}

/// Requires: a member of any Forth Valley committee or subgroup, or a platform admin. The
/// Forth Valley report as of today: each committee's published plans' counts and exceptions,
/// every shared action with every plan that adopts it, each protocol's ratifications, and the
/// open risks of the subgroup registers this reader may see (the others are only counted).
#[server(endpoint = "regional_report")]
pub async fn get_regional_report() -> Result<crate::domain::regional::RegionalReport, AppError> {
    use crate::domain::regional::{committee_parts, RegionalReport, SubgroupRegister};
    use crate::domain::risk::{HolderKind, RegisterHolder};
    use crate::server::authz::{self, Owner};
    use crate::server::db::{overview, periods, regional};
    use crate::server::request;
    let (viewer, mut tx) = request::begin().await?;
    authz::require(viewer.as_ref(), authz::may_read_region_report(viewer.as_ref()))?;
    let region = overview::home_region(&mut tx).await?;
    let today = periods::today(&mut tx).await?.to_string();
    let committees = regional::committees(&mut tx, region.id).await?;
    let plans = regional::published_plans(&mut tx, region.id).await?;
    let shared = regional::shared_actions(&mut tx, region.id).await?;
    let protocols = regional::protocol_standings(&mut tx, region.id).await?;
    let subgroups = regional::subgroups(&mut tx, region.id).await?;
    let (readable, withheld): (Vec<_>, Vec<_>) = subgroups
        .into_iter()
        .partition(|s| authz::may_read_register(viewer.as_ref(), Owner::Subgroup(s.id), &s.participants));
    let ids: Vec<uuid::Uuid> = readable.iter().map(|s| s.id).collect();
    let risks = regional::open_subgroup_risks(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(RegionalReport {
        region: region.name,
        committees: committee_parts(committees, &plans, &today),
        reported_on: today,
        shared,
        protocols,
        registers: readable
            .into_iter()
            .map(|s| SubgroupRegister {
                risks: risks.iter().filter(|(id, _)| *id == s.id).map(|(_, r)| r.clone()).collect(),
                holder: RegisterHolder { kind: HolderKind::Subgroup, slug: s.slug, name: s.name },
            })
            .collect(),
        registers_withheld: withheld.len() as u32,
    })
}
