use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown in place of a page whose data could not be loaded. On the server it also sets the
/// HTTP status (404 for an unknown committee, plan or action), which is why those routes
/// render in async mode: the status is known before the first byte is sent.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
        if matches!(error, AppError::Unavailable) {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("5"));
        }
    }
    let (heading, hint) = match &error {
        AppError::NotFound(_) => {
            ("Page not found", "The address may be mistyped, or the plan may not be published yet.")
        }
        AppError::Unauthorized => ("Please sign in", "This page is for members of a committee or subgroup."),
        AppError::Forbidden => ("Not available", "You may need to sign in with another account."),
        AppError::Unavailable => ("Busy at the moment", "Reload the page in a few seconds."),
        _ => ("Something went wrong", "Please try again in a moment."),
    };
    // The request's id, so what the person reports can be found in the log.
    #[cfg(feature = "ssr")]
    let reference = crate::server::request::request_id();
    #[cfg(not(feature = "ssr"))]
    let reference: Option<String> = None;
    view! {
        <Title text=heading/>
        <section class="error-page" aria-labelledby="error-heading">
            <h1 id="error-heading">{heading}</h1>
            <p class="lead">{error.to_string()}</p>
            <p>{hint}</p>
            {matches!(error, AppError::Unauthorized | AppError::Forbidden).then(|| {
                let next = crate::components::session::current_path();
                view! { <p><a class="button" href=format!("/sign-in?next={}", crate::components::layout::urlencode(&next))>"Sign in"</a></p> }
            })}
            <p>"You can go to the " <a href="/">"Forth Valley overview"</a>
               ", which lists every committee's published plans, or to the "
               <a href="/protocols">"shared protocols"</a> "."</p>
            {reference.map(|id| view! {
                <p class="muted" data-testid="request-id">{format!("If you report this, quote the reference {id}.")}</p>
            })}
        </section>
    }
}

/// The page for an address that matches no route.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=AppError::not_found("a page at this address")/> }
}

/// A page whose data comes from one resource: shows it once loaded, or the error page (with
/// its HTTP status) when loading failed.
pub fn loaded<T, V>(resource: Resource<Result<T, AppError>>, render: fn(T) -> V) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(data) => render(data).into_any(),
                    Err(error) => view! { <ErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
