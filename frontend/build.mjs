// Build the front-end assets into static/build/ (generated, never committed).
//
//   npm run build
//
// 1. Compile frontend/scss/application.scss with the `sass` CLI
//    -> static/build/application.css (compressed, no source map).
// 2. Copy GOV.UK Frontend and MoJ Frontend images (no fonts: we use Arial)
//    -> static/build/govuk/assets/, static/build/moj/assets/.
// 3. Copy the two pre-built ES module bundles, our modules and accessible-autocomplete's script
//    -> static/build/{govuk-frontend.min.js,moj-frontend.min.js,application.mjs,family-autocomplete.mjs,
//       accessible-autocomplete.min.js}.
//
// No bundler: the browser loads application.mjs as <script type="module">,
// which imports the two bundles by relative path.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const nodeModules = join(root, 'node_modules')
const out = join(root, 'static', 'build')

const govukDist = join(nodeModules, 'govuk-frontend', 'dist', 'govuk')
const mojDist = join(nodeModules, '@ministryofjustice', 'frontend', 'moj')

function need(path) {
  if (!existsSync(path)) {
    console.error(`build: missing ${path} (did you run "npm install"?)`)
    process.exit(1)
  }
  return path
}

function copy(from, to) {
  cpSync(need(from), to, { recursive: true })
  console.log(`build: ${from.replace(root + '/', '')} -> ${to.replace(root + '/', '')}`)
}

// Start clean so removed files do not linger.
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

// 1. Sass. `--load-path=.` is needed as well as `node_modules` because MoJ
// Frontend's own Sass loads "node_modules/govuk-frontend/dist/govuk/base".
const sassBin = need(join(nodeModules, 'sass', 'sass.js'))
const cssOut = join(out, 'application.css')
execFileSync(
  process.execPath,
  [
    sassBin,
    '--load-path=node_modules',
    '--load-path=.',
    '--style=compressed',
    '--no-source-map',
    '--quiet-deps',
    'frontend/scss/application.scss',
    cssOut
  ],
  { cwd: root, stdio: 'inherit' }
)
console.log(`build: frontend/scss/application.scss -> static/build/application.css (${statSync(cssOut).size} bytes)`)

// 2. Static assets referenced by the CSS (and available to templates).
copy(join(govukDist, 'assets', 'images'), join(out, 'govuk', 'assets', 'images'))
copy(join(govukDist, 'assets', 'manifest.json'), join(out, 'govuk', 'assets', 'manifest.json'))
copy(join(mojDist, 'assets', 'images'), join(out, 'moj', 'assets', 'images'))
copy(join(root, 'frontend', 'images'), join(out, 'images'))

// 3. JavaScript: pre-built ES module bundles plus our entry module.
copy(join(govukDist, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
copy(join(mojDist, 'moj-frontend.min.js'), join(out, 'moj-frontend.min.js'))
copy(join(root, 'frontend', 'js', 'application.mjs'), join(out, 'application.mjs'))
copy(join(root, 'frontend', 'js', 'family-autocomplete.mjs'), join(out, 'family-autocomplete.mjs'))
// GOV.UK's accessible-autocomplete is a classic (UMD) script: the pages that use it load it before our module.
copy(
  join(nodeModules, 'accessible-autocomplete', 'dist', 'accessible-autocomplete.min.js'),
  join(out, 'accessible-autocomplete.min.js')
)

console.log('build: done')
