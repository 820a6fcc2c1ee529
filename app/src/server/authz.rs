//! Who may do what (DESIGN.md, "Who may do what"), in one place. Every server function and
//! route starts with a `require_*` guard, which answers 401 to the public and 403 to someone
//! without the right; every `can_*` flag a page shows comes from the `may_*` predicate of the
//! same rule. Row-level security enforces the same rules again underneath (its membership
//! functions in the migrations; `server/tests/authz_agreement.rs` checks that both agree).
//!
//! Nothing else reads a viewer's roles: `Viewer` exposes them only to this module.

use crate::domain::account::{CommitteeRole, SignedIn, SubgroupRole};
use crate::domain::plan::PlanState;
use crate::domain::risk::{parse_register_key, HolderKind, RegisterHolder};
use crate::error::AppError;
use crate::server::db::members::{self, NamedRef};
use sqlx::PgConnection;
use uuid::Uuid;

/// The signed-in person of a request: who they are, their roles (read only by the rules
/// below), and what pages show of them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: Uuid,
    is_admin: bool,
    committees: Vec<(Uuid, CommitteeRole)>,
    subgroups: Vec<(Uuid, SubgroupRole)>,
    /// What pages show about them.
    pub shown: SignedIn,
}

impl Viewer {
    pub fn new(
        id: Uuid,
        is_admin: bool,
        committees: Vec<(Uuid, CommitteeRole)>,
        subgroups: Vec<(Uuid, SubgroupRole)>,
        shown: SignedIn,
    ) -> Self {
        Viewer { id, is_admin, committees, subgroups, shown }
    }

    /// The committees they belong to, whatever the role (what queries scope reads by).
    pub fn committee_ids(&self) -> Vec<Uuid> {
        self.committees.iter().map(|(id, _)| *id).collect()
    }

    pub fn subgroup_ids(&self) -> Vec<Uuid> {
        self.subgroups.iter().map(|(id, _)| *id).collect()
    }

    fn committee_role(&self, committee: Uuid) -> Option<CommitteeRole> {
        self.committees.iter().find(|(id, _)| *id == committee).map(|(_, role)| *role)
    }

    fn subgroup_role(&self, subgroup: Uuid) -> Option<SubgroupRole> {
        self.subgroups.iter().find(|(id, _)| *id == subgroup).map(|(_, role)| *role)
    }
}

/// Who owns an action: a committee (its own action) or a subgroup (a shared action).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Committee(Uuid),
    Subgroup(Uuid),
}

impl Owner {
    /// From an action row's two owner columns (exactly one is set).
    pub fn of(committee: Option<Uuid>, subgroup: Option<Uuid>) -> Option<Owner> {
        match (committee, subgroup) {
            (Some(c), None) => Some(Owner::Committee(c)),
            (None, Some(s)) => Some(Owner::Subgroup(s)),
            _ => None,
        }
    }

    /// The two owner columns of a row it owns: (committee, subgroup), exactly one set.
    pub fn columns(self) -> (Option<Uuid>, Option<Uuid>) {
        match self {
            Owner::Committee(c) => (Some(c), None),
            Owner::Subgroup(s) => (None, Some(s)),
        }
    }
}

fn committee_role(viewer: Option<&Viewer>, committee: Uuid) -> Option<CommitteeRole> {
    viewer.and_then(|v| v.committee_role(committee))
}

fn subgroup_role(viewer: Option<&Viewer>, subgroup: Uuid) -> Option<SubgroupRole> {
    viewer.and_then(|v| v.subgroup_role(subgroup))
}

fn at_least(viewer: Option<&Viewer>, committee: Uuid, role: CommitteeRole) -> bool {
    committee_role(viewer, committee).is_some_and(|r| r >= role)
}

fn admin(viewer: Option<&Viewer>) -> bool {
    viewer.is_some_and(|v| v.is_admin)
}

// ---- The rules, as predicates ----------------------------------------------------------

/// A committee's unpublished material, history and audit trail: its members, any role.
pub fn may_read_committee(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    committee_role(viewer, committee).is_some()
}

/// Who sits on a committee: its members, and platform admins (who manage memberships).
pub fn may_see_members(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    may_read_committee(viewer, committee) || admin(viewer)
}

/// Inviting people, changing roles, removing members: the committee's lead officers and
/// platform admins.
pub fn may_manage_members(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    at_least(viewer, committee, CommitteeRole::LeadOfficer) || admin(viewer)
}

/// Plan structure, publishing, importing, adopting shared actions, ratification decisions:
/// the committee's lead officers (platform admins manage committees, not their plans).
pub fn may_lead(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    at_least(viewer, committee, CommitteeRole::LeadOfficer)
}

