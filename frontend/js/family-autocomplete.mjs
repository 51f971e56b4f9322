// Search-as-you-type for a family (enrolling someone on a group course), with GOV.UK's accessible-autocomplete
// (loaded by the page as a classic script, so `window.accessibleAutocomplete`). It replaces the page's own text
// field, keeping its id and name, so the form works the same with or without JavaScript: what is submitted is
// the chosen family's names and reference (or what was typed, which the page then searches for).
//
//   <div data-module="ecfs-family-autocomplete" data-source="/groups/courses/…/enrol/families/">
//     …a GOV.UK text field…
//   </div>
//
// The source answers GET ?q=… with {"results": [{"reference", "names", "district"}]}, scoped on the server.

function escapeHtml (text) {
  const span = document.createElement('span')
  span.textContent = text
  return span.innerHTML
}

function chosenText (result) {
  if (!result) return ''
  if (typeof result === 'string') return result
  return result.names ? `${result.names}, ${result.reference}` : result.reference
}

function suggestionHtml (result) {
  if (typeof result === 'string') return escapeHtml(result)
  const names = escapeHtml(result.names || result.reference)
  const where = escapeHtml(`${result.reference}, ${result.district}`)
  return `${names}<span class="ecfs-autocomplete__detail">${where}</span>`
}

function enhance (container, accessibleAutocomplete) {
  const input = container.querySelector('input[type="text"]')
  if (!input) return
  const source = container.dataset.source
  let latest = 0
  const wrapper = document.createElement('div')
  wrapper.className = 'ecfs-autocomplete'
  input.insertAdjacentElement('afterend', wrapper)
  const error = input.classList.contains('govuk-input--error')
  // The field's hint and error message, which its aria-describedby named: the component's own input describes
  // itself with its instructions only, so they lead those instructions.
  const described = (input.getAttribute('aria-describedby') || '').split(/\s+/)
    .map((id) => id && document.getElementById(id))
    .filter(Boolean)
    .map((element) => element.textContent.trim())
    .join('. ')
  input.remove()
  accessibleAutocomplete({
    element: wrapper,
    id: input.id,
    name: input.name,
    defaultValue: input.value,
    minLength: 2,
    showNoOptionsFound: true,
    confirmOnBlur: false,
    displayMenu: 'overlay',
    inputClasses: error ? 'govuk-input--error' : null,
    tAssistiveHint: () => [
      described,
      'When suggestions are available, use the up and down arrows to review them and Enter to choose one.'
    ].filter(Boolean).join('. '),
    tNoResults: () => 'No open family you work with matches',
    tStatusQueryTooShort: (minimum) => `Type ${minimum} or more characters to find a family`,
    source (query, populate) {
      const request = ++latest
      fetch(`${source}?${new URLSearchParams({ q: query })}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin'
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => { if (request === latest) populate(data.results) })
        .catch(() => { if (request === latest) populate([]) })
    },
    templates: { inputValue: chosenText, suggestion: suggestionHtml }
  })
}

export function initFamilyAutocomplete (root = document) {
  const accessibleAutocomplete = window.accessibleAutocomplete
  if (typeof accessibleAutocomplete !== 'function') return
  for (const container of root.querySelectorAll('[data-module="ecfs-family-autocomplete"]')) {
    enhance(container, accessibleAutocomplete)
  }
}
