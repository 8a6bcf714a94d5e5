//! Authorization: who may do what, decided by the casbin model and policy beside this file
//! (DESIGN §3).
//!
//! [`Authorizer::authorize`] is the one door every mutation and every protected read goes
//! through, with the scope path of the resource it touches. List queries call
//! [`Authorizer::visibility`] and push the returned grant into their SQL.

use casbin::{CoreApi, DefaultModel, Enforcer, MgmtApi, StringAdapter};

use crate::domain::Named;
use crate::domain::scope::{Grant, ScopePath};
use crate::error::AppError;
use crate::identity::{Caller, Subject};

/// The casbin model, compiled into the binary.
pub const MODEL: &str = include_str!("model.conf");
/// The policy, compiled into the binary.
pub const POLICY: &str = include_str!("policy.csv");

/// Mutations anyone may call, without a policy row.
pub const PUBLIC_MUTATIONS: &[&str] = &["login", "registerApplicant"];

/// Declares [`Action`] from one table of `Variant => object, action`.
macro_rules! actions {
    ($($variant:ident => $object:literal, $name:literal;)*) => {
        /// Something a caller may ask to do: a policy object and action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, for checks that the policy covers them.
            pub const ALL: &[Action] = &[$(Self::$variant,)*];

            /// The policy's object: the kind of resource acted on.
            pub fn object(self) -> &'static str {
                match self {
                    $(Self::$variant => $object,)*
                }
            }

            /// The policy's action: a mutation's name, or `read`. Also the audit trail's action.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The action a mutation takes, by the mutation's name.
            pub fn of_mutation(mutation: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|a| a.name() != "read" && a.name() == mutation)
            }
        }
    };
}

impl Action {
    /// The permission a workflow step needs: the policy's action of the mutation that
    /// takes it (workflow actions are named by their mutation).
    ///
    /// # Errors
    /// `INTERNAL` when the step has no policy row: a table out of step with the policy,
    /// which the tests of this module rule out.
    pub fn to_take(step: impl Named) -> Result<Self, AppError> {
        Self::of_mutation(step.name())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("{} has no policy action", step.name())))
    }
}

actions! {
    CreateUser => "user", "createUser";
    ReadUser => "user", "read";
    UpdateInstitution => "institution", "updateInstitution";
    ReadInstitution => "institution", "read";
    ReadPersonalData => "personalData", "read";
    ReadAudit => "audit", "read";
    CreateFiling => "filing", "createFiling";
    UpdateFiling => "filing", "updateFiling";
    SubmitFiling => "filing", "submitFiling";
    WithdrawFiling => "filing", "withdrawFiling";
    ReturnFiling => "filing", "returnFiling";
    DeclineFiling => "filing", "declineFiling";
    RecommendFiling => "filing", "recommendFiling";
    SendBackFiling => "filing", "sendBackFiling";
    RejectFiling => "filing", "rejectFiling";
    UploadFilingAttachment => "filing", "uploadFilingAttachment";
    RemoveFilingAttachment => "filing", "removeFilingAttachment";
    ReadFiling => "filing", "read";
    OpenPublicity => "announcement", "openPublicity";
    ConfirmPublicity => "announcement", "confirmPublicity";
    RecordObjection => "objection", "recordObjection";
    ResolveObjection => "objection", "resolveObjection";
    RecommendOutletToNational => "outlet", "recommendOutletToNational";
    TerminateOutlet => "outlet", "terminateOutlet";
    RevokeOutlet => "outlet", "revokeOutlet";
    ReadOutlet => "outlet", "read";
    SetCalendarDay => "calendar", "setCalendarDay";
    RemoveCalendarDay => "calendar", "removeCalendarDay";
    CreateAnnualReport => "annualReport", "createAnnualReport";
    UpdateAnnualReport => "annualReport", "updateAnnualReport";
    SubmitAnnualReport => "annualReport", "submitAnnualReport";
    ReturnAnnualReport => "annualReport", "returnAnnualReport";
    UploadReportAttachment => "annualReport", "uploadAnnualReportAttachment";
    RemoveReportAttachment => "annualReport", "removeAnnualReportAttachment";
    ReadAnnualReport => "annualReport", "read";
    ForwardDepartmentSummary => "summary", "forwardDepartmentSummary";
    AcceptDepartmentSummary => "summary", "acceptDepartmentSummary";
    ReturnDepartmentSummary => "summary", "returnDepartmentSummary";
    ReadDepartmentSummary => "summary", "read";
    ReadCompliance => "compliance", "read";
    SubmitChangeReport => "changeReport", "submitChangeReport";
    ForwardChangeReport => "changeReport", "forwardChangeReport";
    ReturnChangeReport => "changeReport", "returnChangeReport";
    AcceptChangeReport => "changeReport", "acceptChangeReport";
    RejectChangeReport => "changeReport", "rejectChangeReport";
    ReadChangeReport => "changeReport", "read";
}