/// Editing a plan's structure: its committee's lead officers, while it is not archived.
pub fn may_edit_plan(viewer: Option<&Viewer>, committee: Uuid, state: PlanState) -> bool {
    state != PlanState::Archived && may_lead(viewer, committee)
}

/// A committee's risk register, its reporting periods and its COG reports: its members (never
/// the public).
pub fn may_read_risks(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    may_read_committee(viewer, committee)
}

/// Recording a new assessment of a risk (likelihood and impact): the committee's contributors
/// and lead officers.
pub fn may_assess_risk(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    at_least(viewer, committee, CommitteeRole::Contributor)
}

/// Adding, re-wording and closing risks and linking their mitigating actions; setting a
/// reporting period's dates and closing it: the committee's lead officers.
pub fn may_manage_risks(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    may_lead(viewer, committee)
}

/// Closing a reporting period (freezing its snapshot) and changing its dates: lead officers.
pub fn may_close_period(viewer: Option<&Viewer>, committee: Uuid) -> bool {
    may_lead(viewer, committee)
}

/// A risk register, a committee's (`may_read_risks`) or a subgroup's: the subgroup's members
/// and chair, and the lead officers of the committees taking part in it (`participants`).
pub fn may_read_register(viewer: Option<&Viewer>, holder: Owner, participants: &[Uuid]) -> bool {
    match holder {
        Owner::Committee(c) => may_read_risks(viewer, c),
        Owner::Subgroup(s) => may_work_in_subgroup(viewer, s) || participants.iter().any(|c| may_lead(viewer, *c)),
    }
}

/// Recording an assessment in a register: a committee's contributors and lead officers, a
/// subgroup's chair.
pub fn may_assess_in_register(viewer: Option<&Viewer>, holder: Owner) -> bool {
    match holder {
        Owner::Committee(c) => may_assess_risk(viewer, c),
        Owner::Subgroup(s) => may_chair(viewer, s),
    }
}

/// Adding, re-wording and closing a register's risks and linking mitigations: a committee's
/// lead officers, a subgroup's chair.
pub fn may_manage_register(viewer: Option<&Viewer>, holder: Owner) -> bool {
    match holder {
        Owner::Committee(c) => may_manage_risks(viewer, c),
        Owner::Subgroup(s) => may_chair(viewer, s),
    }
}

/// Updating an action's status, progress and evidence: contributors and lead officers of the
/// owning committee; members and chairs of the owning subgroup.
pub fn may_update_action(viewer: Option<&Viewer>, owner: Owner) -> bool {
    match owner {
        Owner::Committee(c) => at_least(viewer, c, CommitteeRole::Contributor),
        Owner::Subgroup(s) => subgroup_role(viewer, s).is_some(),
    }
}

/// Shaping an action (the protocols it delivers): lead officers of the owning committee, the
/// chair of the owning subgroup.
pub fn may_shape_action(viewer: Option<&Viewer>, owner: Owner) -> bool {
    match owner {
        Owner::Committee(c) => may_lead(viewer, c),
        Owner::Subgroup(s) => subgroup_role(viewer, s) == Some(SubgroupRole::Chair),
    }
}

/// Stopping a plan's adoption of a shared action: lead officers of the plan's committee.
pub fn may_stop_adopting(viewer: Option<&Viewer>, plan_committee: Uuid, owner: Owner) -> bool {
    matches!(owner, Owner::Subgroup(_)) && may_lead(viewer, plan_committee)
}

/// Working in a subgroup (updating its shared actions, adding protocols and versions): its
/// members and chair.
pub fn may_work_in_subgroup(viewer: Option<&Viewer>, subgroup: Uuid) -> bool {
    subgroup_role(viewer, subgroup).is_some()
}

/// Creating a subgroup's shared actions: its chair.
pub fn may_chair(viewer: Option<&Viewer>, subgroup: Uuid) -> bool {
    subgroup_role(viewer, subgroup) == Some(SubgroupRole::Chair)
}

/// A subgroup's memberships: its chair and platform admins.
pub fn may_manage_subgroup(viewer: Option<&Viewer>, subgroup: Uuid) -> bool {
    may_chair(viewer, subgroup) || admin(viewer)
}

/// The Forth Valley report (published plans, shared actions, protocols across the region):
/// every member of any of the region's committees or subgroups, and platform admins. The
/// platform serves one region, so any membership is one of its.
pub fn may_read_region_report(viewer: Option<&Viewer>) -> bool {
    admin(viewer) || viewer.is_some_and(|v| !v.committees.is_empty() || !v.subgroups.is_empty())
}

/// Committees, subgroups, everyone's accounts and sign-in links: platform admins.
pub fn may_administer(viewer: Option<&Viewer>) -> bool {
    admin(viewer)
}

