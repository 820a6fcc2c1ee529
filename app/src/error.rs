//! The one error type of the application. Server functions return it and plain handlers map
//! it to an HTTP status; database and internal failures are logged once, where they are
//! converted, and reach the client only as a generic message.

use http::StatusCode;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// What was not found, in words a reader understands ("committee \"x\"").
    #[error("We could not find {0}.")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("Please sign in to do that.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// One message for an unknown email and a wrong password alike.
    #[error("That email address and password do not match an account.")]
    BadCredentials,
    #[error("{0}")]
    Conflict(String),
    /// An edit based on a version someone else has since replaced: nothing was saved, and the
    /// form comes back with what they changed and what this person typed.
    #[error("Someone else saved a change while you were editing, so yours has not been saved yet. Your text is kept below: check their change, then save again to apply yours.")]
    Stale(Box<StaleEdit>),
    /// Form input that failed validation: one message per field, nothing was changed.
    #[error("Please correct the fields marked below; nothing has been saved.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The database could not be reached in time (every connection busy, or the database
    /// restarting): nothing was done, and trying again shortly is the remedy. 503, so nginx
    /// may try a read on another instance.
    #[error("The service is busy at the moment, so nothing has been done. Please try again in a few seconds.")]
    Unavailable,
    /// The request never reached the server or its answer could not be read.
    #[error("The server could not be reached. Check your connection and try again.")]
    Transport,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Conflict(_) | AppError::Stale(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Transport => StatusCode::BAD_GATEWAY,
        }
    }

    /// What could not be found, as the message says it: at most a short excerpt of it, since
    /// it often names what someone typed or sent.
    pub fn not_found(what: impl Into<String>) -> Self {
        let what: String = what.into();
        if what.chars().count() > 300 {
            AppError::NotFound(format!("{}…", what.chars().take(300).collect::<String>()))
        } else {
            AppError::NotFound(what)
        }
    }

    /// A validation failure of one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError { field: field.to_owned(), message: message.into() }])
    }

    /// The message for `field`, if validation failed there.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.as_str()),
            _ => None,
        }
    }
}

/// What happened since the editor loaded the form, and the version to base a re-apply on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleEdit {
    pub current_version: i32,
    /// Oldest first: the latest [`STALE_CHANGES_SHOWN`] at most.
    pub changes: Vec<OtherChange>,
    /// Changes before those, not listed (an edit based on a long-gone version).
    #[serde(default)]
    pub earlier: i64,
}

/// The most changes a refused stale edit lists: the answer stays small however old the form.
pub const STALE_CHANGES_SHOWN: i64 = 20;

/// One change someone else saved: who, when (RFC 3339) and each field's old and new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherChange {
    pub by: Option<String>,
    pub at: String,
    pub fields: Vec<ChangedField>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedField {
    pub label: String,
    /// `None` when the earlier value is not recorded (structure edits keep only the latest).
    pub from: Option<String>,
    pub to: String,
}

impl AppError {
    /// The stale-edit details, if this is a refused stale edit.
    pub fn stale(&self) -> Option<&StaleEdit> {
        match self {
            AppError::Stale(stale) => Some(stale),
            _ => None,
        }
    }

    /// The message for `field`, if this is a refused form and that field is among its problems.
    pub fn field_error(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.as_str()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name.
    pub field: String,
    pub message: String,
}

/// Collects field errors so a form reports every problem at once.
#[derive(Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    pub fn check(&mut self, ok: bool, field: &str, message: &str) -> &mut Self {
        if !ok && !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError { field: field.to_owned(), message: message.to_owned() });
        }
        self
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest("The request was not understood.".into())
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Transport
            }
            other => {
                #[cfg(feature = "ssr")]
                crate::server::request::in_request_span(|| tracing::error!(error = %other, "server function failed"));
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::response::{IntoResponse, Response};

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            // Text PostgreSQL cannot store (a NUL, bytes that are not UTF-8) is the sender's
            // mistake, not ours: the edge refuses it first, this is the last line.
            if let sqlx::Error::Database(db) = &error {
                if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
                    tracing::warn!(code = ?db.code(), "refused text the database cannot store");
                    return AppError::BadRequest("The text sent contains characters that cannot be stored.".into());
                }
                // A named constraint keeps its meaning: the same answer a check before the
                // write would give, also when two requests race past any such check.
                if let Some(answer) = db.constraint().and_then(constraint_answer) {
                    tracing::info!(constraint = db.constraint(), "refused by a constraint");
                    return answer;
                }
            }
            // No connection to be had in time, or the one had was lost, or the server is
            // shutting down or starting up (SQLSTATE classes 08 and 57), or a statement was
            // cancelled at the server's limits (57014 statement_timeout, 55P03 lock_timeout):
            // the database is busy or restarting, which is worth a retry, not a bug.
            let stopping = matches!(&error, sqlx::Error::Database(db)
                if db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57") || c == "55P03"));
            if stopping || matches!(error, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)) {
                crate::server::request::in_request_span(|| tracing::warn!(error = %error, "database unavailable"));
                return AppError::Unavailable;
            }
            crate::server::request::in_request_span(|| tracing::error!(error = %error, "database error"));
            AppError::Internal
        }
    }

    /// What a named constraint's refusal means to the person who sent the request.
    fn constraint_answer(constraint: &str) -> Option<AppError> {
        let invalid = |field: &str, message: &str| Some(AppError::invalid(field, message));
        match constraint {
            "committees_slug_key" => invalid("slug", "Another committee already uses this web address."),
            "subgroups_region_id_slug_key" => invalid("slug", "Another subgroup already uses this web address."),
            "protocols_region_id_slug_key" => {
                invalid("title", "A protocol with a title like this already exists; choose a distinct title.")
            }
            "protocol_versions_protocol_id_label_key" => {
                invalid("label", "This protocol already has a version with that name.")
            }
            "plans_committee_id_slug_key" => {
                invalid("plan", "The committee already has a plan for that period; choose another period.")
            }
            "risks_reference_key" | "risks_subgroup_reference_key" => {
                invalid("reference", "Another risk in this register already has this reference.")
            }
            "period_snapshots_supersedes_key" | "reporting_periods_slug_key" => Some(AppError::Conflict(
                "Someone else closed or changed this period at the same moment; reload the page to see it.".into(),
            )),
            "people_email_key" => invalid("email", "Someone already has an account with this email address."),
            "committee_memberships_pkey" | "subgroup_memberships_pkey" => {
                Some(AppError::Conflict("That person is already a member.".into()))
            }
            "plan_actions_plan_id_action_id_key" => {
                Some(AppError::Conflict("That plan already includes this shared action.".into()))
            }
            _ => None,
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let retry = matches!(self, AppError::Unavailable).then_some([("retry-after", "5")]);
            (self.status(), [("cache-control", "no-store")], retry, self.to_string()).into_response()
        }
    }
}
