#!/usr/bin/env bash
# Assemble the benchmark corpus under bench/corpus/ from package registries only (PyPI sdists
# via `pip download`, npm tarballs via `npm pack`). Versions are pinned so that results can be
# reproduced. Idempotent: a package already unpacked is skipped. A download that fails is
# reported and skipped; the corpus is whatever could be fetched.
#
#   bash bench/fetch_corpus.sh            # fetch what is missing
#   bash bench/fetch_corpus.sh --clean    # start from scratch
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CORPUS="$HERE/corpus"
DL="$HERE/.work/downloads"

# name==version for PyPI (sdists), name@version for npm
PYPI_PACKAGES=(
  "Django==5.1.4"
  "SQLAlchemy==2.0.36"
)
NPM_PACKAGES=(
  "typeorm@0.3.20"
  "sequelize@6.37.5"
  "knex@3.1.0"
)

if [[ "${1:-}" == "--clean" ]]; then
  rm -rf "$CORPUS" "$DL"
fi
mkdir -p "$CORPUS" "$DL"

PYTHON="${PYTHON:-python3}"
failed=()

fetch_pypi() {
  local spec="$1" name="${1%%==*}" version="${1##*==}"
  local dest="$CORPUS/pypi/$name-$version"
  if [[ -f "$dest/.complete" ]]; then
    echo "ok    $spec (already unpacked)"
    return 0
  fi
  local tmp="$DL/pypi-$name-$version"
  mkdir -p "$tmp"
  local archive
  archive="$(ls "$tmp"/*.tar.gz "$tmp"/*.zip 2>/dev/null | head -n1)"
  if [[ -z "$archive" ]]; then
    echo "fetch $spec (sdist from PyPI)"
    # pip prepares the sdist's metadata in an isolated build env (build deps come from PyPI
    # too); if that fails, retry with the build tools of the running Python
    if ! "$PYTHON" -m pip download --no-deps --no-binary :all: --dest "$tmp" "$spec" >"$tmp/pip.log" 2>&1 \
       && ! "$PYTHON" -m pip download --no-deps --no-binary :all: --no-build-isolation \
              --dest "$tmp" "$spec" >>"$tmp/pip.log" 2>&1; then
      echo "FAIL  $spec: pip download failed (see ${tmp#$HERE/}/pip.log); continuing without it" >&2
      failed+=("$spec")
      return 1
    fi
    archive="$(ls "$tmp"/*.tar.gz "$tmp"/*.zip 2>/dev/null | head -n1)"
  fi
  if [[ -z "$archive" ]]; then
    echo "FAIL  $spec: no sdist downloaded; continuing without it" >&2
    failed+=("$spec")
    return 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  case "$archive" in
    *.zip) "$PYTHON" -m zipfile -e "$archive" "$dest.tmp" && mv "$dest.tmp"/*/* "$dest"/ 2>/dev/null; rm -rf "$dest.tmp" ;;
    *)     tar -xzf "$archive" -C "$dest" --strip-components=1 ;;
  esac || { echo "FAIL  $spec: cannot unpack $archive" >&2; failed+=("$spec"); return 1; }
  touch "$dest/.complete"
  echo "ok    $spec -> ${dest#$HERE/}"
}

fetch_npm() {
  local spec="$1" name="${1%@*}" version="${1##*@}"
  local dest="$CORPUS/npm/$name-$version"
  if [[ -f "$dest/.complete" ]]; then
    echo "ok    $spec (already unpacked)"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "FAIL  $spec: npm not found; continuing without it" >&2
    failed+=("$spec")
    return 1
  fi
  local tmp="$DL/npm-$name-$version"
  mkdir -p "$tmp"
  local archive
  archive="$(ls "$tmp"/*.tgz 2>/dev/null | head -n1)"
  if [[ -z "$archive" ]]; then
    echo "fetch $spec (tarball from npm)"
    if ! (cd "$tmp" && npm pack --silent "$spec" >"$tmp/npm.log" 2>&1); then
      echo "FAIL  $spec: npm pack failed (see $tmp/npm.log); continuing without it" >&2
      failed+=("$spec")
      return 1
    fi
    archive="$(ls "$tmp"/*.tgz 2>/dev/null | head -n1)"
  fi
  if [[ -z "$archive" ]]; then
    echo "FAIL  $spec: no tarball; continuing without it" >&2
    failed+=("$spec")
    return 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  # npm tarballs have a single top directory, "package/"
  tar -xzf "$archive" -C "$dest" --strip-components=1 \
    || { echo "FAIL  $spec: cannot unpack $archive" >&2; failed+=("$spec"); return 1; }
  touch "$dest/.complete"
  echo "ok    $spec -> ${dest#$HERE/}"
}

for p in "${PYPI_PACKAGES[@]}"; do fetch_pypi "$p"; done
for p in "${NPM_PACKAGES[@]}"; do fetch_npm "$p"; done

# a manifest of what the corpus holds, for RESULTS.md
{
  echo "# packages in this corpus (fetched by bench/fetch_corpus.sh)"
  for d in "$CORPUS"/pypi/* "$CORPUS"/npm/*; do
    [[ -f "$d/.complete" ]] && echo "${d#$CORPUS/}"
  done
} >"$CORPUS/MANIFEST.txt"

if ((${#failed[@]})); then
  echo "corpus is partial: could not fetch ${failed[*]}" >&2
  exit 0
fi
echo "corpus complete: $(grep -vc '^#' "$CORPUS/MANIFEST.txt") packages in bench/corpus/"