/// A change event (`live.change_events`): everyone when it is about published material, else
/// the members of the committees and subgroups it names (the database names them with the
/// read policies of the object, when it writes the event).
pub fn may_receive(viewer: Option<&Viewer>, public: bool, committees: &[Uuid], subgroups: &[Uuid]) -> bool {
    public || receives_as_member(viewer, committees, subgroups)
}

/// Whether the viewer reads an event as a member (with every plan it names), not only as the
/// public would.
pub fn receives_as_member(viewer: Option<&Viewer>, committees: &[Uuid], subgroups: &[Uuid]) -> bool {
    committees.iter().any(|c| may_read_committee(viewer, *c))
        || subgroups.iter().any(|s| may_work_in_subgroup(viewer, *s))
}

// ---- Guards: 401 for the public, 403 for the rest --------------------------------------

/// Allowed, or the refusal for who is asking: 401 when no one is signed in, 403 otherwise.
pub fn require(viewer: Option<&Viewer>, allowed: bool) -> Result<(), AppError> {
    match (viewer, allowed) {
        (_, true) => Ok(()),
        (None, false) => Err(AppError::Unauthorized),
        (Some(_), false) => Err(AppError::Forbidden),
    }
}

/// The signed-in person, or 401.
pub fn require_signed_in(viewer: Option<Viewer>) -> Result<Viewer, AppError> {
    viewer.ok_or(AppError::Unauthorized)
}

/// A platform admin, or 401/403.
pub fn require_admin(viewer: Option<Viewer>) -> Result<Viewer, AppError> {
    let viewer = require_signed_in(viewer)?;
    require(Some(&viewer), may_administer(Some(&viewer)))?;
    Ok(viewer)
}

/// What a guard needs of a committee found by its slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitteeNeed {
    /// Its members (audit).
    Member,
    /// Its members and admins (the member list).
    MembersList,
    /// Its lead officers and admins (memberships).
    ManageMembers,
    /// Its lead officers (plans, imports, ratifications).
    Lead,
    /// Its contributors and lead officers (risk assessments).
    Contributor,
}

/// The committee `slug` for someone who may do what `need` says there: 401 for the public,
/// 404 when there is no such committee, 403 for anyone else.
pub async fn committee(
    db: &mut PgConnection,
    viewer: Option<&Viewer>,
    slug: &str,
    need: CommitteeNeed,
) -> Result<NamedRef, AppError> {
    require(viewer, viewer.is_some())?;
    let c = members::committee_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a committee called \"{slug}\"")))?;
    let allowed = match need {
        CommitteeNeed::Member => may_read_committee(viewer, c.id),
        CommitteeNeed::MembersList => may_see_members(viewer, c.id),
        CommitteeNeed::ManageMembers => may_manage_members(viewer, c.id),
        CommitteeNeed::Lead => may_lead(viewer, c.id),
        CommitteeNeed::Contributor => may_assess_risk(viewer, c.id),
    };
    require(viewer, allowed)?;
    Ok(c)
}

/// What a guard needs of a subgroup found by its slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubgroupNeed {
    /// Its members and chair (protocols).
    Work,
    /// Its chair (shared actions).
    Chair,
    /// Its chair and admins (memberships).
    Manage,
}

/// The subgroup `slug` for someone who may do what `need` says there: 401, 404, 403 as for
/// committees.
pub async fn subgroup(
    db: &mut PgConnection,
    viewer: Option<&Viewer>,
    slug: &str,
    need: SubgroupNeed,
) -> Result<NamedRef, AppError> {
    require(viewer, viewer.is_some())?;
    let s = members::subgroup_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{slug}\"")))?;
    let allowed = match need {
        SubgroupNeed::Work => may_work_in_subgroup(viewer, s.id),
        SubgroupNeed::Chair => may_chair(viewer, s.id),
        SubgroupNeed::Manage => may_manage_subgroup(viewer, s.id),
    };
    require(viewer, allowed)?;
    Ok(s)
}

/// What a guard needs of a risk register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterNeed {
    Read,
    Assess,
    Manage,
}

/// A register found by its key, and whose it is.
pub struct Register {
    pub owner: Owner,
    pub holder: RegisterHolder,
}

