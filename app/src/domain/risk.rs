//! The risk register's rules: a risk's score (likelihood × impact, 1–5 each) and its rating
//! band, shown in words and numbers (never colour alone), the 5 × 5 heat map's counts, and the
//! checks every risk form goes through.

use crate::domain::dates::IsoDate;
use crate::domain::text::{MAX_LONG_TEXT, MAX_NOTE, MAX_TITLE};
use crate::error::{AppError, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The words of the likelihood scale, 1 to 5.
pub const LIKELIHOOD: [&str; 5] = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"];
/// The words of the impact scale, 1 to 5.
pub const IMPACT: [&str; 5] = ["Negligible", "Minor", "Moderate", "Major", "Severe"];
pub const MAX_REFERENCE: usize = 20;

/// Whose register it is: a committee's, or a subgroup's (regional subgroups keep their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HolderKind {
    Committee,
    Subgroup,
}

/// The holder of a register, as pages name it and link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterHolder {
    pub kind: HolderKind,
    pub slug: String,
    pub name: String,
}

impl RegisterHolder {
    /// The holder's own page.
    pub fn home(&self) -> String {
        match self.kind {
            HolderKind::Committee => format!("/committees/{}", self.slug),
            HolderKind::Subgroup => format!("/subgroups/{}", self.slug),
        }
    }

    /// The register's page.
    pub fn register_href(&self) -> String {
        format!("{}/risks", self.home())
    }

    /// What a form carries to name the register: the holder's path without its first slash
    /// ("committees/clackmannanshire", "subgroups/ird-steering-group").
    pub fn key(&self) -> String {
        self.home().trim_start_matches('/').to_owned()
    }

    /// Who reads it, in a sentence.
    pub fn readers(&self) -> &'static str {
        match self.kind {
            HolderKind::Committee => "For the committee's members only.",
            HolderKind::Subgroup => "For the subgroup's members and the lead officers of its committees only.",
        }
    }
}

/// A register key (`RegisterHolder::key`) read back: its kind and slug, or None.
pub fn parse_register_key(key: &str) -> Option<(HolderKind, &str)> {
    let (kind, slug) = key.trim().trim_matches('/').split_once('/')?;
    let kind = match kind {
        "committees" => HolderKind::Committee,
        "subgroups" => HolderKind::Subgroup,
        _ => return None,
    };
    (!slug.is_empty() && !slug.contains('/')).then_some((kind, slug))
}

/// A rating band of the 5 × 5 matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    /// 1–4.
    Low,
    /// 5–9.
    Medium,
    /// 10–14.
    High,
    /// 15–25.
    VeryHigh,
}

impl Band {
    pub fn of(score: u8) -> Band {
        match score {
            0..=4 => Band::Low,
            5..=9 => Band::Medium,
            10..=14 => Band::High,
            _ => Band::VeryHigh,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Low => "Low",
            Band::Medium => "Medium",
            Band::High => "High",
            Band::VeryHigh => "Very high",
        }
    }

    /// The class the pages style it with (a pattern and the word go with the colour).
    pub fn key(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::VeryHigh => "very-high",
        }
    }
}

pub fn score(likelihood: u8, impact: u8) -> u8 {
    likelihood * impact
}

/// "12 · High" as registers write it.
pub fn rating(score: u8) -> String {
    format!("{score} · {}", Band::of(score).label())
}

/// "4 · Likely".
pub fn likelihood_label(l: u8) -> String {
    format!("{l} · {}", LIKELIHOOD.get(usize::from(l).wrapping_sub(1)).copied().unwrap_or("?"))
}

pub fn impact_label(i: u8) -> String {
    format!("{i} · {}", IMPACT.get(usize::from(i).wrapping_sub(1)).copied().unwrap_or("?"))
}

/// One risk as the register and the reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRow {
    pub id: Uuid,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub cause: String,
    pub consequence: String,
    pub owner: String,
    pub controls: String,
    pub likelihood: u8,
    pub impact: u8,
    pub target_score: u8,
    /// ISO date.
    pub review_on: Option<String>,
    pub closed: bool,
    pub closed_reason: Option<String>,
    pub version: i32,
    /// The references of the plan actions that mitigate it ("1.6.1").
    pub mitigations: Vec<String>,
    /// RFC 3339.
    pub updated_at: String,
}

