//! Live status in the browser: one island per page that keeps the server-rendered cells
//! current. Pages mark what may change with data attributes (`data-live-action` rows with
//! `data-live-version` and `data-live-field` cells, `data-live-counts` summaries,
//! `data-live-plan` and `data-live-edit` forms); this island follows `/live` and patches them
//! in place, marks the changed row for a moment and announces it through a polite live region.
//! Without JavaScript nothing here runs and the pages are as the server rendered them.
//!
//! A browser's tabs share one stream: the tab holding the Web Lock `fv-live` opens the
//! EventSource and passes every event on over a BroadcastChannel; the others only listen.
//! When that tab closes, another takes the lock and opens the stream from where it got to.
//! Events about published material carry their fields; for private ones the island fetches
//! just the changed action or counts through small server functions (`api::live`).

use leptos::prelude::*;

/// The page's live status: indicator, notices and announcements. `position` is where the
/// change log stood before the page read its data, so the stream resumes from there and
/// nothing between rendering and opening the stream is missed.
#[island]
pub fn LiveStatus(position: Option<String>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    client::install(position.as_deref());
    view! {
        <div class="live-status" data-live-position=position>
            <p class="live-indicator" data-live-indicator="" data-state="connecting" hidden=true>
                <span class="live-dot" aria-hidden="true"></span>
                <span data-live-state="">"Connecting…"</span>
            </p>
            <div class="live-notice" data-live-notice="" hidden=true></div>
            <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-live-announce=""></div>
        </div>
    }
}

