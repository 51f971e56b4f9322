// ECFS Case browser entry point, loaded as <script type="module"> at the end
// of <body> (see templates/govuk/page.html). Copied to static/build/ by
// `npm run build`, next to the two bundles it imports.
import { createAll, initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { FilterToggleButton, initAll as initMojFrontend } from './moj-frontend.min.js'
import { initFamilyAutocomplete } from './family-autocomplete.mjs'

// GOV.UK Frontend's page template adds these classes with an inline <script>;
// our Content Security Policy forbids inline scripts, so it is done here,
// before any component is initialised. (Module scripts only run in browsers
// that support ES modules, which is what `govuk-frontend-supported` means.)
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')

initGovukFrontend()
initMojFrontend()

// MoJ's filter layout toggle is not part of its initAll(): the filter panels (data-module="moj-filter") hide
// behind "Show filter" on narrower screens and close with their own button.
createAll(FilterToggleButton)

// Search-as-you-type where a page asks for a family (the enrol page loads accessible-autocomplete itself).
initFamilyAutocomplete()