/// Decides requests against the policy. Built once and shared read-only: it holds no
/// per-user state, so every replica decides alike.
pub struct Authorizer {
    enforcer: Enforcer,
    /// Decisions already made. The model and policy are compiled in and never change while
    /// the process runs, so a decision on the same request stands; casbin's matcher, an
    /// interpreted expression, costs tens of microseconds a call, and a page of institutions
    /// asks it for every row. Emptied whenever it reaches [`DECISIONS_KEPT`] entries.
    decisions: std::sync::RwLock<std::collections::HashMap<String, bool>>,
}

/// Most decisions [`Authorizer`] keeps (a few MB at most).
const DECISIONS_KEPT: usize = 50_000;

impl std::fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorizer").finish_non_exhaustive()
    }
}

impl Authorizer {
    /// Loads the compiled-in model and policy.
    ///
    /// # Errors
    /// When either does not parse.
    pub async fn new() -> anyhow::Result<Self> {
        let model = DefaultModel::from_str(MODEL).await?;
        let enforcer = Enforcer::new(model, StringAdapter::new(POLICY)).await?;
        Ok(Self { enforcer, decisions: std::sync::RwLock::default() })
    }

    /// Allows `caller` to perform `action` on a resource at `scope`, or says why not.
    ///
    /// # Errors
    /// `Unauthenticated` for an anonymous caller, `Forbidden` when the role may not take the
    /// action or the resource lies outside the caller's grant.
    pub fn authorize<'c>(
        &self,
        caller: &'c Caller,
        action: Action,
        scope: &ScopePath,
    ) -> Result<&'c Subject, AppError> {
        let Caller::User(subject) = caller else {
            return Err(AppError::Unauthenticated);
        };
        if self.allows(subject, action, scope)? {
            Ok(subject)
        } else {
            tracing::info!(
                user.id = subject.user_id,
                authz.action = action.name(),
                authz.object = action.object(),
                authz.scope = %scope,
                "request denied"
            );
            Err(AppError::Forbidden)
        }
    }

    /// Whether `caller` may take `action` at `scope`: [`Self::authorize`] for reads that
    /// leave something out instead of failing, without logging a denial.
    pub fn permits(&self, caller: &Caller, action: Action, scope: &ScopePath) -> bool {
        match caller {
            Caller::User(subject) => self.allows(subject, action, scope).unwrap_or(false),
            Caller::Anonymous => false,
        }
    }

    /// Allows `caller` to list resources of `action`'s kind, and returns the grant whose
    /// area the list must be limited to.
    ///
    /// # Errors
    /// As [`Self::authorize`].
    pub fn visibility<'c>(&self, caller: &'c Caller, action: Action) -> Result<&'c Grant, AppError> {
        let home = match caller {
            Caller::User(subject) => subject.grant.home(),
            Caller::Anonymous => return Err(AppError::Unauthenticated),
        };
        self.authorize(caller, action, &home).map(|subject| &subject.grant)
    }

    fn allows(&self, subject: &Subject, action: Action, scope: &ScopePath) -> Result<bool, AppError> {
        let (role, grant, object, name) =
            (subject.role.policy_name(), subject.grant.pattern(), action.object(), action.name());
        // Each part is a path or a name without spaces, so the key is unambiguous.
        let key = format!("{role} {grant} {scope} {object} {name}", scope = scope.as_ref());
        let kept =
            self.decisions.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key).copied();
        if let Some(decision) = kept {
            return Ok(decision);
        }
        let decision = self
            .enforcer
            .enforce((role, grant.as_str(), scope.as_ref(), object, name))
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("casbin enforce failed")))?;
        let mut decisions = self.decisions.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if decisions.len() >= DECISIONS_KEPT {
            decisions.clear();
        }
        decisions.insert(key, decision);
        Ok(decision)
    }

    /// Every policy row as `[role, domain, object, action]`.
    pub fn rules(&self) -> Vec<Vec<String>> {
        self.enforcer.get_policy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_action_has_a_policy_row_and_every_row_an_action() {
        let authorizer = Authorizer::new().await.unwrap();
        let rules = authorizer.rules();
        for action in Action::ALL {
            assert!(
                rules.iter().any(|r| r[2] == action.object() && r[3] == action.name()),
                "no policy row for {action:?}"
            );
        }
        for rule in &rules {
            assert!(
                Action::ALL.iter().any(|a| rule[2] == a.object() && rule[3] == a.name()),
                "policy row {rule:?} names no known action"
            );
            assert!(
                ["applicant", "recommender", "reviewer", "admin"].contains(&rule[0].as_str()),
                "policy row {rule:?} names no known role"
            );
        }
    }

    /// Every workflow table's actor column and the policy agree: each row's action is a
    /// mutation with a policy row, its actor may take it, and no other role may.
    #[tokio::test]
    async fn the_policy_lets_exactly_each_workflow_actor_act() {
        use crate::domain::workflow::{
            Transition, Workflow, announcement, change, filing, objection, outlet,
        };
        use crate::domain::workflow::{report, summary};

        fn check<W: Workflow>(rules: &[Vec<String>]) {
            for row in W::TABLE as &[Transition<W::State, W::Action>] {
                let mutation = row.action.name();
                let action = Action::of_mutation(mutation)
                    .unwrap_or_else(|| panic!("{mutation} is no mutation with a policy row"));
                let roles: Vec<&str> = rules
                    .iter()
                    .filter(|r| r[2] == action.object() && r[3] == action.name())
                    .map(|r| r[0].as_str())
                    .collect();
                assert_eq!(roles, [row.actor.policy_name()], "{mutation}");
            }
        }

        let rules = Authorizer::new().await.unwrap().rules();
        check::<filing::Filings>(&rules);
        check::<report::AnnualReports>(&rules);
        check::<summary::Summaries>(&rules);
        check::<change::ChangeReports>(&rules);
        check::<objection::Objections>(&rules);
        check::<announcement::Announcements>(&rules);
        check::<outlet::Outlets>(&rules);
    }

    /// A kept decision is the policy's decision: asked twice, for every role and action at
    /// scopes inside and outside each grant, the answer is what casbin says, and the same.
    #[tokio::test]
    async fn kept_decisions_are_the_policys() {
        use crate::domain::role::Role;
        let authorizer = Authorizer::new().await.unwrap();
        let subjects = [
            (Role::Applicant, Grant::Institution { department_code: "150100".into(), id: 7 }),
            (Role::Recommender, Grant::Department { code: "150100".into() }),
            (Role::Reviewer, Grant::Region),
            (Role::Admin, Grant::Region),
        ];
        let scopes = [
            ScopePath::region(),
            ScopePath::department("150100"),
            ScopePath::department("150200"),
            ScopePath::institution("150100", 7),
            ScopePath::institution("150100", 8),
            ScopePath::institution("150200", 9),
        ];
        let (mut allowed, mut denied) = (0, 0);
        for (role, grant) in subjects {
            let subject = Subject { user_id: 1, role, grant };
            for action in Action::ALL {
                for scope in &scopes {
                    let policy = authorizer
                        .enforcer
                        .enforce((
                            role.policy_name(),
                            subject.grant.pattern().as_str(),
                            scope.as_ref(),
                            action.object(),
                            action.name(),
                        ))
                        .unwrap();
                    for _ in 0..2 {
                        assert_eq!(
                            authorizer.allows(&subject, *action, scope).unwrap(),
                            policy,
                            "{role:?} {action:?} {scope}"
                        );
                    }
                    if policy { allowed += 1 } else { denied += 1 }
                }
            }
        }
        assert!(allowed > 0 && denied > 0, "both answers were asked for: {allowed} allowed, {denied} denied");
    }
}