/// The register `key` names (`RegisterHolder::key`) for someone who may do what `need` says
/// there: 401 for the public, 404 when there is no such committee or subgroup, 403 otherwise.
pub async fn register(
    db: &mut PgConnection,
    viewer: Option<&Viewer>,
    key: &str,
    need: RegisterNeed,
) -> Result<Register, AppError> {
    require(viewer, viewer.is_some())?;
    let (kind, slug) = parse_register_key(key).ok_or_else(|| AppError::not_found("that risk register"))?;
    let (owner, named, participants) = match kind {
        HolderKind::Committee => {
            let c = members::committee_by_slug(db, slug)
                .await?
                .ok_or_else(|| AppError::not_found(format!("a committee called \"{slug}\"")))?;
            (Owner::Committee(c.id), c, Vec::new())
        }
        HolderKind::Subgroup => {
            let s = members::subgroup_by_slug(db, slug)
                .await?
                .ok_or_else(|| AppError::not_found(format!("a subgroup called \"{slug}\"")))?;
            let participants = members::subgroup_committee_ids(db, s.id).await?;
            (Owner::Subgroup(s.id), s, participants)
        }
    };
    let allowed = match need {
        RegisterNeed::Read => may_read_register(viewer, owner, &participants),
        RegisterNeed::Assess => may_assess_in_register(viewer, owner),
        RegisterNeed::Manage => may_manage_register(viewer, owner),
    };
    require(viewer, allowed)?;
    Ok(Register { owner, holder: RegisterHolder { kind, slug: named.slug, name: named.name } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(committees: Vec<(Uuid, CommitteeRole)>, subgroups: Vec<(Uuid, SubgroupRole)>, admin: bool) -> Viewer {
        let shown = SignedIn {
            display_name: "Someone".into(),
            email: "someone@example.org".into(),
            is_admin: admin,
            committees: vec![],
            subgroups: vec![],
        };
        Viewer::new(Uuid::new_v4(), admin, committees, subgroups, shown)
    }

    #[test]
    fn each_role_may_what_design_md_says_and_no_more() {
        let (c, other, s) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let member = viewer(vec![(c, CommitteeRole::Member)], vec![], false);
        let contributor = viewer(vec![(c, CommitteeRole::Contributor)], vec![], false);
        let lead = viewer(vec![(c, CommitteeRole::LeadOfficer)], vec![], false);
        let chair = viewer(vec![], vec![(s, SubgroupRole::Chair)], false);
        let sub_member = viewer(vec![], vec![(s, SubgroupRole::Member)], false);
        let admin = viewer(vec![], vec![], true);
        let own = Owner::Committee(c);
        let shared = Owner::Subgroup(s);

        assert!(may_read_committee(Some(&member), c) && !may_read_committee(Some(&member), other));
        assert!(!may_read_committee(Some(&admin), c) && may_see_members(Some(&admin), c));
        assert!(!may_update_action(Some(&member), own) && may_update_action(Some(&contributor), own));
        assert!(may_update_action(Some(&sub_member), shared) && !may_update_action(Some(&lead), shared));
        assert!(may_shape_action(Some(&lead), own) && !may_shape_action(Some(&contributor), own));
        assert!(may_shape_action(Some(&chair), shared) && !may_shape_action(Some(&sub_member), shared));
        assert!(may_edit_plan(Some(&lead), c, PlanState::Draft) && !may_edit_plan(Some(&lead), c, PlanState::Archived));
        assert!(!may_lead(Some(&admin), c) && may_manage_members(Some(&admin), c));
        assert!(may_stop_adopting(Some(&lead), c, shared) && !may_stop_adopting(Some(&lead), c, own));
        assert!(may_chair(Some(&chair), s) && !may_chair(Some(&sub_member), s) && may_manage_subgroup(Some(&admin), s));
        assert!(may_read_risks(Some(&member), c) && !may_read_risks(None, c) && !may_read_risks(Some(&admin), c));
        assert!(may_assess_risk(Some(&contributor), c) && !may_assess_risk(Some(&member), c));
        assert!(may_manage_risks(Some(&lead), c) && !may_manage_risks(Some(&contributor), c));
        let sub_register = Owner::Subgroup(s);
        assert!(
            may_read_register(Some(&sub_member), sub_register, &[])
                && !may_read_register(Some(&lead), sub_register, &[])
        );
        assert!(
            may_read_register(Some(&lead), sub_register, &[c]) && !may_read_register(Some(&member), sub_register, &[c])
        );
        assert!(
            may_manage_register(Some(&chair), sub_register) && !may_manage_register(Some(&sub_member), sub_register)
        );
        assert!(
            may_assess_in_register(Some(&chair), sub_register) && !may_assess_in_register(Some(&lead), sub_register)
        );
        assert!(!may_read_register(None, sub_register, &[c]) && !may_read_register(Some(&admin), sub_register, &[c]));
        assert!(
            may_close_period(Some(&lead), c)
                && !may_close_period(Some(&member), c)
                && !may_close_period(Some(&lead), other)
        );
        assert!(!may_update_action(None, own) && !may_read_committee(None, c) && !may_administer(None));
        assert_eq!(require(None, false), Err(AppError::Unauthorized));
        assert_eq!(require(Some(&member), false), Err(AppError::Forbidden));
        assert_eq!(require(None, true), Ok(()));
    }
}
