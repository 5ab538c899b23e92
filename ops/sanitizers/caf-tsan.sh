#!/usr/bin/env bash
# Builds CAF 0.17.6 from Debian's own source package with -fsanitize=thread into PREFIX (once;
# a later run finds PREFIX/.built and does nothing). TSan sees a happens-before only through
# instrumented code: with Debian's uninstrumented libcaf_core every message hand-over between
# threads looks like a race (docs/security.md "Sanitizers"). Used by `./ops/cxs test
# --sanitize=thread`.
#
#   ops/sanitizers/caf-tsan.sh WORK_DIR PREFIX
#
# The source comes from Debian's archive through apt (a deb-src entry in a sources list of its own
# under WORK_DIR; the system's apt configuration is not touched). apt checks the files against the
# signed Sources index; the upstream tarball is checked once more against the .dsc here, since
# the mirror may lack the packaging tarball (.debian.tar.xz). Debian's one change to the sources,
# `#include <limits>` in caf/io/network/receive_buffer.hpp, is applied by building with the
# headers exactly as Debian installs them (/usr/include/caf, package libcaf-dev): any header that
# differs is taken from there, and the generated build_config.hpp must come out the same.
set -euo pipefail
work=$1 prefix=$2
[ -f "$prefix/.built" ] && exit 0
version=0.17.6
mkdir -p "$work/lists/partial"
cd "$work"
echo "deb-src http://deb.debian.org/debian bookworm main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" -qq update
apt-get "${apt_opts[@]}" -qq source --download-only "actor-framework=$version-2.1" || true
orig=actor-framework_$version.orig.tar.gz
dsc=$(ls actor-framework_"$version"-*.dsc | head -1)
want=$(awk -v f="$orig" '/^Checksums-Sha256:/{on=1; next} /^[^ ]/{on=0} on && $3==f {print $1}' "$dsc")
[ -n "$want" ] && echo "$want  $orig" | sha256sum -c --quiet -
rm -rf src build && mkdir src && tar xzf "$orig" -C src --strip-components=1
for lib in core io; do
  (cd "src/libcaf_$lib" && find caf -name '*.hpp') | while read -r header; do
    cmp -s "src/libcaf_$lib/$header" "/usr/include/$header" || cp "/usr/include/$header" "src/libcaf_$lib/$header"
  done
done
flags="-fsanitize=thread -fno-omit-frame-pointer"
cmake -S src -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes -DCAF_NO_OPENSSL=yes -DCAF_NO_TOOLS=yes -DCAF_NO_PYTHON=yes \
  -DCAF_NO_OPENCL=yes >/dev/null
ninja -C build -j "${CXS_JOBS:-2}"
cmake --install build >/dev/null
diff -q "$prefix/include/caf/detail/build_config.hpp" /usr/include/caf/detail/build_config.hpp
touch "$prefix/.built"
