package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/langtest"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
)

// kazakhPairs are the letters Go's bundled fonts lack, upper and lower case.
var kazakhPairs = []string{"Әә", "Ғғ", "Ққ", "Ңң", "Өө", "Ұұ", "Үү", "Һһ", "Іі"}

// allLetters is a conclusion with all of them.
const allLetters = "Әріптер: Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і."

// shownText decodes the text a PDF's pages show.
func shownText(t *testing.T, pdf []byte) string {
	t.Helper()
	return langtest.PDFText(pdf)
}

// TestPDFKazakh checks that the PDF embeds DejaVu Sans and shows Kazakh and Cyrillic
// text: by decoding its text operators (always), and with pdftotext from
// poppler-utils where it is installed.
func TestPDFKazakh(t *testing.T) {
	h, _ := quarter(t)
	// The agency's own conclusion holds every Kazakh letter in both cases.
	r, err := report.Build(t.Context(), h.svc, report.Options{Keys: testKeys, Period: report.Quarter(2026, 3), Conclusion: []string{allLetters}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WritePDF(&b, r, "kk", refdata.Default()); err != nil {
		t.Fatal(err)
	}
	pdf := b.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	for _, want := range []string{"/FontFile2", "/Type0", "Identity-H", "/ToUnicode", strings.ToLower(report.PDFFont)} {
		if !bytes.Contains(bytes.ToLower(pdf), []byte(strings.ToLower(want))) {
			t.Errorf("the PDF lacks %s: the font is not embedded as a Unicode TrueType font", want)
		}
	}
	text := shownText(t, pdf)
	for _, want := range []string{"Қызмет алған клиенттер", "Ұлытау облысы", "Шығыс Қазақстан облысы", "Әдістемеге 3-қосымша",
		"Жолдарды салыстыру", "Алматы қаласы", allLetters} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	for _, c := range kazakhPairs {
		for _, l := range c {
			if !strings.ContainsRune(text, l) {
				t.Errorf("the PDF's text lacks the letter %c", l)
			}
		}
	}
	if t.Failed() {
		t.Logf("text shown:\n%.3000s", text)
	}

	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: the extraction by a PDF reader is not checked")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	got := string(out)
	for _, want := range []string{"Қызмет алған клиенттер", "Ұлытау облысы", "Әдістемеге 3-қосымша", "Кешігіп"} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext does not find %q", want)
		}
	}
	if !strings.Contains(got, allLetters) {
		t.Errorf("pdftotext does not find %q", allLetters)
	}
	// Russian too.
	b.Reset()
	if err := report.WritePDF(&b, r, "ru", refdata.Default()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, b.Bytes(), 0o644)
	out, err = exec.Command(pdftotext, path, "-").Output()
	if err != nil || !strings.Contains(string(out), "Клиенты, получившие услуги") || !strings.Contains(string(out), "область Ұлытау") {
		t.Errorf("pdftotext of the Russian PDF: %v\n%.2000s", err, out)
	}
}
