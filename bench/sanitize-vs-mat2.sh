#!/usr/bin/env bash
# Benchmark (not a test): Postern's sanitizer against mat2 on the same generated corpus, video
# metadata stripping against a plain ffmpeg stream copy, and face masking on a 720p video.
# Needs: mat2 (Debian package mat2; for audio/video also Debian's ffmpeg, which mat2 calls).
# Usage: bench/sanitize-vs-mat2.sh [COPIES]   (COPIES of each fixture per group, default 20)
# Results go to bench/out/ (ignored by git); copy the numbers into docs/benchmarks.md (sanitizer part).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
cd "$root"
copies="${1:-20}"
out="$root/bench/out/sanitize"
rm -rf "$out"; mkdir -p "$out"

mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" >/dev/null
cp="$(cat "$out/cp.txt"):$root/target/classes:$root/target/test-classes"
java=("$JAVA_HOME/bin/java" -cp "$cp")
# Short-lived runs (the CLI, one process per group here): the serial collector starts faster on two
# shared cores than G1 (bin/postern takes it through POSTERN_JAVA_OPTS). Not C1-only
# (-XX:TieredStopAtLevel=1): it starts faster still, but loses the SHA-256 intrinsic, and hashing a
# big video then costs a second.
java_cold=("$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$cp")

echo "== corpus"
"${java[@]}" dev.postern.sanitize.Corpus "$out/fixtures" > "$out/fixtures.txt" 2>/dev/null
# Files mat2 itself cannot clean are left out of both sides (svg, docx with comments, html, m4a, mkv).
skip='logo.svg|memo.docx|page.html|tone.m4a|clip.mkv'
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# postern_cold: one new JVM for the whole group (start-up and JIT warm-up included, CLI flags above),
# like mat2's one process; postern_warm: the same files again in a warmed JVM (the web desk's case), from Bench's own
# clock; 2thr: two files at a time on the two cores. mat2 gets all files of a group in one call.
printf '%-8s %5s %11s %11s %13s %8s %10s %10s %10s\n' group files postern_cold postern_warm postern_warm2thr mat2_s \
  cold_ratio warm_ratio warm2_ratio | tee "$out/results.txt"
for group in image pdf office audio video; do
  dir="$out/$group"; mkdir -p "$dir/in"
  grep "^$group " "$out/fixtures.txt" | cut -d' ' -f2 | grep -Ev "$skip" | while read -r f; do
    for i in $(seq 1 "$copies"); do cp "$f" "$dir/in/$i-$(basename "$f")"; done
  done
  n=$(ls "$dir/in" | wc -l)
  [ "$n" -gt 0 ] || continue
  t0=$(now); "${java_cold[@]}" dev.postern.sanitize.Bench "$dir/postern" "$dir"/in/* > "$dir/postern.log" 2>&1; t1=$(now)
  "${java[@]}" dev.postern.sanitize.Bench "$dir/postern-warm" --warm "$dir"/in/* > "$dir/warm.log" 2>&1
  "${java[@]}" dev.postern.sanitize.Bench "$dir/postern-warm2" --warm --threads 2 "$dir"/in/* > "$dir/warm2.log" 2>&1
  mkdir -p "$dir/mat2"; cp "$dir"/in/* "$dir/mat2/"
  t2=$(now); (cd "$dir/mat2" && mat2 ./* > "$dir/mat2.log" 2>&1 || true); t3=$(now)
  p=$(secs "$t0" "$t1"); m=$(secs "$t2" "$t3")
  w=$(sed -n 's/.*seconds=//p' "$dir/warm.log"); w2=$(sed -n 's/.*seconds=//p' "$dir/warm2.log")
  ratio() { awk -v p="$1" -v m="$m" 'BEGIN { printf "%.2fx", m / p }'; }
  printf '%-8s %5d %11s %11s %13s %8s %10s %10s %10s\n' "$group" "$n" "$p" "$w" "$w2" "$m" \
    "$(ratio "$p")" "$(ratio "$w")" "$(ratio "$w2")" | tee -a "$out/results.txt"
done

echo "== video: metadata stripping vs plain stream copy (720p, 60 s, mpeg4 + aac)"
ff=$("${java[@]}" dev.postern.sanitize.media.BundledFfmpegPath 2>/dev/null)
export LD_LIBRARY_PATH="$(dirname "$ff")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
big="$out/big.mp4"
"$ff" -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=60 -f lavfi -i sine=frequency=440:duration=60 \
  -c:v mpeg4 -q:v 4 -c:a aac -metadata title=PLANTED -metadata location=+48.8566+002.3522/ "$big"
t0=$(now); "$ff" -v error -y -i "$big" -c copy "$out/copy.mp4"; t1=$(now)
t2=$(now); "${java_cold[@]}" dev.postern.sanitize.Bench "$out/vid" "$big" > "$out/vid.log" 2>&1; t3=$(now)
t4=$(now); cp "$big" "$out/m2big.mp4"; mat2 "$out/m2big.mp4" > /dev/null 2>&1 || true; t5=$(now)
echo "file $(du -h "$big" | cut -f1): ffmpeg -c copy $(secs "$t0" "$t1") s; postern sanitize $(secs "$t2" "$t3") s (JVM start included); mat2 $(secs "$t4" "$t5") s" | tee -a "$out/results.txt"

echo "== face masking: 720p, 10 s, 30 fps, one drawn face, 2 cores"
"${java[@]}" dev.postern.sanitize.FaceVideo "$out/face.mp4" 2>/dev/null
t0=$(now); "${java[@]}" dev.postern.sanitize.Bench "$out/facemasked" --mask-faces "$out/face.mp4" > "$out/face.log" 2>&1; t1=$(now)
s=$(secs "$t0" "$t1")
echo "masking took $s s for 10 s of video: $(awk -v s="$s" 'BEGIN { printf "%.2f", s / 10 }') x real time (JVM start included)" | tee -a "$out/results.txt"
