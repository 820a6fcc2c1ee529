//! A plan's life: draft (its committee's members only), published (everyone), archived (kept
//! as it was, read by its members).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanState {
    Draft,
    Published,
    Archived,
}

impl PlanState {
    pub const ALL: [PlanState; 3] = [PlanState::Draft, PlanState::Published, PlanState::Archived];

    /// The code the database stores (`plans.status`).
    pub fn code(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Published => "published",
            PlanState::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state read back from the database, whose check constraint admits only the three
    /// codes; anything else is read as a draft (shown to members only), never as published.
    pub fn stored(code: &str) -> Self {
        Self::parse(code).unwrap_or(PlanState::Draft)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanState::Draft => "Draft",
            PlanState::Published => "Published",
            PlanState::Archived => "Archived",
        }
    }
}

impl std::fmt::Display for PlanState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A new plan as the import form names it, checked: its period (the slug, e.g. 2027-29) and
/// title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlanForm {
    pub slug: String,
    pub title: String,
}

pub fn check_new_plan(period: &str, title: &str) -> Result<NewPlanForm, crate::error::AppError> {
    let period = crate::domain::slug::PlanPeriod::parse(period.trim());
    let title = title.trim();
    let mut v = crate::error::Validation::default();
    v.check(
        period.is_ok(),
        "plan",
        "Write the plan's period like 2027-29: the first year in full, then the last year's final two digits.",
    )
    .check(!title.is_empty(), "title", "Give the plan a title, e.g. Strategic Improvement Plan 2027-29.")
    .check(
        title.chars().count() <= crate::domain::text::MAX_PLAN_TITLE,
        "title",
        "Use at most 200 characters for the title.",
    );
    v.finish()?;
    let slug = period.map(|p| p.slug()).map_err(|_| crate::error::AppError::Internal)?;
    Ok(NewPlanForm { slug, title: title.to_owned() })
}

/// The form refused (with the period's message added) when the committee already has a plan
/// for that period: an import never changes an existing plan.
pub fn with_existing_plan(
    form: Result<NewPlanForm, crate::error::AppError>,
    existing: Option<(String, PlanState)>,
    committee_name: &str,
) -> Result<NewPlanForm, crate::error::AppError> {
    use crate::error::{AppError, FieldError};
    let Some((title, state)) = existing else { return form };
    let slug = form.as_ref().map(|f| f.slug.clone()).unwrap_or_default();
    let clash = FieldError {
        field: "plan".into(),
        message: format!(
            "{committee_name} already has a plan for {slug} ({title}, {state}). Choose another period: an import never \
             changes an existing plan."
        ),
    };
    match form {
        Ok(_) => Err(AppError::Invalid(vec![clash])),
        Err(AppError::Invalid(mut errors)) => {
            errors.retain(|e| e.field != "plan");
            errors.insert(0, clash);
            Err(AppError::Invalid(errors))
        }
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_unknown_codes_are_never_published() {
        for state in PlanState::ALL {
            assert_eq!(PlanState::parse(state.code()), Some(state));
        }
        assert_eq!(PlanState::parse("live"), None);
        assert_eq!(PlanState::stored("live"), PlanState::Draft);
    }

    #[test]
    fn a_new_plan_needs_a_period_and_a_title_and_never_an_existing_period() {
        let ok = check_new_plan(" 2027-29 ", " Plan 2027-29 ").unwrap();
        assert_eq!((ok.slug.as_str(), ok.title.as_str()), ("2027-29", "Plan 2027-29"));
        let refused = check_new_plan("27-29", "").unwrap_err();
        assert!(refused.field_message("plan").is_some() && refused.field_message("title").is_some());
        let clash =
            with_existing_plan(check_new_plan("2027-29", "T"), Some(("Old".into(), PlanState::Draft)), "Stirling CPC");
        assert!(clash
            .unwrap_err()
            .field_message("plan")
            .unwrap()
            .starts_with("Stirling CPC already has a plan for 2027-29 (Old, draft)"));
    }
}
