//! Reporting periods and the Chief Officers Group report: a committee's members read them; its
//! lead officers set a period's dates and close it, which freezes the snapshot the report is
//! made from.

use crate::domain::views::{PeriodsPage, ReportPage};
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

#[cfg(feature = "ssr")]
fn committee_ref(c: &crate::server::db::members::NamedRef) -> crate::domain::views::CommitteeRef {
    crate::domain::views::CommitteeRef { slug: c.slug.clone(), name: c.name.clone(), short_name: c.short_name.clone() }
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
        committee: committee_ref(&c),
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
            // The closed period just before this one, if any.
            let before = resolve::all(&stored, &snaps, today)
                .into_iter()
                .filter(|p| p.view.starts_on < this.view.starts_on)
                .find_map(|p| p.current);
            let previous = match before {
                Some(id) => periods::snapshot_data(&mut *tx, id).await?,
                None => None,
            };
            Some(cog_report(&snapshot, previous.as_ref()))
        }
        None => None,
    };
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
        committee: committee_ref(&c),
        period: this.view,
        report,
        snapshots: history,
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
    periods::close(&mut tx, &c, period_id, &snapshot, this.current, &reason).await?;
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
