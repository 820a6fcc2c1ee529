//! Signing in, the person's own account, and accepting an invitation.

pub mod invitation;
pub mod settings;
pub mod sign_in;
pub mod two_step;
