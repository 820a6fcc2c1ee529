use crate::components::layout::Breadcrumbs;
use leptos::prelude::*;
use leptos_meta::Title;

/// When this statement was prepared, last reviewed, and when the site was last tested.
pub const PREPARED: &str = "3 December 2026";

/// `/accessibility`: the accessibility statement, in the form the Public Sector Bodies
/// (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 ask for (the
/// sections of GOV.UK's model statement), linked from every page's footer.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <Title text="Accessibility statement"/>
        <Breadcrumbs items=vec![("Forth Valley".into(), Some("/".into())), ("Accessibility statement".into(), None)]/>
        <div class="statement">
            <h1>"Accessibility statement for Forth Valley child protection improvement plans"</h1>
            <p class="lead">"This statement applies to this website, on which the Clackmannanshire, Stirling and Falkirk Child Protection Committees publish and work on their improvement plans, risk registers, shared protocols and quarterly reports."</p>
            <p>"This website is run by the Clackmannanshire, Stirling and Falkirk Child Protection Committees together. We want as many people as possible to be able to use it. For example, that means you should be able to:"</p>
            <ul>
                <li>"change colours, contrast levels and fonts using your browser or device settings"</li>
                <li>"zoom in up to 400% without the text spilling off the screen, and use it on a screen 320 pixels wide"</li>
                <li>"navigate the website using just a keyboard, with the focus always visible"</li>
                <li>"navigate the website using speech recognition software"</li>
                <li>"listen to the website using a screen reader: each traffic-light status is written in words, never shown by colour alone"</li>
                <li>"use it without JavaScript: every page and form works without it; with it, statuses update live"</li>
            </ul>
            <p>"We have also made the text as plain as we can. "<a href="https://mcmw.abilitynet.org.uk/">"AbilityNet"</a>" has advice on making your device easier to use if you have a disability."</p>

            <h2>"How accessible this website is"</h2>
            <p>"We know some parts of this website are not fully accessible:"</p>
            <ul>
                <li>"The PDF copy of a quarterly report to the Chief Officers Group is printed from the web page and may not meet the standard for accessible PDFs. The same report, complete, is a web page, which does: use the page, or its own print button."</li>
                <li>"Text that committee officers write into plans (actions, progress notes, evidence) and files they import are theirs: we check their length and form, but cannot check that they are written plainly."</li>
            </ul>

            <h2>"Feedback and contact information"</h2>
            <p>"If you need information on this website in a different format, like accessible PDF, large print, easy read, audio recording or braille, contact the Child Protection Committee of your council area:"</p>
            <ul>
                <li>"Clackmannanshire Council, "<a href="https://www.clacks.gov.uk/">"clacks.gov.uk"</a></li>
                <li>"Stirling Council, "<a href="https://www.stirling.gov.uk/">"stirling.gov.uk"</a></li>
                <li>"Falkirk Council, "<a href="https://www.falkirk.gov.uk/">"falkirk.gov.uk"</a></li>
            </ul>
            <p>"If you have an account here, you can also tell your committee's lead officer. We will consider your request and get back to you within 10 working days."</p>

            <h2>"Reporting accessibility problems with this website"</h2>
            <p>"We are always looking to improve the accessibility of this website. If you find any problems not listed on this page, or think we are not meeting accessibility requirements, contact your Child Protection Committee as above, saying which page and what happened."</p>

            <h2>"Enforcement procedure"</h2>
            <p>"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the \u{2018}accessibility regulations\u{2019}). If you are not happy with how we respond to your complaint, contact the "<a href="https://www.equalityadvisoryservice.com/">"Equality Advisory and Support Service (EASS)"</a>"."</p>

            <h2>"Technical information about this website\u{2019}s accessibility"</h2>
            <p>"The Forth Valley Child Protection Committees are committed to making this website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018."</p>
            <h3>"Compliance status"</h3>
            <p>"This website is partially compliant with the "<a href="https://www.w3.org/TR/WCAG22/">"Web Content Accessibility Guidelines version 2.2"</a>" AA standard, due to the non-compliance listed below."</p>
            <h3>"Non-accessible content"</h3>
            <p>"The content listed below is non-accessible for the following reasons."</p>
            <h4>"Non-compliance with the accessibility regulations"</h4>
            <p>"The PDF copy of a quarterly report may not give its headings, tables and reading order to assistive technology (it may fail WCAG 2.2 success criteria 1.3.1 Info and Relationships and 1.3.2 Meaningful Sequence). The report\u{2019}s web page, from which the PDF is printed, meets them. We will make the PDF meet them, or stop offering it, by 31 March 2027."</p>
            <h4>"Disproportionate burden"</h4>
            <p>"We are not claiming disproportionate burden for any part of this website."</p>
            <h4>"Content that\u{2019}s not within the scope of the accessibility regulations"</h4>
            <p>"None that we know of."</p>

            <h2>"What we\u{2019}re doing to improve accessibility"</h2>
            <p>"Every change to this website is tested before it is published: each page and state that the end-to-end tests reach (signing in, refused forms, the conflict panel shown when two people edit one action, dashboards, reports) is checked automatically against WCAG 2.2 AA with axe-core, with JavaScript on and off, and must have no failures. We review this statement whenever the website changes how people use it, and at least once a year."</p>

            <h2>"Preparation of this accessibility statement"</h2>
            <p>"This statement was prepared on " {PREPARED} ". It was last reviewed on " {PREPARED} "."</p>
            <p>"This website was last tested on " {PREPARED} ". The test was carried out by the website\u{2019}s developers: automated testing with axe-core of every page the end-to-end tests visit, in Chromium, with JavaScript on and off; signing in and updating an action using the keyboard alone; and pages at 320 pixels wide (the width of 1,280 pixels at 400% zoom) without scrolling sideways."</p>
        </div>
    }
}
