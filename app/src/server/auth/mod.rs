//! Who is asking: passwords, one-time tokens, the session's record of a sign-in, and the
//! signed-in person with their memberships.

pub mod password;
pub mod session;
pub mod token;
pub mod two_step;
pub mod viewer;
