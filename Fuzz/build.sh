#!/usr/bin/env bash
# Builds Fuzz/FuzzScenario.swift with libFuzzer and AddressSanitizer into .build-fuzz/fuzz-scenario.
# SupportSimCore and Yams (with its C part, libyaml) are compiled here with coverage instrumentation;
# SwiftPM is used only to fetch Yams. Takes a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${FUZZ_BUILD_DIR:-.build-fuzz}
SWIFTC=${SWIFTC:-swiftc}
CLANG=${CLANG:-$(dirname "$(command -v "$SWIFTC")")/clang}
mkdir -p "$OUT/obj"

YAMS=$(find .build/checkouts -maxdepth 1 -iname yams 2>/dev/null | head -1)
if [ -z "$YAMS" ]; then swift package resolve >/dev/null; YAMS=$(find .build/checkouts -maxdepth 1 -iname yams | head -1); fi
CYAML="$YAMS/Sources/CYaml"

echo "fuzz build: libyaml"
for f in "$CYAML"/src/*.c; do
  "$CLANG" -c -O1 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC -I "$CYAML/include" "$f" \
    -o "$OUT/obj/$(basename "$f" .c).o"
done

SAN=(-sanitize=fuzzer,address -O -g)
echo "fuzz build: Yams"
"$SWIFTC" "${SAN[@]}" -parse-as-library -D SWIFT_PACKAGE -module-name Yams -emit-module -emit-module-path "$OUT/Yams.swiftmodule" \
  -emit-library -static -o "$OUT/libYams.a" -Xcc -DYAML_DECLARE_STATIC -I "$CYAML/include" "$YAMS"/Sources/Yams/*.swift

echo "fuzz build: SupportSimCore"
"$SWIFTC" "${SAN[@]}" -parse-as-library -module-name SupportSimCore -emit-module \
  -emit-module-path "$OUT/SupportSimCore.swiftmodule" -emit-library -static -o "$OUT/libSupportSimCore.a" \
  -I "$OUT" -I "$CYAML/include" -I Sources/CStemmer $(find Sources/SupportSimCore -name '*.swift' | sort)

echo "fuzz build: fuzz-scenario"
"$SWIFTC" "${SAN[@]}" -parse-as-library -module-name FuzzScenario Fuzz/FuzzScenario.swift \
  -I "$OUT" -I "$CYAML/include" -I Sources/CStemmer -L "$OUT" -lSupportSimCore -lYams "$OUT"/obj/*.o -lstemmer \
  -use-ld=lld -o "$OUT/fuzz-scenario"
echo "fuzz build: $OUT/fuzz-scenario"
