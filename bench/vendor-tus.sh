#!/usr/bin/env bash
# bench/vendor-tus.sh - re-creates the vendored tus-js-client (decision 0004, section 4):
#
#     bench/vendor-tus.sh
#
# 1. `npm pack tus-js-client@4.3.1` into a temporary directory; the tarball's sha512 must equal the
#    npm integrity pinned below, and package/dist/tus.min.js's SHA-256 the upstream hash below.
# 2. Two exact replacements, each of which must match exactly once (otherwise nothing is written):
#    a. the localStorage probe that runs when the bundle loads (it writes and removes the key
#       "tusSupport" even when no URL is ever stored) -> `var n=!1`, so canStoreURLs is false and
#       the default URL storage is the no-op one;
#    b. the WebStorageUrlStorage class (only reachable when canStoreURLs is true, which (a) makes
#       impossible) -> a constructor that throws. After (b) the file names no device storage at all,
#       which web/VendoredScriptTest checks by grep rather than by reasoning about dead code.
# 3. Writes src/main/resources/static/js/tus-js-client-4.3.1.min.js, its .LICENSE (tus-js-client's
#    MIT text plus the licenses of the modules browserify bundled into dist/tus.min.js, taken from
#    their npm packages) and VENDOR.txt (what, where from, hashes, the patch).
#
# After an upgrade, update PATCHED_SHA256 in web/VendoredScriptTest to the hash printed at the end.
# Needs: npm (and node), sha256sum, openssl, tar.
set -euo pipefail

VERSION=4.3.1
TARBALL_URL="https://registry.npmjs.org/tus-js-client/-/tus-js-client-${VERSION}.tgz"
INTEGRITY="sha512-ZLeYmjrkaU1fUsKbIi8JML52uAocjEZtBx4DKjRrqzrZa0O4MYwT6db+oqePlspV+FxXJAyFBc/L5gwUi2OFsg=="
UPSTREAM_SHA256=8cbb1b63fccc3bba0ae73ad1deb160ce046c3750851d0c3e94921ae3ef070eb8
# Modules browserify put into dist/tus.min.js (its module table), with the versions whose license
# files are copied. regenerator-runtime is inlined by Babel (its banner is in the bundle).
BUNDLED="buffer@5.7.1 base64-js@1.5.1 ieee754@1.2.1 js-base64@3.7.7 querystringify@2.2.0 requires-port@1.0.0 url-parse@1.5.10 regenerator-runtime@0.14.1"

repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/src/main/resources/static/js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack -q "tus-js-client@${VERSION}" >/dev/null
tgz="tus-js-client-${VERSION}.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [[ "$got" != "$INTEGRITY" ]]; then
    echo "npm integrity mismatch: $got" >&2
    exit 1
fi
tar xzf "$tgz"
got=$(sha256sum package/dist/tus.min.js | cut -d' ' -f1)
if [[ "$got" != "$UPSTREAM_SHA256" ]]; then
    echo "upstream dist/tus.min.js SHA-256 mismatch: $got" >&2
    exit 1
fi

# The two replacements, as exact strings (node, which npm brings, does the counting).
node - package/dist/tus.min.js "$work/patched.js" "$work/patch.txt" <<'EOF'
const fs = require('fs');
const [input, output, describe] = process.argv.slice(2);
const probe = 'var n="localStorage"in window,u="tusSupport",a=localStorage.getItem(u);'
    + 'localStorage.setItem(u,a),null===a&&localStorage.removeItem(u)';
const storageClass = 'r.canStoreURLs=n,r.WebStorageUrlStorage=function(){function t(){if(!(this instanceof t))'
    + 'throw new TypeError("Cannot call a class as a function")}return e=t,(r=[{key:"findAllUploads",'
    + 'value:function(){var t=this._findEntries("tus::");return Promise.resolve(t)}},'
    + '{key:"findUploadsByFingerprint",value:function(t){t=this._findEntries("tus::".concat(t,"::"));'
    + 'return Promise.resolve(t)}},{key:"removeUpload",value:function(t){return localStorage.removeItem(t),'
    + 'Promise.resolve()}},{key:"addUpload",value:function(t,e){var r=Math.round(1e12*Math.random()),'
    + 't="tus::".concat(t,"::").concat(r);return localStorage.setItem(t,JSON.stringify(e)),Promise.resolve(t)}},'
    + '{key:"_findEntries",value:function(t){for(var e=[],r=0;r<localStorage.length;r++){var n=localStorage.key(r);'
    + 'if(0===n.indexOf(t))try{var o=JSON.parse(localStorage.getItem(n));o.urlStorageKey=n,e.push(o)}catch(t){}}'
    + 'return e}}])&&i(e.prototype,r),n&&i(e,n),Object.defineProperty(e,"prototype",{writable:!1}),e;var e,r,n}()';
const patches = [
    [probe, 'var n=!1'],
    [storageClass, 'r.canStoreURLs=n,r.WebStorageUrlStorage=function(){throw new TypeError("no storage on the device")}'],
];
let s = fs.readFileSync(input, 'latin1');
for (const [from, to] of patches) {
    const count = s.split(from).length - 1;
    if (count !== 1) {
        console.error('expected exactly one match, found ' + count + ': ' + from.slice(0, 60) + '...');
        process.exit(1);
    }
    s = s.replace(from, () => to);
}
fs.writeFileSync(output, s, 'latin1');
fs.writeFileSync(describe, patches.map(([f, t]) => '- ' + f + '\n+ ' + t + '\n').join('\n'));
EOF
patched_sha=$(sha256sum patched.js | cut -d' ' -f1)

mkdir -p "$out"
cp patched.js "$out/tus-js-client-${VERSION}.min.js"

{
    echo "tus-js-client ${VERSION} (dist/tus.min.js), https://github.com/tus/tus-js-client"
    echo
    cat package/LICENSE
    echo
    echo "The file also contains these modules, bundled by browserify (module table of dist/tus.js)"
    echo "or inlined by Babel. Their licenses follow, copied from the npm packages of the versions named"
    echo "(the bundle records no versions but js-base64's 3.7.7; each package has kept its license across the"
    echo "versions tus-js-client's and browserify 17's ranges allow)."
    mkdir deps
    for dep in $BUNDLED; do
        (cd deps && npm pack -q "$dep" >/dev/null)
        name=${dep%@*}
        mkdir -p "deps/$name"
        tar xzf "deps/${name}-${dep##*@}.tgz" -C "deps/$name"
        echo
        echo "================================================================================"
        echo "$dep ($(node -e "console.log(require('./deps/$name/package/package.json').license)"))"
        echo "================================================================================"
        cat "deps/$name"/package/LICENSE*
    done
} >"$out/tus-js-client-${VERSION}.LICENSE"

{
    echo "Vendored file: tus-js-client-${VERSION}.min.js (see bench/vendor-tus.sh, decision 0004 section 4)"
    echo "Package:       tus-js-client"
    echo "Version:       ${VERSION}"
    echo "License:       MIT (bundled modules: see tus-js-client-${VERSION}.LICENSE)"
    echo "Tarball:       ${TARBALL_URL}"
    echo "Integrity:     ${INTEGRITY}"
    echo "Upstream file: package/dist/tus.min.js"
    echo "Upstream SHA-256: ${UPSTREAM_SHA256}"
    echo "Patched SHA-256:  ${patched_sha}"
    echo
    echo "Patch (two exact replacements, each matched exactly once; nothing else changed):"
    echo
    cat patch.txt
} >"$out/VENDOR.txt"

echo "patched SHA-256: ${patched_sha}"