/// Where the log stood as this page began to render (server side only).
pub fn page_position() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        // Read from the replica: where the replica is known to have caught up to.
        if let Some(replica) = crate::server::request::replica_read() {
            return replica.position.map(|p| p.to_string());
        }
        // No state while the route list is generated at start: no position then.
        use_context::<crate::server::state::AppState>().and_then(|s| s.live_head.get()).map(|p| p.to_string())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use crate::domain::live::{ActionCells, Counts, Kind, LiveEvent, Position, RELOAD};
    use crate::domain::status::{status_icon, status_key, status_label, Status, StatusCounts};
    use crate::error::StaleEdit;
    use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use std::cell::RefCell;
    use std::collections::{BTreeSet, VecDeque};
    use uuid::Uuid;
    use web_sys::{BroadcastChannel, Document, Element, EventSource, HtmlElement, HtmlInputElement, MessageEvent};

    const CHANNEL: &str = "fv-live";
    const LOCK: &str = "fv-live";
    /// Events the stream-holding tab keeps for tabs that open after it.
    const KEEP: usize = 300;
    /// How long a changed row stays marked.
    const MARK_MS: i32 = 6000;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Connecting,
        Live,
        Reconnecting,
        Offline,
    }

    impl State {
        fn key(self) -> &'static str {
            match self {
                State::Connecting => "connecting",
                State::Live => "live",
                State::Reconnecting => "reconnecting",
                State::Offline => "offline",
            }
        }
        fn text(self) -> &'static str {
            match self {
                State::Connecting => "Connecting…",
                State::Live => "Live: changes appear as they are saved",
                State::Reconnecting => "Reconnecting…",
                State::Offline => "Offline: changes will appear when the connection returns",
            }
        }
        fn parse(key: &str) -> Option<State> {
            [State::Connecting, State::Live, State::Reconnecting, State::Offline].into_iter().find(|s| s.key() == key)
        }
    }

    struct Live {
        /// The newest event applied (or the page's own position).
        last: Position,
        /// Where this tab's stream started, when it holds the stream.
        started: Option<Position>,
        source: Option<EventSource>,
        channel: Option<BroadcastChannel>,
        state: State,
        failures: u32,
        recent: VecDeque<(Position, String, String)>,
        fetch_actions: BTreeSet<Uuid>,
        fetch_counts: BTreeSet<Uuid>,
        conflicts: BTreeSet<Uuid>,
        announcements: Vec<String>,
        flush_due: bool,
    }

    thread_local! {
        static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
    }

    fn with<R>(f: impl FnOnce(&mut Live) -> R) -> Option<R> {
        LIVE.with(|l| l.borrow_mut().as_mut().map(f))
    }

    fn document() -> Option<Document> {
        web_sys::window().and_then(|w| w.document())
    }

    fn all(selector: &str) -> Vec<Element> {
        document().and_then(|d| d.document_element()).map_or_else(Vec::new, |root| query_all(&root, selector))
    }

    fn one(selector: &str) -> Option<Element> {
        document().and_then(|d| d.query_selector(selector).ok().flatten())
    }

    fn later(ms: i32, f: impl FnOnce() + 'static) {
        let closure = Closure::once_into_js(f);
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), ms);
        }
    }

    fn listen<E: leptos::wasm_bindgen::convert::FromWasmAbi + 'static>(
        target: &web_sys::EventTarget,
        name: &str,
        f: impl FnMut(E) + 'static,
    ) {
        let closure = Closure::<dyn FnMut(E)>::new(f);
        let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        closure.forget();
    }

    /// Starts once the page has hydrated: nothing here touches the DOM while islands are
    /// still claiming it.
    pub fn install(position: Option<&str>) {
        let position = position.map(str::to_owned);
        later(0, move || start(position.as_deref()));
    }

    fn start(position: Option<&str>) {
        if LIVE.with(|l| l.borrow().is_some()) {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        // No EventSource (very old browsers): the page stays as rendered.
        if js_sys::Reflect::get(&window, &"EventSource".into()).map_or(true, |v| v.is_undefined()) {
            return;
        }
        let last = position.and_then(Position::parse).unwrap_or(Position::START);
        let channel = BroadcastChannel::new(CHANNEL).ok();
        LIVE.with(|l| {
            *l.borrow_mut() = Some(Live {
                last,
                started: None,
                source: None,
                channel: channel.clone(),
                state: State::Connecting,
                failures: 0,
                recent: VecDeque::new(),
                fetch_actions: BTreeSet::new(),
                fetch_counts: BTreeSet::new(),
                conflicts: BTreeSet::new(),
                announcements: Vec::new(),
                flush_due: false,
            })
        });
        show_state();
        if let Some(channel) = &channel {
            listen(channel, "message", |event: MessageEvent| on_channel(event.data()));
        }
        if let Some(document) = document() {
            // The form enhancer puts a new page in place of the old: show the state in it.
            listen(&document, "fv:swapped", |_: web_sys::Event| show_state());
        }
        listen(&window, "online", |_: web_sys::Event| reconnect_now());
        listen(&window, "offline", |_: web_sys::Event| set_state(State::Offline));
        if !request_lock() {
            // No Web Locks: every tab holds its own stream.
            open_stream();
        } else if let Some(channel) = &channel {
            // Until this tab holds the stream, ask the tab that does for what it has seen.
            let _ = channel.post_message(&message("hello", &last.to_string(), ""));
        }
    }

    /// Asks for the stream lock; when granted (now, or when the holding tab closes), this tab
    /// opens the stream. Returns false when the browser has no Web Locks.
    fn request_lock() -> bool {
        let Some(window) = web_sys::window() else { return false };
        let navigator = window.navigator();
        let Ok(locks) = js_sys::Reflect::get(&navigator, &"locks".into()) else { return false };
        if locks.is_undefined() || locks.is_null() {
            return false;
        }
        let Ok(request) =
            js_sys::Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
        else {
            return false;
        };
        let granted = Closure::once_into_js(|_lock: JsValue| -> JsValue {
            open_stream();
            // Held for as long as the tab lives.
            js_sys::Promise::new(&mut |_, _| {}).into()
        });
        request.call2(&locks, &LOCK.into(), &granted).is_ok()
    }

    fn message(kind: &str, id: &str, data: &str) -> JsValue {
        let m = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&m, &"t".into(), &kind.into());
        let _ = js_sys::Reflect::set(&m, &"id".into(), &id.into());
        let _ = js_sys::Reflect::set(&m, &"d".into(), &data.into());
        m.into()
    }

    fn field(message: &JsValue, name: &str) -> String {
        js_sys::Reflect::get(message, &name.into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
    }

    /// A message from another tab: an event, the stream's state, or a newcomer's hello.
    fn on_channel(data: JsValue) {
        let holding = with(|l| l.source.is_some()).unwrap_or(false);
        match field(&data, "t").as_str() {
            "event" | "reload" if !holding => {
                let name = if field(&data, "t") == "reload" { RELOAD } else { "message" };
                if let Some(position) = Position::parse(&field(&data, "id")) {
                    apply(position, name, &field(&data, "d"));
                }
            }
            "state" if !holding => {
                if let Some(state) = State::parse(&field(&data, "d")) {
                    set_state(state);
                }
            }
            "hello" if holding => {
                let Some(after) = Position::parse(&field(&data, "id")) else { return };
                let replay = with(|l| {
                    // Events from before this tab's stream began, or already dropped, are not
                    // here: the newcomer is told its page may be out of date.
                    let covered = l.started.is_some_and(|s| s <= after)
                        && l.recent.front().is_none_or(|(first, _, _)| l.recent.len() < KEEP || *first <= after);
                    let events: Vec<_> = l.recent.iter().filter(|(p, _, _)| *p > after).cloned().collect();
                    (covered, events, l.state, l.channel.clone())
                });
                let Some((covered, events, state, Some(channel))) = replay else { return };
                let _ = channel.post_message(&message("state", "", state.key()));
                if !covered {
                    let _ = channel.post_message(&message("reload", &after.to_string(), "{}"));
                }
                for (position, name, data) in events {
                    let kind = if name == RELOAD { "reload" } else { "event" };
                    let _ = channel.post_message(&message(kind, &position.to_string(), &data));
                }
            }
            _ => {}
        }
    }

    fn open_stream() {
        let Some((after, old)) = with(|l| (l.last, l.source.take())) else { return };
        if let Some(old) = old {
            old.close();
        }
        let url = if after == Position::START { "/live".to_owned() } else { format!("/live?after={after}") };
        let Ok(source) = EventSource::new(&url) else {
            set_state(State::Offline);
            return;
        };
        listen(&source, "open", |_: web_sys::Event| {
            with(|l| l.failures = 0);
            set_state(State::Live);
        });
        listen(&source, "error", |_: web_sys::Event| on_error());
        listen(&source, "message", |event: MessageEvent| on_stream(&event, "message"));
        listen(&source, RELOAD, |event: MessageEvent| on_stream(&event, RELOAD));
        with(|l| {
            l.started.get_or_insert(after);
            l.source = Some(source);
        });
    }

    fn on_stream(event: &MessageEvent, name: &str) {
        let id = event.last_event_id();
        let data = event.data().as_string().unwrap_or_default();
        let Some(position) = Position::parse(&id).or_else(|| with(|l| l.last)) else { return };
        with(|l| {
            l.recent.push_back((position, name.to_owned(), data.clone()));
            while l.recent.len() > KEEP {
                l.recent.pop_front();
            }
            if let Some(channel) = &l.channel {
                let kind = if name == RELOAD { "reload" } else { "event" };
                let _ = channel.post_message(&message(kind, &id, &data));
            }
        });
        apply(position, name, &data);
    }

    /// The browser retries a dropped stream by itself (state CONNECTING); a refused one
    /// (CLOSED: the server answered 5xx or went away) is reopened here, less often each time.
    fn on_error() {
        let closed =
            with(|l| l.source.as_ref().is_some_and(|s| s.ready_state() == EventSource::CLOSED)).unwrap_or(false);
        let failures = with(|l| {
            l.failures += 1;
            l.failures
        })
        .unwrap_or(0);
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        set_state(if !online || failures >= 4 { State::Offline } else { State::Reconnecting });
        if closed {
            let delay = (1000 * 2i32.pow(failures.min(5))).min(30_000);
            later(delay, || {
                if with(|l| l.source.as_ref().is_some_and(|s| s.ready_state() == EventSource::CLOSED)).unwrap_or(false)
                {
                    open_stream();
                }
            });
        }
    }

    fn reconnect_now() {
        let holding = with(|l| l.source.as_ref().map(|s| s.ready_state() != EventSource::OPEN)).flatten();
        if holding == Some(true) {
            set_state(State::Reconnecting);
            open_stream();
        }
    }

    fn set_state(state: State) {
        let changed = with(|l| {
            let changed = l.state != state;
            l.state = state;
            if changed && l.source.is_some() {
                if let Some(channel) = &l.channel {
                    let _ = channel.post_message(&message("state", "", state.key()));
                }
            }
            changed
        });
        if changed == Some(true) {
            show_state();
        }
    }

    fn show_state() {
        let Some(state) = with(|l| l.state) else { return };
        if let Some(indicator) = one("[data-live-indicator]") {
            let _ = indicator.set_attribute("data-state", state.key());
            let _ = indicator.remove_attribute("hidden");
            if let Some(text) = indicator.query_selector("[data-live-state]").ok().flatten() {
                text.set_text_content(Some(state.text()));
            }
        }
    }

    /// One event, whichever way it came: applied once, in order.
    fn apply(position: Position, name: &str, data: &str) {
        let fresh = with(|l| {
            let fresh = position > l.last;
            if fresh {
                l.last = position;
            }
            fresh
        });
        if fresh != Some(true) {
            return;
        }
        if name == RELOAD {
            notice("You were away for a while, so this page may be out of date.");
            return;
        }
        let Ok(event) = serde_json::from_str::<LiveEvent>(data) else { return };
        match event.kind {
            Kind::Action => {
                if let Some(id) = event.object {
                    // A dashboard of one of its plans may need to list it (red or amber now).
                    let on_dashboard =
                        one("[data-live-dashboard]").is_some() && event.plans.iter().any(|p| shows_plan(*p));
                    match &event.action {
                        Some(cells) => {
                            patch_action(cells);
                            if on_dashboard {
                                check_attention(cells);
                            }
                        }
                        None if on_dashboard || !all(&format!("[data-live-action=\"{id}\"]")).is_empty() => {
                            with(|l| l.fetch_actions.insert(id));
                        }
                        None => {}
                    }
                    if edit_form(id).is_some_and(|(_, version)| event.version.is_some_and(|v| v > version)) {
                        with(|l| l.conflicts.insert(id));
                    }
                }
            }
            Kind::Structure | Kind::Plan | Kind::Review => {
                let shown = event.plans.iter().chain(event.object.iter()).any(|p| shows_plan(*p));
                let overview = event.kind == Kind::Plan && one("[data-live-region]").is_some();
                if shown || overview {
                    notice("This plan has changed since the page was loaded.");
                }
            }
            Kind::Protocol => {
                if one("[data-live-protocols]").is_some() {
                    notice("A protocol has changed since the page was loaded.");
                }
            }
            Kind::Region => {
                if one("[data-live-region]").is_some() {
                    notice("The committees or subgroups have changed since the page was loaded.");
                }
            }
            Kind::Risk => {
                if one("[data-live-risks]").is_some() {
                    notice("The risk register has changed since the page was loaded.");
                }
            }
            Kind::Period => {
                if one("[data-live-periods]").is_some() {
                    notice("The reporting periods have changed since the page was loaded.");
                }
            }
            Kind::Membership | Kind::Person => {}
        }
        for (plan, counts) in &event.counts {
            patch_counts(*plan, counts);
        }
        if event.counts.is_empty() && event.kind == Kind::Action {
            for plan in event.plans.iter().filter(|p| !all(&format!("[data-live-counts=\"{p}\"]")).is_empty()) {
                with(|l| l.fetch_counts.insert(*plan));
            }
        }
        schedule_flush();
    }

    fn shows_plan(plan: Uuid) -> bool {
        one(&format!("[data-live-plan=\"{plan}\"]")).is_some()
    }

    /// Fetches, conflicts and announcements are gathered for a moment and handled together,
    /// so a burst of events makes one request per changed object and one announcement.
    fn schedule_flush() {
        if with(|l| std::mem::replace(&mut l.flush_due, true)) == Some(false) {
            later(150, flush);
        }
    }

    fn flush() {
        let Some((actions, counts, conflicts, announcements)) = with(|l| {
            l.flush_due = false;
            (
                std::mem::take(&mut l.fetch_actions),
                std::mem::take(&mut l.fetch_counts),
                std::mem::take(&mut l.conflicts),
                std::mem::take(&mut l.announcements),
            )
        }) else {
            return;
        };
        for id in actions {
            leptos::task::spawn_local(async move {
                if let Ok(cells) = crate::api::live::live_action(id.to_string()).await {
                    patch_action(&cells);
                    if one("[data-live-dashboard]").is_some() {
                        check_attention(&cells);
                    }
                    schedule_flush();
                }
            });
        }
        for plan in counts {
            leptos::task::spawn_local(async move {
                if let Ok(counts) = crate::api::live::live_plan_counts(plan.to_string()).await {
                    patch_counts(plan, &counts);
                }
            });
        }
        for id in conflicts {
            leptos::task::spawn_local(async move { show_conflict(id).await });
        }
        announce(&announcements);
    }

    fn announce(messages: &[String]) {
        if messages.is_empty() {
            return;
        }
        let text = match messages {
            [one] => one.clone(),
            many if many.len() <= 3 => many.join(" "),
            many => format!("{} actions were updated.", many.len()),
        };
        if let Some(region) = one("[data-live-announce]") {
            region.set_text_content(Some(&text));
        }
    }

    fn notice(text: &str) {
        let Some(box_) = one("[data-live-notice]") else { return };
        let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".into());
        box_.set_inner_html("");
        let Some(document) = document() else { return };
        let p = document.create_element("p").ok();
        if let Some(p) = p {
            p.set_text_content(Some(&format!("{text} ")));
            if let Ok(a) = document.create_element("a") {
                let _ = a.set_attribute("href", &href);
                a.set_text_content(Some("Show the latest"));
                let _ = p.append_child(&a);
            }
            let _ = box_.append_child(&p);
        }
        let _ = box_.remove_attribute("hidden");
        with(|l| l.announcements.push(text.to_owned()));
    }

    fn status_of(code: Option<&str>) -> Option<Status> {
        code.and_then(|c| Status::parse(c).ok())
    }

    /// Puts `cells` into every element showing that action, if they are newer.
    fn patch_action(cells: &ActionCells) {
        let status = status_of(cells.status.as_deref());
        for element in all(&format!("[data-live-action=\"{}\"]", cells.id)) {
            let shown: i32 = element.get_attribute("data-live-version").and_then(|v| v.parse().ok()).unwrap_or(0);
            if shown >= cells.version {
                continue;
            }
            let _ = element.set_attribute("data-live-version", &cells.version.to_string());
            for cell in query_all(&element, "[data-live-field]") {
                match cell.get_attribute("data-live-field").as_deref() {
                    Some("status") => badge(&cell, status),
                    Some("progress") => multiline(&cell, &cells.progress),
                    Some("evidence") => multiline(&cell, &cells.evidence),
                    Some("lead") => multiline(&cell, &cells.lead),
                    Some("description") => multiline(&cell, &cells.description),
                    Some("timescale") => timescale(&cell, &cells.timescale, cells.revised_timescale.as_deref()),
                    _ => {}
                }
            }
            // Table rows carry the status in their class too (the coloured edge).
            if let Some(class) = element.get_attribute("class").filter(|c| c.contains("status-row-")) {
                let kept: Vec<&str> = class.split_whitespace().filter(|c| !c.starts_with("status-row-")).collect();
                let _ =
                    element.set_attribute("class", &format!("{} status-row-{}", kept.join(" "), status_key(status)));
            }
            let _ = element.class_list().add_1("live-changed");
            let marked = element.clone();
            later(MARK_MS, move || {
                let _ = marked.class_list().remove_1("live-changed");
            });
            let reference = query_all(&element, ".col-ref").first().and_then(|r| r.text_content()).unwrap_or_default();
            let what = if reference.is_empty() { "This action".to_owned() } else { format!("Action {reference}") };
            with(|l| l.announcements.push(format!("{what} is now {}.", status_label(status).to_lowercase())));
        }
    }

    /// On a dashboard: an action now red or amber that its list does not show yet.
    fn check_attention(cells: &ActionCells) {
        let status = status_of(cells.status.as_deref());
        if matches!(status, Some(Status::RevisionRequired | Status::Delayed))
            && one(&format!("[data-live-attention=\"{}\"]", cells.id)).is_none()
        {
            notice("An action has turned red or amber since the dashboard was loaded.");
        }
    }

    fn query_all(root: &Element, selector: &str) -> Vec<Element> {
        let Ok(list) = root.query_selector_all(selector) else { return vec![] };
        (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
    }

    fn element(tag: &str, class: &str, text: Option<&str>) -> Option<Element> {
        let e = document()?.create_element(tag).ok()?;
        if !class.is_empty() {
            let _ = e.set_attribute("class", class);
        }
        if let Some(text) = text {
            e.set_text_content(Some(text));
        }
        Some(e)
    }

    /// As `components::status::StatusBadge` renders it.
    fn badge(cell: &Element, status: Option<Status>) {
        let Some(outer) = element("span", &format!("status status-{}", status_key(status)), None) else { return };
        if let Some(icon) = element("span", "status-icon", Some(status_icon(status))) {
            let _ = icon.set_attribute("aria-hidden", "true");
            let _ = outer.append_child(&icon);
        }
        let _ = outer.append_with_str_1(status_label(status));
        cell.set_inner_html("");
        let _ = cell.append_child(&outer);
    }

    /// As `components::layout::Multiline` renders it.
    fn multiline(cell: &Element, text: &str) {
        let Some(span) = element("span", "multiline", (!text.is_empty()).then_some(text)) else { return };
        cell.set_inner_html("");
        let _ = cell.append_child(&span);
    }

    /// As `components::layout::Timescale` renders it.
    fn timescale(cell: &Element, original: &str, revised: Option<&str>) {
        match revised {
            Some(revised) => {
                cell.set_inner_html("");
                if let Some(r) = element("span", "revised", Some(revised)) {
                    let _ = cell.append_child(&r);
                }
                if let Some(o) = element("span", "original", Some(&format!(" (originally {original})"))) {
                    let _ = cell.append_child(&o);
                }
            }
            None => multiline(cell, original),
        }
    }

    /// As `components::status::StatusSummary` renders it: the counts and the bar.
    fn patch_counts(plan: Uuid, counts: &Counts) {
        let keyed = StatusCounts::keyed();
        let total: i32 = counts.iter().sum::<i32>().max(1);
        for summary in all(&format!("[data-live-counts=\"{plan}\"]")) {
            for (status, n) in keyed.iter().zip(counts) {
                for count in query_all(&summary, &format!("[data-live-count=\"{}\"]", status_key(*status))) {
                    count.set_text_content(Some(&n.to_string()));
                }
            }
            let Some(svg) = query_all(&summary, "svg.status-bar").into_iter().next() else { continue };
            svg.set_inner_html("");
            let mut x = 0.0;
            for (status, n) in keyed.iter().zip(counts).filter(|(_, n)| **n > 0) {
                let width = *n as f64 * 100.0 / total as f64;
                if let Some(rect) =
                    document().and_then(|d| d.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect").ok())
                {
                    let _ = rect.set_attribute("class", &format!("bar-{}", status_key(*status)));
                    let _ = rect.set_attribute("x", &format!("{x:.2}"));
                    let _ = rect.set_attribute("y", "0");
                    let _ = rect.set_attribute("width", &format!("{width:.2}"));
                    let _ = rect.set_attribute("height", "1");
                    let _ = svg.append_child(&rect);
                }
                x += width;
            }
        }
    }

    /// The open edit form of `action`, and the version it was loaded with; none while it is
    /// being saved (its own save is not someone else's).
    fn edit_form(action: Uuid) -> Option<(Element, i32)> {
        let form = one(&format!("form[data-live-edit=\"{action}\"]"))?;
        if form.get_attribute("aria-busy").as_deref() == Some("true") {
            return None;
        }
        let version = form.query_selector("input[name=version]").ok().flatten()?.dyn_into::<HtmlInputElement>().ok()?;
        Some((form, version.value().parse().ok()?))
    }

    /// Tells the person editing `action` who saved what meanwhile, and offers to take it in.
    async fn show_conflict(action: Uuid) {
        let Some((_, version)) = edit_form(action) else { return };
        let Ok(stale) = crate::api::live::action_changes_since(action.to_string(), version).await else { return };
        let Some((form, _)) = edit_form(action) else { return };
        let Some(box_) = form.query_selector("[data-live-conflict]").ok().flatten() else { return };
        box_.set_inner_html("");
        let lines = describe(&stale);
        if let Some(h) =
            element("p", "live-conflict-title", Some("Someone else saved this action while you had it open:"))
        {
            let _ = box_.append_child(&h);
        }
        if let Some(list) = element("ul", "", None) {
            for line in lines {
                if let Some(li) = element("li", "", Some(&line)) {
                    let _ = list.append_child(&li);
                }
            }
            let _ = box_.append_child(&list);
        }
        if let Some(button) = element("button", "button button-small", Some("Take their changes into account")) {
            let _ = button.set_attribute("type", "button");
            let current = stale.current_version;
            listen(&button, "click", move |_: web_sys::Event| {
                leptos::task::spawn_local(async move { take_in(action, current).await });
            });
            let _ = box_.append_child(&button);
        }
        let _ = box_.set_attribute("role", "alert");
        let _ = box_.remove_attribute("hidden");
    }

    fn describe(stale: &StaleEdit) -> Vec<String> {
        let earlier = (stale.earlier > 0).then(|| format!("…and {} earlier changes.", stale.earlier));
        stale
            .changes
            .iter()
            .map(|c| {
                let who = c.by.clone().unwrap_or_else(|| "Someone".into());
                let fields: Vec<String> = c
                    .fields
                    .iter()
                    .map(|f| match &f.from {
                        Some(from) => format!("{}: {} → {}", f.label, excerpt(from), excerpt(&f.to)),
                        None => format!("{}: {}", f.label, excerpt(&f.to)),
                    })
                    .collect();
                format!("{who}, {}: {}", crate::domain::dates::long_date_time(&c.at), fields.join("; "))
            })
            .chain(earlier)
            .collect()
    }

    fn excerpt(text: &str) -> String {
        let text = if text.is_empty() { "(empty)" } else { text };
        match text.char_indices().nth(80) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_owned(),
        }
    }

    /// Bases the form on the saved version: fields the person has not touched take the saved
    /// values; what they typed stays, to be saved over it knowingly.
    async fn take_in(action: Uuid, current: i32) {
        let Ok(cells) = crate::api::live::live_action(action.to_string()).await else { return };
        let Some((form, _)) = edit_form(action) else { return };
        let text = |name: &str, value: &str| {
            let Some(field) = form.query_selector(&format!("[name={name}]")).ok().flatten() else { return };
            if let Ok(area) = field.clone().dyn_into::<web_sys::HtmlTextAreaElement>() {
                if Ok(area.value()) == area.default_value() {
                    area.set_value(value);
                }
                let _ = area.set_default_value(value);
            }
        };
        text("progress", &cells.progress);
        text("evidence", &cells.evidence);
        let radios = query_all(&form, "input[name=status]");
        let untouched = radios
            .iter()
            .filter_map(|r| r.clone().dyn_into::<HtmlInputElement>().ok())
            .all(|r| r.checked() == r.default_checked());
        for radio in radios.into_iter().filter_map(|r| r.dyn_into::<HtmlInputElement>().ok()) {
            let mine = radio.value() == cells.status.clone().unwrap_or_default();
            if untouched {
                radio.set_checked(mine);
            }
            radio.set_default_checked(mine);
        }
        if let Some(version) = form.query_selector("input[name=version]").ok().flatten() {
            let _ = version.set_attribute("value", &current.to_string());
            if let Ok(input) = version.dyn_into::<HtmlInputElement>() {
                input.set_value(&current.to_string());
            }
        }
        if let Some(box_) = form.query_selector("[data-live-conflict]").ok().flatten() {
            box_.set_text_content(Some(
                "Their changes are in the form now. Anything you had typed is kept: check it and save.",
            ));
        }
        if let Some(first) =
            form.query_selector("textarea").ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = first.focus();
        }
    }
}
