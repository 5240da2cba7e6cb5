#!/bin/sh
# Regenerates the workbook corpus (see README.md). Run from the repository root:
#   testdata/corpus/generate.sh
# Needs Go, Debian's python3-openpyxl (/usr/bin/python3) and LibreOffice (Calc). The
# tests need none of them: the files are committed.
set -eu
cd "$(dirname "$0")/../.."
d=testdata/corpus
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}" CGO_ENABLED=0

# 1. Go: the edge-case sources (src/edge.fods, src/edge1904.fods, src/edge.json),
#    qoldau's own writer, excelize, the hand-made parts.
go run ./$d/gen files

# 2. openpyxl: the edge cases and the register saved again.
/usr/bin/python3 $d/gen/openpyxl_gen.py

# 3. LibreOffice: the edge cases from their flat ODS sources, and the register, each
#    to .xlsx, .ods and .xls (the .ods and .xls are for the readers of those formats).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp $d/src/edge.fods "$tmp/libreoffice-edge.fods"
cp $d/src/edge1904.fods "$tmp/libreoffice-edge1904.fods"
cp $d/qoldau-register.xlsx "$tmp/libreoffice-register.xlsx"
for f in libreoffice-edge.fods libreoffice-edge1904.fods libreoffice-register.xlsx; do
	for fmt in xlsx ods xls; do
		mkdir -p "$tmp/$fmt"
		# A separate profile, so that a running LibreOffice does not take the job.
		libreoffice -env:UserInstallation=file://$tmp/profile --headless \
			--convert-to $fmt --outdir "$tmp/$fmt" "$tmp/$f" >/dev/null
		cp "$tmp/$fmt/${f%.*}.$fmt" $d/
	done
done

# 4. Fuzz seeds of shared/xlsx from every .xlsx.
go run ./$d/gen seeds
ls -l $d
du -sh $d
