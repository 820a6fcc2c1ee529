//! How long the platform keeps what it no longer needs, and how long a sign-in lasts: the
//! operator's settings (README, "Retention"), with their bounds. The server's sweeper
//! (`db::housekeeping::sweep`) enforces them. Audit events, update history, snapshots and
//! decisions are the committees' record and are never swept.

/// Every retention setting. `Default` is what the README documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// A session ends after this many minutes without a request (FV_SESSION_IDLE_MINUTES)...
    pub session_idle_minutes: i64,
    /// ...and this many hours after sign-in, however active (FV_SESSION_MAX_HOURS). An ended
    /// session is deleted at the next sweep.
    pub session_max_hours: i64,
    /// Failed sign-in attempts are kept this long (FV_RETAIN_SIGN_IN_FAILURES_HOURS): at least
    /// the longest throttling window, so the sweep never lifts a throttle early.
    pub sign_in_failures_hours: i32,
    /// The live change-event log is kept this many days (FV_RETAIN_EVENTS_DAYS); a browser
    /// away for longer reloads its page instead of catching up.
    pub events_days: i32,
    /// An import upload not yet confirmed is kept this many hours (FV_RETAIN_UPLOADS_HOURS); at
    /// most [`UPLOAD_HOURS_MAX`], after which it can no longer be imported anyway.
    pub uploads_hours: i32,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            session_idle_minutes: 8 * 60,
            session_max_hours: 12,
            sign_in_failures_hours: 24,
            events_days: super::live::RETENTION_DAYS as i32,
            uploads_hours: UPLOAD_HOURS_MAX,
        }
    }
}

/// An upload waits this long for confirmation at most (`plan_imports::KEEP_HOURS` is this).
pub const UPLOAD_HOURS_MAX: i32 = 24;

/// One setting's name and the range it must fall in.
pub struct Bound {
    pub name: &'static str,
    pub min: i64,
    pub max: i64,
}

pub const SESSION_IDLE_MINUTES: Bound = Bound { name: "FV_SESSION_IDLE_MINUTES", min: 5, max: 24 * 60 };
pub const SESSION_MAX_HOURS: Bound = Bound { name: "FV_SESSION_MAX_HOURS", min: 1, max: 7 * 24 };
/// At least an hour: the longest throttling window (an account's attempts per hour).
pub const SIGN_IN_FAILURES_HOURS: Bound = Bound { name: "FV_RETAIN_SIGN_IN_FAILURES_HOURS", min: 1, max: 366 * 24 };
// The sweep never lifts a throttle early: failures are kept at least as long as the longest
// window looks back (15 minutes per address, an hour per account).
const _: () = assert!(SIGN_IN_FAILURES_HOURS.min * 60 >= super::account::THROTTLE_MINUTES as i64);
const _: () = assert!(SIGN_IN_FAILURES_HOURS.min * 60 >= 60);
pub const EVENTS_DAYS: Bound = Bound { name: "FV_RETAIN_EVENTS_DAYS", min: 1, max: 366 };
pub const UPLOADS_HOURS: Bound = Bound { name: "FV_RETAIN_UPLOADS_HOURS", min: 1, max: UPLOAD_HOURS_MAX as i64 };

impl Bound {
    /// `value` (the variable's text) as a whole number within the bound, or the message an
    /// operator sees at start.
    pub fn parse(&self, value: &str) -> Result<i64, String> {
        value.trim().parse::<i64>().ok().filter(|n| (self.min..=self.max).contains(n)).ok_or_else(|| {
            format!("{} must be a whole number from {} to {}, not {value:?}", self.name, self.min, self.max)
        })
    }
}

impl Retention {
    /// The settings read through `var` (the environment, in the server), each checked against
    /// its bound, and the session limits against each other.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let d = Retention::default();
        let get =
            |b: &Bound, default: i64| var(b.name).filter(|v| !v.trim().is_empty()).map_or(Ok(default), |v| b.parse(&v));
        let r = Retention {
            session_idle_minutes: get(&SESSION_IDLE_MINUTES, d.session_idle_minutes)?,
            session_max_hours: get(&SESSION_MAX_HOURS, d.session_max_hours)?,
            sign_in_failures_hours: get(&SIGN_IN_FAILURES_HOURS, d.sign_in_failures_hours.into())? as i32,
            events_days: get(&EVENTS_DAYS, d.events_days.into())? as i32,
            uploads_hours: get(&UPLOADS_HOURS, d.uploads_hours.into())? as i32,
        };
        if r.session_idle_minutes > r.session_max_hours * 60 {
            return Err(format!(
                "FV_SESSION_IDLE_MINUTES ({}) is longer than FV_SESSION_MAX_HOURS ({} hours): a session would end at \
                 the maximum before it could go idle",
                r.session_idle_minutes, r.session_max_hours
            ));
        }
        Ok(r)
    }

    pub fn session_idle_seconds(&self) -> i64 {
        self.session_idle_minutes * 60
    }

    pub fn session_max_seconds(&self) -> i64 {
        self.session_max_hours * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn nothing_set_is_the_documented_default() {
        let r = Retention::from_vars(vars(&[])).unwrap();
        assert_eq!(r, Retention::default());
        assert_eq!((r.session_idle_seconds(), r.session_max_seconds()), (8 * 3600, 12 * 3600));
    }

    #[test]
    fn each_setting_is_read_and_bounded_with_a_clear_message() {
        let r = Retention::from_vars(vars(&[
            ("FV_RETAIN_EVENTS_DAYS", "30"),
            ("FV_RETAIN_UPLOADS_HOURS", " 2 "),
            ("FV_RETAIN_SIGN_IN_FAILURES_HOURS", "720"),
            ("FV_SESSION_IDLE_MINUTES", "30"),
            ("FV_SESSION_MAX_HOURS", "2"),
        ]))
        .unwrap();
        assert_eq!((r.events_days, r.uploads_hours, r.sign_in_failures_hours), (30, 2, 720));
        assert_eq!((r.session_idle_minutes, r.session_max_hours), (30, 2));
        for (name, bad) in [
            ("FV_RETAIN_EVENTS_DAYS", "0"),
            ("FV_RETAIN_UPLOADS_HOURS", "48"),
            ("FV_RETAIN_SIGN_IN_FAILURES_HOURS", "-1"),
            ("FV_SESSION_IDLE_MINUTES", "ten"),
            ("FV_SESSION_MAX_HOURS", "1000"),
        ] {
            let e = Retention::from_vars(vars(&[(name, bad)])).unwrap_err();
            assert!(e.starts_with(name) && e.contains(&format!("{bad:?}")), "{e}");
        }
        let e = Retention::from_vars(vars(&[("FV_SESSION_IDLE_MINUTES", "600"), ("FV_SESSION_MAX_HOURS", "8")]))
            .unwrap_err();
        assert!(e.contains("longer than FV_SESSION_MAX_HOURS"), "{e}");
    }
}