impl RiskRow {
    pub fn score(&self) -> u8 {
        score(self.likelihood, self.impact)
    }

    pub fn above_target(&self) -> bool {
        self.score() > self.target_score
    }
}

/// The heat map: `cells[impact - 1][likelihood - 1]` open risks.
pub fn heat_map(risks: &[RiskRow]) -> [[u32; 5]; 5] {
    let mut cells = [[0u32; 5]; 5];
    for r in risks.iter().filter(|r| !r.closed) {
        if (1..=5).contains(&r.likelihood) && (1..=5).contains(&r.impact) {
            cells[usize::from(r.impact - 1)][usize::from(r.likelihood - 1)] += 1;
        }
    }
    cells
}

/// One past assessment, newest first on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentEntry {
    pub likelihood: u8,
    pub impact: u8,
    pub note: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
}

/// A plan action a risk can be linked to: its id, reference in the plan that shows it (a
/// published plan first), wording and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionChoice {
    pub id: Uuid,
    pub reference: String,
    pub plan: String,
    pub description: String,
    pub href: String,
}

/// A risk's wording, as a form gives it.
#[derive(Debug, Clone, Default)]
pub struct RiskForm<'a> {
    pub reference: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub cause: &'a str,
    pub consequence: &'a str,
    pub owner: &'a str,
    pub controls: &'a str,
    pub target_score: &'a str,
    pub review_on: &'a str,
}

/// A risk's wording, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskWording {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub cause: String,
    pub consequence: String,
    pub owner: String,
    pub controls: String,
    pub target_score: u8,
    pub review_on: Option<IsoDate>,
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn level(text: &str) -> Option<u8> {
    text.trim().parse::<u8>().ok().filter(|n| (1..=5).contains(n))
}

pub fn check_risk(form: &RiskForm<'_>) -> Result<RiskWording, AppError> {
    let mut v = Validation::default();
    let reference = one_line(form.reference);
    let title = one_line(form.title);
    let long = |t: &str| t.trim().to_owned();
    let target = form.target_score.trim().parse::<u8>().ok().filter(|n| (1..=25).contains(n));
    let review = form.review_on.trim();
    let review_on = if review.is_empty() { Ok(None) } else { IsoDate::parse(review).map(Some).ok_or(()) };
    v.check(!reference.is_empty(), "reference", "Give the risk a reference, e.g. \"R1\".")
        .check(reference.chars().count() <= MAX_REFERENCE, "reference", "Keep the reference under 20 characters.")
        .check(!title.is_empty(), "title", "Say what the risk is in a few words.")
        .check(title.chars().count() <= MAX_TITLE, "title", "Keep the title under 1,000 characters.")
        .check(target.is_some(), "target_score", "The target score is a whole number from 1 to 25.")
        .check(review_on.is_ok(), "review_on", "Write the review date as YYYY-MM-DD, e.g. 2027-03-31.");
    for (field, text, what) in [
        ("description", form.description, "description"),
        ("cause", form.cause, "cause"),
        ("consequence", form.consequence, "consequence"),
        ("controls", form.controls, "controls in place"),
    ] {
        v.check(
            text.trim().chars().count() <= MAX_LONG_TEXT,
            field,
            &format!("Keep the {what} under 8,000 characters."),
        );
    }
    v.check(form.owner.trim().chars().count() <= MAX_NOTE, "owner", "Keep the owner under 4,000 characters.");
    v.finish()?;
    Ok(RiskWording {
        reference,
        title,
        description: long(form.description),
        cause: long(form.cause),
        consequence: long(form.consequence),
        owner: long(form.owner),
        controls: long(form.controls),
        target_score: target.unwrap_or(1),
        review_on: review_on.ok().flatten(),
    })
}

/// An assessment: likelihood and impact, 1–5 each, and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub likelihood: u8,
    pub impact: u8,
    pub note: String,
}

