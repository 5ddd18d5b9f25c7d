#!/usr/bin/env bash
# macOS: sign the PyInstaller bundle, wrap it in a signed installer package, notarize and staple it.
# Not run in this repository's CI (it needs a Mac, an Apple Developer ID and a notary profile);
# see README.md beside this script for the one-time setup. Usage:
#   installers/macos/build-pkg.sh DIST_FOLDER VERSION
# Environment: CASEWORKER_MAC_APP_IDENTITY   "Developer ID Application: Agency (TEAMID)"
#              CASEWORKER_MAC_INSTALLER_IDENTITY "Developer ID Installer: Agency (TEAMID)"
#              CASEWORKER_NOTARY_PROFILE     a keychain profile made with `xcrun notarytool store-credentials`
set -euo pipefail

dist="${1:?usage: build-pkg.sh DIST_FOLDER VERSION}"
version="${2:?usage: build-pkg.sh DIST_FOLDER VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
app_id="${CASEWORKER_MAC_APP_IDENTITY:?set CASEWORKER_MAC_APP_IDENTITY}"
pkg_id="${CASEWORKER_MAC_INSTALLER_IDENTITY:?set CASEWORKER_MAC_INSTALLER_IDENTITY}"
profile="${CASEWORKER_NOTARY_PROFILE:?set CASEWORKER_NOTARY_PROFILE}"

bundle="$dist/caseworker"
[ -x "$bundle/caseworker" ] || { echo "no bundle in $bundle; build it with installers/build bundle" >&2; exit 1; }

# 1. Sign every Mach-O inside out (libraries first, programs last) with the hardened runtime;
#    the entitlements allow what the Python runtime needs and nothing else.
find "$bundle/_internal" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
  xargs -0 codesign --force --timestamp --options runtime --entitlements "$here/entitlements.plist" --sign "$app_id"
for program in "$bundle"/caseworker "$bundle"/caseworker-desktop; do
  [ -e "$program" ] && codesign --force --timestamp --options runtime --entitlements "$here/entitlements.plist" \
    --sign "$app_id" "$program"
done
codesign --verify --strict --verbose=2 "$bundle/caseworker"

# 2. A component package installing to /Applications/Caseworker, signed with the installer identity.
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/Applications/Caseworker"
ditto "$bundle" "$root/Applications/Caseworker"
pkg="$dist/caseworker-$version.pkg"
pkgbuild --root "$root" --identifier org.caseworker.app --version "$version" --install-location / \
  --sign "$pkg_id" --timestamp "$pkg"

# 3. Notarize, wait for the verdict, staple the ticket so Gatekeeper accepts it offline.
xcrun notarytool submit "$pkg" --keychain-profile "$profile" --wait
xcrun stapler staple "$pkg"
pkgutil --check-signature "$pkg"
spctl --assess --type install --verbose "$pkg"
shasum -a 256 "$pkg" >> "$dist/SHA256SUMS"
echo "signed, notarized and stapled: $pkg"
