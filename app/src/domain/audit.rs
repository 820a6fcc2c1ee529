//! What the audit trail records: the kinds of object and of change, as codes the database
//! keeps (`audit_events.entity`, `.operation`) and words the audit page shows.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entity {
    Region,
    Committee,
    Subgroup,
    Person,
    Membership,
    SubgroupMembership,
    Plan,
    PlanReview,
    Priority,
    Outcome,
    Objective,
    Action,
    PlanAction,
    ActionProtocol,
    Protocol,
    ProtocolVersion,
    ProtocolRatification,
    Risk,
    RiskAssessment,
    RiskAction,
    ReportingPeriod,
    PeriodSnapshot,
}

impl Entity {
    pub const ALL: [Entity; 22] = [
        Entity::Region,
        Entity::Committee,
        Entity::Subgroup,
        Entity::Person,
        Entity::Membership,
        Entity::SubgroupMembership,
        Entity::Plan,
        Entity::PlanReview,
        Entity::Priority,
        Entity::Outcome,
        Entity::Objective,
        Entity::Action,
        Entity::PlanAction,
        Entity::ActionProtocol,
        Entity::Protocol,
        Entity::ProtocolVersion,
        Entity::ProtocolRatification,
        Entity::Risk,
        Entity::RiskAssessment,
        Entity::RiskAction,
        Entity::ReportingPeriod,
        Entity::PeriodSnapshot,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Entity::Region => "region",
            Entity::Committee => "committee",
            Entity::Subgroup => "subgroup",
            Entity::Person => "person",
            Entity::Membership => "membership",
            Entity::SubgroupMembership => "subgroup_membership",
            Entity::Plan => "plan",
            Entity::PlanReview => "plan_review",
            Entity::Priority => "priority",
            Entity::Outcome => "outcome",
            Entity::Objective => "objective",
            Entity::Action => "action",
            Entity::PlanAction => "plan_action",
            Entity::ActionProtocol => "action_protocol",
            Entity::Protocol => "protocol",
            Entity::ProtocolVersion => "protocol_version",
            Entity::ProtocolRatification => "protocol_ratification",
            Entity::Risk => "risk",
            Entity::RiskAssessment => "risk_assessment",
            Entity::RiskAction => "risk_action",
            Entity::ReportingPeriod => "reporting_period",
            Entity::PeriodSnapshot => "period_snapshot",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    Insert,
    Update,
    Delete,
}

impl Operation {
    pub fn code(self) -> &'static str {
        match self {
            Operation::Insert => "insert",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

/// An audit page's filters, checked: a person (by id), a date range and a kind of object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilterForm {
    pub person: Option<uuid::Uuid>,
    pub from: Option<crate::domain::dates::IsoDate>,
    pub to: Option<crate::domain::dates::IsoDate>,
    pub entity: Option<Entity>,
}

pub fn check_audit_filter(
    person: &str,
    from: &str,
    to: &str,
    object: &str,
) -> Result<AuditFilterForm, crate::error::AppError> {
    use crate::domain::dates::IsoDate;
    let optional = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_owned);
    let person_id = optional(person).map(|p| uuid::Uuid::parse_str(&p).ok());
    let from_date = optional(from).map(|d| IsoDate::parse(&d));
    let to_date = optional(to).map(|d| IsoDate::parse(&d));
    let entity = optional(object).map(|o| Entity::parse(&o));
    let mut v = crate::error::Validation::default();
    v.check(person_id.is_none_or(|p| p.is_some()), "person", "Choose a person from the list.")
        .check(from_date.is_none_or(|d| d.is_some()), "from", "Enter a date like 2025-03-31.")
        .check(to_date.is_none_or(|d| d.is_some()), "to", "Enter a date like 2025-03-31.")
        .check(entity.is_none_or(|e| e.is_some()), "object", "Choose a kind of object from the list.");
    v.finish()?;
    Ok(AuditFilterForm {
        person: person_id.flatten(),
        from: from_date.flatten(),
        to: to_date.flatten(),
        entity: entity.flatten(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_codes_round_trip() {
        for entity in Entity::ALL {
            assert_eq!(Entity::parse(entity.code()), Some(entity));
        }
        assert_eq!(Entity::parse("anything"), None);
    }

    #[test]
    fn audit_filters_are_checked_by_field() {
        assert_eq!(check_audit_filter("", " ", "", "").unwrap(), AuditFilterForm::default());
        let f = check_audit_filter("", "2025-03-01", "2025-03-31", "plan_action").unwrap();
        assert_eq!((f.from.unwrap().to_string(), f.entity), ("2025-03-01".to_owned(), Some(Entity::PlanAction)));
        let refused = check_audit_filter("someone", "2025-02-30", "yesterday", "secrets").unwrap_err();
        for field in ["person", "from", "to", "object"] {
            assert!(refused.field_message(field).is_some(), "{field}");
        }
    }
}