pub fn check_assessment(likelihood: &str, impact: &str, note: &str) -> Result<Assessment, AppError> {
    let mut v = Validation::default();
    let (l, i) = (level(likelihood), level(impact));
    v.check(l.is_some(), "likelihood", "Choose a likelihood from 1 (rare) to 5 (almost certain).")
        .check(i.is_some(), "impact", "Choose an impact from 1 (negligible) to 5 (severe).")
        .check(note.trim().chars().count() <= MAX_NOTE, "note", "Keep the note under 4,000 characters.");
    v.finish()?;
    Ok(Assessment { likelihood: l.unwrap_or(1), impact: i.unwrap_or(1), note: note.trim().to_owned() })
}

/// Closing a risk needs the reason.
pub fn check_closing(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    let mut v = Validation::default();
    v.check(
        !reason.is_empty(),
        "reason",
        "Say why the risk is closed (e.g. \"Mitigated: the new protocol is in use\").",
    )
    .check(reason.chars().count() <= MAX_NOTE, "reason", "Keep the reason under 4,000 characters.");
    v.finish()?;
    Ok(reason.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_keys_round_trip_and_refuse_anything_else() {
        for kind in [HolderKind::Committee, HolderKind::Subgroup] {
            let holder = RegisterHolder { kind, slug: "forth-valley-ird".into(), name: "IRD".into() };
            assert_eq!(parse_register_key(&holder.key()), Some((kind, "forth-valley-ird")));
            assert!(holder.register_href().ends_with("/forth-valley-ird/risks"));
        }
        for bad in ["", "committees", "committees/", "plans/x", "committees/a/b", "clackmannanshire"] {
            assert_eq!(parse_register_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn scores_fall_into_their_bands() {
        assert_eq!(score(4, 3), 12);
        assert_eq!(Band::of(score(1, 1)), Band::Low);
        assert_eq!(Band::of(4), Band::Low);
        assert_eq!(Band::of(5), Band::Medium);
        assert_eq!(Band::of(9), Band::Medium);
        assert_eq!(Band::of(10), Band::High);
        assert_eq!(Band::of(score(3, 5)), Band::VeryHigh);
        assert_eq!(rating(20), "20 · Very high");
        assert_eq!(likelihood_label(4), "4 · Likely");
        assert_eq!(impact_label(5), "5 · Severe");
    }

    #[test]
    fn forms_are_checked_field_by_field() {
        let bad =
            check_risk(&RiskForm { target_score: "30", review_on: "next March", ..Default::default() }).unwrap_err();
        for field in ["reference", "title", "target_score", "review_on"] {
            assert!(bad.field_error(field).is_some(), "{field}");
        }
        let ok = check_risk(&RiskForm {
            reference: " R1 ",
            title: "Staff  turnover",
            target_score: "6",
            review_on: "2027-03-31",
            ..Default::default()
        })
        .unwrap();
        assert_eq!((ok.reference.as_str(), ok.title.as_str(), ok.target_score), ("R1", "Staff turnover", 6));
        assert!(check_assessment("0", "6", "").is_err());
        assert_eq!(
            check_assessment("4", "3", " why ").unwrap(),
            Assessment { likelihood: 4, impact: 3, note: "why".into() }
        );
        assert!(check_closing("  ").is_err());
    }

    #[test]
    fn the_heat_map_counts_open_risks_by_cell() {
        let risk = |l, i, closed| RiskRow {
            id: Uuid::new_v4(),
            reference: "R".into(),
            title: "t".into(),
            description: String::new(),
            cause: String::new(),
            consequence: String::new(),
            owner: String::new(),
            controls: String::new(),
            likelihood: l,
            impact: i,
            target_score: 4,
            review_on: None,
            closed,
            closed_reason: None,
            version: 1,
            mitigations: vec![],
            updated_at: String::new(),
        };
        let map = heat_map(&[risk(4, 3, false), risk(4, 3, false), risk(1, 5, false), risk(5, 5, true)]);
        assert_eq!(map[2][3], 2);
        assert_eq!(map[4][0], 1);
        assert_eq!(map[4][4], 0, "closed risks are not on the map");
        assert_eq!(map.iter().flatten().sum::<u32>(), 3);
    }
}
